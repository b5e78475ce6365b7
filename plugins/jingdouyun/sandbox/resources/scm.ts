import type { BillHeader, CustomerRec, EmpRec, EntityStore, ScmHeader } from '../state.js';
import { formatDate, formatDt, isDate } from '../time.js';
import { ApiError, FieldReader, err, targetOf, type Json } from '../validate.js';
import { asciiFold, refName, refNumber, type Ctx, type Query } from './common.js';

/** Shared by sales orders and outbounds (§5.8, §5.9) and, for the header checks, arap bills. */

/** Step 1 of §3.2 for bills: existence, then an audited bill cannot change. */
export function billTarget<T extends BillHeader>(body: Json, store: EntityStore<T>, label: string): T | null {
  const target = targetOf(body, store, label);
  if (target?.bill_status === 'C') throw new ApiError(2018023007, '该单据为审核状态，不允许修改');
  return target;
}

export const DELIVERY_TYPES = ['6', '8', '9'];

export interface ScmHeaderInput {
  billNo: string | undefined;
  billDate: string | undefined;
  customer: CustomerRec | undefined;
  emp: EmpRec | undefined;
  deptId: string | undefined;
  deliveryType: string | undefined;
  linkman: string | undefined;
  phone: string | undefined;
  address: string | undefined;
  remark: string | undefined;
  attachments: string[] | undefined;
  audit: boolean;
}

export function readScmHeader(ctx: Ctx, r: FieldReader): ScmHeaderInput {
  const { books } = ctx;
  const billNo = r.str('bill_no');
  const billDate = r.date('bill_date', true);
  const customer = r.ref('customer_id', 'customer_number', books.customer, '客户', true, 2016012099);
  const emp = r.ref('emp_id', 'emp_number', books.emp, '职员');
  const deptId = r.str('dept_id');
  const deliveryType = r.str('delivery_type_id');
  if (deliveryType !== undefined && !DELIVERY_TYPES.includes(deliveryType)) {
    throw new ApiError(1030002003, `交货方式[${deliveryType}]不存在`);
  }
  const linkman = r.str('contact_linkman');
  const phone = r.str('contact_phone');
  const address = r.str('contact_address');
  const remark = r.str('remark');
  const attachments = r.urls('attachments_url');
  const op = r.oneOf('operation_key', ['audit', 'submit']);
  return {
    billNo,
    billDate,
    customer,
    emp,
    deptId,
    deliveryType,
    linkman,
    phone,
    address,
    remark,
    attachments,
    audit: op === 'audit',
  };
}

/** Header fields of a saved scm bill, keeping stored values for omitted fields (§5 preamble). */
export function scmHeaderFields(
  h: ScmHeaderInput,
  target: ScmHeader | null,
): Omit<ScmHeader, 'id' | 'number' | 'create_time' | 'modify_time' | 'total_amount'> {
  return {
    bill_date: h.billDate ?? target!.bill_date,
    bill_status: target?.bill_status ?? 'Z',
    audit_time: null,
    customer_id: h.customer?.id ?? target!.customer_id,
    emp_id: h.emp?.id ?? target?.emp_id ?? '',
    dept_id: h.deptId ?? target?.dept_id ?? '',
    delivery_type_id: h.deliveryType ?? target?.delivery_type_id ?? '',
    contact_linkman: h.linkman ?? target?.contact_linkman ?? '',
    contact_phone: h.phone ?? target?.contact_phone ?? '',
    contact_address: h.address ?? target?.contact_address ?? '',
    remark: h.remark ?? target?.remark ?? '',
    attachments_url: h.attachments ?? target?.attachments_url ?? [],
  };
}

/** Fields every bill row starts with. */
export function billRowHead(b: BillHeader): Json {
  return {
    id: b.id,
    bill_no: b.number,
    bill_date: b.bill_date,
    bill_status: b.bill_status,
    audit_date: b.audit_time === null ? '' : formatDate(b.audit_time),
  };
}

export function partyFields(ctx: Ctx, b: BillHeader): Json {
  const { books } = ctx;
  return {
    customer_id: b.customer_id,
    customer_number: refNumber(books.customer, b.customer_id),
    customer_name: refName(books.customer, b.customer_id),
    emp_id: b.emp_id,
    emp_number: refNumber(books.emp, b.emp_id),
    emp_name: refName(books.emp, b.emp_id),
  };
}

export function scmDetailHead(h: ScmHeader): Json {
  return {
    dept_id: h.dept_id,
    delivery_type_id: h.delivery_type_id,
    contact_linkman: h.contact_linkman,
    contact_phone: h.contact_phone,
    contact_address: h.contact_address,
    remark: h.remark,
    attachments: h.attachments_url.length,
    attachments_url: h.attachments_url.map((url) => ({ url })),
    audit_time: h.audit_time === null ? '' : formatDt(h.audit_time),
  };
}

export interface BillFilters {
  key: string;
  pred: (b: BillHeader & { remark?: string }) => boolean;
}

/**
 * Filters shared by bill lists (§4.4, §5.8–§5.11): bill_status within `statuses`, bill dates, and
 * per list exact bill_no / customer_number, customer_id, or a search over bill_no and remark.
 */
export function billFilters(
  ctx: Ctx,
  q: Query,
  statuses: readonly string[],
  kind: { billNo?: boolean; customerNumber?: boolean; customerId?: boolean; search?: boolean },
): BillFilters {
  const status = q.first('bill_status') ?? '';
  if (status !== '' && !statuses.includes(status)) throw err.format('bill_status');
  const start = q.first('start_bill_date');
  if (start !== undefined && start !== '' && !isDate(start)) throw err.format('start_bill_date');
  const end = q.first('end_bill_date');
  if (end !== undefined && end !== '' && !isDate(end)) throw err.format('end_bill_date');
  const billNo = kind.billNo ? q.first('bill_no') || null : null;
  const customerNumber = kind.customerNumber ? q.first('customer_number') || null : null;
  const customerId = kind.customerId ? q.first('customer_id') || null : null;
  const search = kind.search ? q.first('search') || null : null;
  const needle = search === null ? null : asciiFold(search);
  const customerForNumber =
    customerNumber === null ? null : (ctx.books.customer.byNumber.get(customerNumber)?.id ?? '\u0000');
  return {
    key: JSON.stringify([status, start, end, billNo, customerForNumber, customerId, needle]),
    pred: (b) =>
      (status === '' || b.bill_status === status) &&
      (!start || b.bill_date >= start) &&
      (!end || b.bill_date <= end) &&
      (billNo === null || b.number === billNo) &&
      (customerForNumber === null || b.customer_id === customerForNumber) &&
      (customerId === null || b.customer_id === customerId) &&
      (needle === null || asciiFold(b.number).includes(needle) || asciiFold(b.remark ?? '').includes(needle)),
  };
}
