import type { ContactLine, CustomerRec } from '../state.js';
import { FieldReader, err, lineId, targetOf, type Json } from '../validate.js';
import {
  asciiFold,
  byNumber,
  checkName,
  checkUnique,
  autoNumber,
  enableFilter,
  findForDetail,
  listPage,
  listParams,
  queryRecords,
  recordId,
  refName,
  refNumber,
  stamp,
  times,
  type Ctx,
  type Query,
  type SaveOpts,
} from './common.js';

const LABEL = '客户';

export function saveCustomer(ctx: Ctx, body: Json, opts: SaveOpts = {}): CustomerRec {
  const { books } = ctx;
  const target = targetOf(body, books.customer, LABEL);
  const id = recordId(ctx, target, opts);
  const r = new FieldReader(body, '', !target);
  const number = r.str('number');
  const name = r.str('name', true);
  const group = r.ref('group_id', 'group_number', books.customerGroup, '客户分类');
  const saler = r.ref('saler_id', 'saler_number', books.emp, '职员');
  const addr = r.str('addr');
  const taxpayer = r.str('taxpayer_no');
  const bank = r.str('bank');
  const bankAccount = r.str('bank_account');
  const remark = r.str('remark');
  const ignoreWarn = r.bool('ignore_warn') ?? false;
  const rawContacts = r.lines('contact_persons');
  const known = new Set(target?.contacts.map((c) => c.id) ?? []);
  let hasDefault = false;
  const contacts = rawContacts?.map((line, i): Omit<ContactLine, 'id'> & { id: string | null } => {
    const lr = new FieldReader(line, `contact_persons[${i}].`, true);
    const lid = lineId(lr, known);
    const person = lr.str('contact_person', true)!;
    const mobile = lr.str('mobile') ?? '';
    const phone = lr.str('phone') ?? '';
    const email = lr.str('email') ?? '';
    const address = lr.str('contact_address') ?? '';
    const gender = readGender(lr);
    const isDefault = lr.bool('is_default_linkman') ?? false;
    if (isDefault && hasDefault) throw err.format(lr.name('is_default_linkman'));
    hasDefault ||= isDefault;
    return {
      id: lid,
      contact_person: person,
      mobile,
      phone,
      email,
      contact_address: address,
      gender,
      is_default_linkman: isDefault,
    };
  });
  if (number !== undefined) checkUnique(books.customer, number, target?.id ?? null, false);
  checkName(books.customer, name, target?.id ?? null, ignoreWarn);
  const rec: CustomerRec = {
    ...stamp(ctx, target, id, number ?? target?.number ?? autoNumber(ctx, 'bd_customer', books.customer)),
    name: name ?? target!.name,
    enable: target?.enable ?? '1',
    group_id: group?.id ?? target?.group_id ?? '',
    saler_id: saler?.id ?? target?.saler_id ?? '',
    addr: addr ?? target?.addr ?? '',
    taxpayer_no: taxpayer ?? target?.taxpayer_no ?? '',
    bank: bank ?? target?.bank ?? '',
    bank_account: bankAccount ?? target?.bank_account ?? '',
    remark: remark ?? target?.remark ?? '',
    contacts: contacts
      ? contacts.map((c) => ({ ...c, id: c.id ?? ctx.state.nextId() }))
      : (target?.contacts ?? []),
  };
  books.customer.put(rec);
  return rec;
}

/** Save accepts "1"/"2" (or 1/2); the detail shows "1" male, "0" female (§5.1). */
function readGender(lr: FieldReader): string {
  if (!lr.has('gender')) return '';
  const v = lr.obj.gender;
  if (typeof v !== 'string' && typeof v !== 'number') throw err.type(lr.name('gender'));
  const s = String(v);
  if (s !== '1' && s !== '2') throw err.format(lr.name('gender'));
  return s === '1' ? '1' : '0';
}

function row(ctx: Ctx, c: CustomerRec): Json {
  const { books } = ctx;
  return {
    id: c.id,
    number: c.number,
    name: c.name,
    enable: c.enable,
    group_id: c.group_id,
    group_number: refNumber(books.customerGroup, c.group_id),
    group_name: refName(books.customerGroup, c.group_id),
    remark: c.remark,
    ...times(c),
  };
}

export function customerDetail(ctx: Ctx, c: CustomerRec): Json {
  const { books } = ctx;
  return {
    ...row(ctx, c),
    saler_id: c.saler_id,
    saler_number: refNumber(books.emp, c.saler_id),
    saler_name: refName(books.emp, c.saler_id),
    addr: c.addr,
    taxpayer_no: c.taxpayer_no,
    bank: c.bank,
    bank_account: c.bank_account,
    bomentity: c.contacts.map((x, i) => ({
      id: x.id,
      seq: i + 1,
      contact_person: x.contact_person,
      mobile: x.mobile,
      phone: x.phone,
      email: x.email,
      contact_address: x.contact_address,
      gender: x.gender,
      is_default_linkman: x.is_default_linkman,
    })),
  };
}

export function listCustomers(ctx: Ctx, q: Query): Json {
  const p = listParams(q);
  const enable = enableFilter(q, '-1');
  const search = q.first('search');
  const needle = search ? asciiFold(search) : null;
  const groups = q.has('group') ? new Set(q.all('group')) : null;
  const key = JSON.stringify([enable, needle, groups && [...groups]]);
  const rows = queryRecords(ctx.books.customer, p, byNumber, key, (c) => {
    if (enable !== null && c.enable !== enable) return false;
    if (groups && !groups.has(c.group_id)) return false;
    return !needle || asciiFold(c.name).includes(needle) || asciiFold(c.number).includes(needle);
  });
  return listPage(rows, p, true, (c) => row(ctx, c));
}

export const customerDetailQuery = (ctx: Ctx, q: Query): Json =>
  customerDetail(ctx, findForDetail(ctx.books.customer, q, LABEL));
