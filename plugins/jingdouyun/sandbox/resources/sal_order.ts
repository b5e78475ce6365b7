import type { OrderLine, OrderRec } from '../state.js';
import { auditBill } from '../rules/bills.js';
import { ioStatus } from '../rules/inventory.js';
import { FieldReader, canon, dec, err, lineId, round2, type Json } from '../validate.js';
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
import {
  billFilters,
  billRowHead,
  billTarget,
  partyFields,
  readScmHeader,
  scmDetailHead,
  scmHeaderFields,
} from './scm.js';

const LABEL = '销售订单';

export function lineAmount(qty: string, price: string, isFree: boolean): string {
  return isFree ? '0' : canon(round2(dec(qty).times(price)));
}

export function saveOrder(ctx: Ctx, body: Json, opts: SaveOpts = {}): OrderRec {
  const { books } = ctx;
  const target = billTarget(body, books.order, LABEL);
  const id = recordId(ctx, target, opts);
  const r = new FieldReader(body, '', !target);
  const h = readScmHeader(ctx, r);
  const raw = r.lines('material_entity', true);
  const known = new Set(target?.lines.map((l) => l.id) ?? []);
  const lines = raw?.map((line, i): Omit<OrderLine, 'id'> & { id: string | null } => {
    const lr = new FieldReader(line, `material_entity[${i}].`, true);
    const lid = lineId(lr, known);
    const material = lr.ref('material_id', 'material_number', books.material, '商品', true)!;
    const unit = lr.ref('unit_id', 'unit_number', books.unit, '计量单位', true)!;
    if (unit.id !== material.base_unit_id) throw err.format(lr.name('unit_id'));
    const qty = lr.dec('qty', { req: true, positive: true, scale: 4 })!;
    const price = lr.dec('price', { req: true, scale: 4 })!;
    const isFree = lr.bool('is_free', true)!;
    const stock = lr.ref('stock_id', 'stock_number', books.store, '仓库');
    const deliveryDate = lr.date('delivery_date') ?? '';
    const comment = lr.str('comment') ?? '';
    return {
      id: lid,
      material_id: material.id,
      unit_id: unit.id,
      qty,
      price,
      amount: lineAmount(qty, price, isFree),
      is_free: isFree,
      stock_id: stock?.id ?? '',
      delivery_date: deliveryDate,
      comment,
      out_qty: '0',
    };
  });
  if (h.billNo !== undefined) checkUnique(books.order, h.billNo, target?.id ?? null, true);
  const header = scmHeaderFields(h, target);
  const finalLines: OrderLine[] = lines
    ? lines.map((l) => ({ ...l, id: l.id ?? ctx.state.nextId() }))
    : target!.lines;
  const rec: OrderRec = {
    ...stamp(
      ctx,
      target,
      id,
      h.billNo ?? target?.number ?? autoNumber(ctx, 'sal_bill_order', books.order, header.bill_date),
    ),
    ...header,
    bill_close_state: target?.bill_close_state ?? 'C',
    lines: finalLines,
    total_amount: canon(finalLines.reduce((a, l) => a.plus(l.amount), new Decimal(0))),
  };
  books.order.put(rec);
  if (h.audit) auditBill(ctx, 'sal_bill_order', rec.id);
  return books.order.get(rec.id)!;
}

function row(ctx: Ctx, o: OrderRec): Json {
  const io = ioStatus(o);
  return {
    ...billRowHead(o),
    bill_close_state: o.bill_close_state,
    ...partyFields(ctx, o),
    io_status: io,
    real_io_status: io,
    total_amount: o.total_amount,
    ...times(o),
  };
}

export function orderDetail(ctx: Ctx, o: OrderRec): Json {
  const { books } = ctx;
  return {
    ...row(ctx, o),
    ...scmDetailHead(o),
    material_entity: o.lines.map((l, i) => {
      const unOut = canon(Decimal.max(0, dec(l.qty).minus(l.out_qty)));
      return {
        id: l.id,
        seq: i + 1,
        material_id: l.material_id,
        material_number: refNumber(books.material, l.material_id),
        material_name: refName(books.material, l.material_id),
        unit_id: l.unit_id,
        unit_number: refNumber(books.unit, l.unit_id),
        unit_name: refName(books.unit, l.unit_id),
        qty: l.qty,
        price: l.price,
        amount: l.amount,
        is_free: l.is_free,
        stock_id: l.stock_id,
        stock_number: refNumber(books.store, l.stock_id),
        stock_name: refName(books.store, l.stock_id),
        delivery_date: l.delivery_date,
        comment: l.comment,
        out_qty: l.out_qty,
        un_out_qty: unOut,
        real_out_qty: l.out_qty,
        real_un_out_qty: unOut,
      };
    }),
  };
}

export function listOrders(ctx: Ctx, q: Query): Json {
  const p = listParams(q);
  const f = billFilters(ctx, q, ['C', 'Z'], { billNo: true, customerNumber: true });
  const rows = queryRecords(ctx.books.order, p, byBillDateDesc, f.key, f.pred);
  return listPage(rows, p, false, (o) => row(ctx, o));
}

export const orderDetailQuery = (ctx: Ctx, q: Query): Json =>
  orderDetail(ctx, findForDetail(ctx.books.order, q, LABEL));
