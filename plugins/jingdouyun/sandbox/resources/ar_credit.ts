import type { ReceiptRec, SrcLine } from '../state.js';
import { auditBill, checkReceipt, settledByOthers, sumOf } from '../rules/bills.js';
import { FieldReader, canon, dec, err, lineId, type Json } from '../validate.js';
import {
  autoNumber,
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

const LABEL = '收款单';

export function saveReceipt(ctx: Ctx, body: Json, opts: SaveOpts = {}): ReceiptRec {
  const { books } = ctx;
  const target = billTarget(body, books.receipt, LABEL);
  const id = recordId(ctx, target, opts);
  const r = new FieldReader(body, '', !target);
  const billNo = r.str('bill_no');
  const billDate = r.date('bill_date', true);
  const customer = r.ref('customer_id', null, books.customer, '客户', true, 2016012099);
  const emp = r.ref('emp_id', null, books.emp, '职员');
  const deptId = r.str('dept_id');
  const discount = r.dec('total_discount_amount', { scale: 2 });
  const remark = r.str('remark');
  const attachments = r.urls('attachments_url_list');
  const audit = r.oneOf('operate_type', ['audit']) === 'audit';
  const rawPays = r.lines('pay_entry_list', true);
  const pays = rawPays ? readPays(ctx, rawPays, new Set(target?.pays.map((p) => p.id) ?? [])) : target!.pays;
  const rawSrcs = r.lines('source_bill_entry_list', true);
  const knownSrc = new Set(target?.srcs.map((s) => s.id) ?? []);
  const srcDrafts = rawSrcs?.map((line, i) => {
    const lr = new FieldReader(line, `source_bill_entry_list[${i}].`, true);
    const lid = lineId(lr, knownSrc);
    const type = lr.str('src_bill_type_id', true);
    if (type !== 'sal_bill_outbound') throw err.format(lr.name('src_bill_type_id'));
    const srcBillId = lr.id('src_bill_id', true)!;
    const cur = lr.dec('cur_settle_amount', { req: true, positive: true, scale: 2 })!;
    const comment = lr.str('src_comment') ?? '';
    return { id: lid, src_bill_id: srcBillId, cur_settle_amount: cur, src_comment: comment };
  });
  const srcs: SrcLine[] = srcDrafts
    ? srcDrafts.map((s) => ({ ...s, id: s.id ?? ctx.state.nextId() }))
    : target!.srcs;
  if (billNo !== undefined) checkUnique(books.receipt, billNo, target?.id ?? null, true);
  const customerId = customer?.id ?? target!.customer_id;
  const discountAmount = discount ?? target?.total_discount_amount ?? '0';
  checkReceipt(ctx, { id, customer_id: customerId, pays, srcs, total_discount_amount: discountAmount });
  const date = billDate ?? target!.bill_date;
  const rec: ReceiptRec = {
    ...stamp(
      ctx,
      target,
      id,
      billNo ?? target?.number ?? autoNumber(ctx, 'ar_creditbill', books.receipt, date),
    ),
    bill_date: date,
    bill_status: target?.bill_status ?? 'A',
    audit_time: null,
    customer_id: customerId,
    emp_id: emp?.id ?? target?.emp_id ?? '',
    dept_id: deptId ?? target?.dept_id ?? '',
    total_discount_amount: discountAmount,
    remark: remark ?? target?.remark ?? '',
    attachments_url_list: attachments ?? target?.attachments_url_list ?? [],
    pays,
    srcs,
  };
  books.receipt.put(rec);
  if (audit) auditBill(ctx, 'ar_creditbill', rec.id);
  return books.receipt.get(rec.id)!;
}

function row(ctx: Ctx, rc: ReceiptRec): Json {
  return {
    ...arapRowHead(ctx, rc),
    total_amount: canon(sumOf(rc.pays.map((p) => p.amount))),
    total_settle_amount: canon(sumOf(rc.srcs.map((s) => s.cur_settle_amount))),
    total_discount_amount: rc.total_discount_amount,
    remark: rc.remark,
    ...times(rc),
  };
}

export function receiptDetail(ctx: Ctx, rc: ReceiptRec): Json {
  return {
    ...row(ctx, rc),
    ...arapDetailHead(rc),
    attachments_url_list: rc.attachments_url_list.map((url) => ({ url })),
    pay_entry_list: payRows(rc.pays),
    source_bill_entry_list: rc.srcs.map((s, i) => {
      const out = ctx.books.outbound.get(s.src_bill_id);
      const total = out ? dec(out.total_amount) : dec('0');
      const others = out ? settledByOthers(out, rc.id) : dec('0');
      return {
        id: s.id,
        seq: i + 1,
        src_bill_type_id: 'sal_bill_outbound',
        src_bill_id: s.src_bill_id,
        src_bill_no: out?.number ?? '',
        src_bill_amount: canon(total),
        settle_amount: canon(others),
        un_settle_amount: canon(total.minus(others)),
        cur_settle_amount: s.cur_settle_amount,
        src_comment: s.src_comment,
      };
    }),
  };
}

export const listReceipts = (ctx: Ctx, q: Query): Json =>
  listArap(ctx, ctx.books.receipt, q, (rc) => row(ctx, rc));
export const receiptDetailQuery = (ctx: Ctx, q: Query): Json =>
  receiptDetail(ctx, findForDetail(ctx.books.receipt, q, LABEL));
