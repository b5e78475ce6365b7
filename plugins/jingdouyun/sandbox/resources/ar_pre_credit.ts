import type { PreReceiptRec, SelLine } from '../state.js';
import { ApiError, FieldReader, canon, lineId, type Json } from '../validate.js';
import { auditBill, checkPreReceipt, sumOf } from '../rules/bills.js';
import {
  checkUnique,
  findForDetail,
  recordId,
  stamp,
  times,
  type Ctx,
  type Query,
  type SaveOpts,
} from './common.js';
import { arapDetailHead, arapRowHead, listArap, payRows, readPays } from './arap.js';
import { billTarget } from './scm.js';

const LABEL = '预收款单';

export function savePreReceipt(ctx: Ctx, body: Json, opts: SaveOpts = {}): PreReceiptRec {
  const { books } = ctx;
  const target = billTarget(body, books.preReceipt, LABEL);
  const id = recordId(ctx, target, opts);
  const r = new FieldReader(body, '', !target);
  const billNo = r.str('bill_no', true);
  const billDate = r.date('bill_date', true);
  const customer = r.ref('customer_id', null, books.customer, '客户', true, 2016012099);
  const deptId = r.str('dept_id', true);
  const emp = r.ref('emp_id', null, books.emp, '职员', true);
  const remark = r.str('remark');
  const audit = r.oneOf('operate_type', ['audit']) === 'audit';
  const rawPays = r.lines('pay_entry_list', true);
  const pays = rawPays ? readPays(ctx, rawPays, new Set(target?.pays.map((p) => p.id) ?? [])) : target!.pays;
  const rawSels = r.lines('sel_bill_info_entry');
  const knownSel = new Set(target?.sels.map((s) => s.id) ?? []);
  const selDrafts = rawSels?.map((line, i) => {
    const lr = new FieldReader(line, `sel_bill_info_entry[${i}].`, true);
    const lid = lineId(lr, knownSel);
    const type = lr.str('src_bill_type_id', true);
    if (type !== 'sal_bill_order') throw new ApiError(2016043007, '预收款单的源单类型必须是销售订单');
    const srcInter = lr.id('src_inter_id', true)!;
    const cur = lr.dec('cur_settle_amount', { req: true, positive: true, scale: 2 })!;
    return { id: lid, src_inter_id: srcInter, cur_settle_amount: cur };
  });
  const sels: SelLine[] = selDrafts
    ? selDrafts.map((s) => ({ ...s, id: s.id ?? ctx.state.nextId() }))
    : (target?.sels ?? []);
  if (billNo !== undefined) checkUnique(books.preReceipt, billNo, target?.id ?? null, true);
  const customerId = customer?.id ?? target!.customer_id;
  checkPreReceipt(ctx, { customer_id: customerId, pays, sels });
  const rec: PreReceiptRec = {
    ...stamp(ctx, target, id, billNo ?? target!.number),
    bill_date: billDate ?? target!.bill_date,
    bill_status: target?.bill_status ?? 'A',
    audit_time: null,
    customer_id: customerId,
    emp_id: emp?.id ?? target!.emp_id,
    dept_id: deptId ?? target!.dept_id,
    remark: remark ?? target?.remark ?? '',
    pays,
    sels,
  };
  books.preReceipt.put(rec);
  if (audit) auditBill(ctx, 'ar_precreditbill', rec.id);
  return books.preReceipt.get(rec.id)!;
}

function row(ctx: Ctx, pr: PreReceiptRec): Json {
  return {
    ...arapRowHead(ctx, pr),
    total_amount: canon(sumOf(pr.pays.map((p) => p.amount))),
    remark: pr.remark,
    ...times(pr),
  };
}

export function preReceiptDetail(ctx: Ctx, pr: PreReceiptRec): Json {
  return {
    ...row(ctx, pr),
    ...arapDetailHead(pr),
    pay_entry_list: payRows(pr.pays),
    sel_bill_info_entry: pr.sels.map((s, i) => {
      const order = ctx.books.order.get(s.src_inter_id);
      return {
        id: s.id,
        seq: i + 1,
        src_bill_type_id: 'sal_bill_order',
        src_inter_id: s.src_inter_id,
        src_bill_no: order?.number ?? '',
        src_bill_amount: order?.total_amount ?? '0',
        cur_settle_amount: s.cur_settle_amount,
      };
    }),
  };
}

export const listPreReceipts = (ctx: Ctx, q: Query): Json =>
  listArap(ctx, ctx.books.preReceipt, q, (pr) => row(ctx, pr));
export const preReceiptDetailQuery = (ctx: Ctx, q: Query): Json =>
  preReceiptDetail(ctx, findForDetail(ctx.books.preReceipt, q, LABEL));
