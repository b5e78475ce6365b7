import type { OutLine, OutboundRec } from '../state.js';
import { auditBill, checkOutbound, settledByOthers } from '../rules/bills.js';
import { FieldReader, canon, dec, err, lineId, type Json } from '../validate.js';
import { Decimal } from '../../../../src/lib/decimal.js';
import {
  autoNumber,
  byBillDateDesc,
  checkUnique,
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
import { lineAmount } from './sal_order.js';
import {
  billFilters,
  billRowHead,
  billTarget,
  partyFields,
  readScmHeader,
  scmDetailHead,
  scmHeaderFields,
} from './scm.js';

const LABEL = '销售出库单';

export function saveOutbound(ctx: Ctx, body: Json, opts: SaveOpts = {}): OutboundRec {
  const { books } = ctx;
  const target = billTarget(body, books.outbound, LABEL);
  const id = recordId(ctx, target, opts);
  const r = new FieldReader(body, '', !target);
  const h = readScmHeader(ctx, r);
  const raw = r.lines('material_entity', true);
  const known = new Set(target?.lines.map((l) => l.id) ?? []);
  const lines = raw?.map((line, i): Omit<OutLine, 'id'> & { id: string | null } => {
    const lr = new FieldReader(line, `material_entity[${i}].`, true);
    const lid = lineId(lr, known);
    const material = lr.ref('material_id', 'material_number', books.material, '商品', true)!;
    const unit = lr.ref('unit_id', 'unit_number', books.unit, '计量单位', true)!;
    if (unit.id !== material.base_unit_id) throw err.format(lr.name('unit_id'));
    const stock = lr.ref('stock_id', 'stock_number', books.store, '仓库', true)!;
    const qty = lr.dec('qty', { req: true, positive: true, scale: 4 })!;
    const price = lr.dec('price', { req: true, scale: 4 })!;
    const isFree = lr.bool('is_free') ?? false;
    const comment = lr.str('comment') ?? '';
    // The source link is all three fields or none; a partial link names the first missing one.
    const linked = ['src_bill_type_id', 'src_inter_id', 'src_entry_id'].some((k) => lr.has(k));
    const type = lr.str('src_bill_type_id', linked);
    if (type !== undefined && type !== 'sal_bill_order') throw err.format(lr.name('src_bill_type_id'));
    const srcInter = lr.id('src_inter_id', linked) ?? '';
    const srcEntry = lr.id('src_entry_id', linked) ?? '';
    return {
      id: lid,
      material_id: material.id,
      unit_id: unit.id,
      stock_id: stock.id,
      qty,
      price,
      amount: lineAmount(qty, price, isFree),
      is_free: isFree,
      comment,
      src_inter_id: srcInter,
      src_entry_id: srcEntry,
    };
  });
  if (h.billNo !== undefined) checkUnique(books.outbound, h.billNo, target?.id ?? null, true);
  const header = scmHeaderFields(h, target);
  const draftLines = lines ?? target!.lines;
  checkOutbound(ctx, {
    id,
    customer_id: header.customer_id,
    lines: draftLines.map((l) => ({ ...l, id: l.id ?? '' })),
  });
  const finalLines: OutLine[] = lines
    ? lines.map((l) => ({ ...l, id: l.id ?? ctx.state.nextId() }))
    : target!.lines;
  const rec: OutboundRec = {
    ...stamp(
      ctx,
      target,
      id,
      h.billNo ?? target?.number ?? autoNumber(ctx, 'sal_bill_outbound', books.outbound, header.bill_date),
    ),
    ...header,
    lines: finalLines,
    total_amount: canon(finalLines.reduce((a, l) => a.plus(l.amount), new Decimal(0))),
    settled: target?.settled ?? {},
  };
  books.outbound.put(rec);
  if (h.audit) auditBill(ctx, 'sal_bill_outbound', rec.id);
  return books.outbound.get(rec.id)!;
}

export function settleStatus(out: OutboundRec): string {
  const settled = settledByOthers(out, null);
  if (settled.gte(out.total_amount)) return 'C';
  return settled.isZero() ? 'A' : 'B';
}

function row(ctx: Ctx, o: OutboundRec): Json {
  return {
    ...billRowHead(o),
    ...partyFields(ctx, o),
    total_amount: o.total_amount,
    settle_status: settleStatus(o),
    ...times(o),
  };
}

export function outboundDetail(ctx: Ctx, o: OutboundRec): Json {
  const { books } = ctx;
  return {
    ...row(ctx, o),
    ...scmDetailHead(o),
    total_un_settle_amount: canon(dec(o.total_amount).minus(settledByOthers(o, null))),
    material_entity: o.lines.map((l, i) => {
      const order = l.src_inter_id ? books.order.get(l.src_inter_id) : undefined;
      const srcIndex = order ? order.lines.findIndex((x) => x.id === l.src_entry_id) : -1;
      return {
        id: l.id,
        seq: i + 1,
        material_id: l.material_id,
        material_number: refNumber(books.material, l.material_id),
        material_name: refName(books.material, l.material_id),
        unit_id: l.unit_id,
        unit_number: refNumber(books.unit, l.unit_id),
        unit_name: refName(books.unit, l.unit_id),
        stock_id: l.stock_id,
        stock_number: refNumber(books.store, l.stock_id),
        stock_name: refName(books.store, l.stock_id),
        qty: l.qty,
        price: l.price,
        amount: l.amount,
        is_free: l.is_free,
        comment: l.comment,
        src_bill_type_id: l.src_inter_id ? 'sal_bill_order' : '',
        src_inter_id: l.src_inter_id,
        src_entry_id: l.src_entry_id,
        src_bill_no: order?.number ?? '',
        src_seq: srcIndex >= 0 ? srcIndex + 1 : null,
      };
    }),
  };
}

export function listOutbounds(ctx: Ctx, q: Query): Json {
  const p = listParams(q);
  const f = billFilters(ctx, q, ['C', 'Z'], { billNo: true, customerNumber: true });
  const srcBillNo = q.first('src_bill_no') || null;
  const srcOrderId = srcBillNo === null ? null : (ctx.books.order.byNumber.get(srcBillNo)?.id ?? '\u0000');
  const rows = queryRecords(
    ctx.books.outbound,
    p,
    byBillDateDesc,
    JSON.stringify([f.key, srcOrderId]),
    (o) => {
      if (!f.pred(o)) return false;
      return srcOrderId === null || o.lines.some((l) => l.src_inter_id === srcOrderId);
    },
  );
  return listPage(rows, p, false, (o) => row(ctx, o));
}

export const outboundDetailQuery = (ctx: Ctx, q: Query): Json =>
  outboundDetail(ctx, findForDetail(ctx.books.outbound, q, LABEL));
