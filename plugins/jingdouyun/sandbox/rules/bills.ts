import { Decimal } from '../../../../src/lib/decimal.js';
import {
  pairKey,
  type BillHeader,
  type EntityNumber,
  type OrderRec,
  type OutboundRec,
  type PreReceiptRec,
  type ReceiptRec,
} from '../state.js';
import { ApiError, canon, dec, err } from '../validate.js';
import type { Ctx } from '../resources/common.js';
import { orderPairs, touchInventory } from './inventory.js';

const NOT_USABLE = '未找到源单或源单未审核或订单已关闭';
const OTHER_CUSTOMER = '源单客户与单据客户不一致';

/** The part of an outbound that §6.4 checks, before or after it is stored. */
export type OutboundDraft = Pick<OutboundRec, 'id' | 'customer_id' | 'lines'>;

/** §6.4 link and quantity checks for an outbound (at save and at audit). */
export function checkOutbound(ctx: Ctx, out: OutboundDraft): void {
  const wanted = new Map<string, { order: OrderRec; lineIndex: number; qty: Decimal }>();
  for (const line of out.lines) {
    if (!line.src_inter_id) continue;
    const order = ctx.books.order.get(line.src_inter_id);
    const lineIndex = order ? order.lines.findIndex((l) => l.id === line.src_entry_id) : -1;
    if (!order || order.bill_status !== 'C' || order.bill_close_state !== 'C' || lineIndex < 0)
      throw err.source(NOT_USABLE);
    if (order.customer_id !== out.customer_id) throw err.source(OTHER_CUSTOMER);
    if (order.lines[lineIndex]!.material_id !== line.material_id)
      throw err.source('源单商品与分录商品不一致');
    const key = line.src_entry_id;
    const prev = wanted.get(key);
    wanted.set(key, { order, lineIndex, qty: (prev?.qty ?? new Decimal(0)).plus(line.qty) });
  }
  for (const { order, lineIndex, qty } of wanted.values()) {
    const ol = order.lines[lineIndex]!;
    if (qty.plus(ol.out_qty).gt(ol.qty)) throw err.source('出库数量超过源单未出库数量');
  }
}

/** Σ cur_settle_amount of audited receipts other than `exceptReceipt` on an outbound. */
export function settledByOthers(out: OutboundRec, exceptReceipt: string | null): Decimal {
  let sum = new Decimal(0);
  for (const [rid, amount] of Object.entries(out.settled)) if (rid !== exceptReceipt) sum = sum.plus(amount);
  return sum;
}

export type ReceiptDraft = Pick<ReceiptRec, 'id' | 'customer_id' | 'pays' | 'srcs' | 'total_discount_amount'>;

/** §6.5 for receipts: usable sources, the unsettled limit, then the amounts adding up. */
export function checkReceipt(ctx: Ctx, rc: ReceiptDraft): void {
  const perOutbound = new Map<string, { out: OutboundRec; sum: Decimal }>();
  for (const src of rc.srcs) {
    const out = ctx.books.outbound.get(src.src_bill_id);
    if (!out || out.bill_status !== 'C') throw err.source(NOT_USABLE);
    if (out.customer_id !== rc.customer_id) throw err.source(OTHER_CUSTOMER);
    const prev = perOutbound.get(out.id);
    perOutbound.set(out.id, { out, sum: (prev?.sum ?? new Decimal(0)).plus(src.cur_settle_amount) });
  }
  for (const { out, sum } of perOutbound.values()) {
    const unsettled = dec(out.total_amount).minus(settledByOthers(out, rc.id));
    if (sum.gt(unsettled)) throw new ApiError(2016043025, '核销金额超过未核销金额');
  }
  const pay = sumOf(rc.pays.map((p) => p.amount));
  const settle = sumOf(rc.srcs.map((s) => s.cur_settle_amount)).minus(rc.total_discount_amount);
  if (!pay.eq(settle)) throw new ApiError(2016043009, '收款金额合计不等于本次核销金额合计减折扣');
}

export type PreReceiptDraft = Pick<PreReceiptRec, 'customer_id' | 'pays' | 'sels'>;

export function checkPreReceipt(ctx: Ctx, pr: PreReceiptDraft): void {
  for (const sel of pr.sels) {
    const order = ctx.books.order.get(sel.src_inter_id);
    if (!order || order.bill_status !== 'C' || order.bill_close_state !== 'C') throw err.source(NOT_USABLE);
    if (order.customer_id !== pr.customer_id) throw err.source(OTHER_CUSTOMER);
  }
  if (pr.sels.length > 0) {
    const pay = sumOf(pr.pays.map((p) => p.amount));
    if (!pay.eq(sumOf(pr.sels.map((s) => s.cur_settle_amount)))) {
      throw new ApiError(2016043009, '本次预收金额合计不等于收款总金额');
    }
  }
}

export const sumOf = (values: readonly string[]): Decimal =>
  values.reduce((a, v) => a.plus(v), new Decimal(0));

export type BillEntity = 'sal_bill_order' | 'sal_bill_outbound' | 'ar_creditbill' | 'ar_precreditbill';
export const isBillEntity = (e: EntityNumber): e is BillEntity =>
  e === 'sal_bill_order' || e === 'sal_bill_outbound' || e === 'ar_creditbill' || e === 'ar_precreditbill';

const unauditedStatus = (entity: BillEntity): string =>
  entity === 'sal_bill_order' || entity === 'sal_bill_outbound' ? 'Z' : 'A';

/** Audit (§6.3): re-runs the cross-document checks, then applies the effects. Audited → no change. */
export function auditBill(ctx: Ctx, entity: BillEntity, id: string): void {
  const { books } = ctx;
  const audited = <T extends BillHeader>(r: T): T => ({
    ...r,
    bill_status: 'C',
    audit_time: ctx.now,
    modify_time: ctx.now,
  });
  switch (entity) {
    case 'sal_bill_order': {
      const order = books.order.get(id)!;
      if (order.bill_status === 'C') return;
      books.order.put(audited(order));
      touchInventory(ctx, orderPairs(order));
      return;
    }
    case 'sal_bill_outbound': {
      const out = books.outbound.get(id)!;
      if (out.bill_status === 'C') return;
      checkOutbound(ctx, out);
      books.outbound.put(audited(out));
      moveOutbound(ctx, out, 1);
      return;
    }
    case 'ar_creditbill': {
      const rc = books.receipt.get(id)!;
      if (rc.bill_status === 'C') return;
      checkReceipt(ctx, rc);
      books.receipt.put(audited(rc));
      settle(ctx, rc, true);
      return;
    }
    case 'ar_precreditbill': {
      const pr = books.preReceipt.get(id)!;
      if (pr.bill_status === 'C') return;
      checkPreReceipt(ctx, pr);
      books.preReceipt.put(audited(pr));
      return;
    }
  }
}

/** Unaudit (§6.3): refused while a live downstream bill references it; reverses the effects. */
export function unauditBill(ctx: Ctx, entity: BillEntity, id: string): void {
  const { books } = ctx;
  const back = <T extends BillHeader>(r: T): T => ({
    ...r,
    bill_status: unauditedStatus(entity),
    audit_time: null,
    modify_time: ctx.now,
  });
  const blocked = (label: string, billNo: string) =>
    new ApiError(1030002004, `${label}[${billNo}]已被下游单据引用，无法反审核`);
  switch (entity) {
    case 'sal_bill_order': {
      const order = books.order.get(id)!;
      if (order.bill_status !== 'C') return;
      if (orderReferenced(ctx, id)) throw blocked('销售订单', order.number);
      books.order.put(back(order));
      touchInventory(ctx, orderPairs(order));
      return;
    }
    case 'sal_bill_outbound': {
      const out = books.outbound.get(id)!;
      if (out.bill_status !== 'C') return;
      if (outboundReferenced(ctx, id)) throw blocked('销售出库单', out.number);
      books.outbound.put(back(out));
      moveOutbound(ctx, out, -1);
      return;
    }
    case 'ar_creditbill': {
      const rc = books.receipt.get(id)!;
      if (rc.bill_status !== 'C') return;
      books.receipt.put(back(rc));
      settle(ctx, rc, false);
      return;
    }
    case 'ar_precreditbill': {
      const pr = books.preReceipt.get(id)!;
      if (pr.bill_status !== 'C') return;
      books.preReceipt.put(back(pr));
      return;
    }
  }
}

export function orderReferenced(ctx: Ctx, orderId: string): boolean {
  for (const out of ctx.books.outbound.byId.values())
    if (out.lines.some((l) => l.src_inter_id === orderId)) return true;
  for (const pr of ctx.books.preReceipt.byId.values())
    if (pr.sels.some((s) => s.src_inter_id === orderId)) return true;
  return false;
}

export function outboundReferenced(ctx: Ctx, outId: string): boolean {
  for (const rc of ctx.books.receipt.byId.values())
    if (rc.srcs.some((s) => s.src_bill_id === outId)) return true;
  return false;
}

/** Audit (+1) or unaudit (−1) of an outbound: order out_qty, io_status, inventory (§6.4, §6.6). */
function moveOutbound(ctx: Ctx, out: OutboundRec, sign: 1 | -1): void {
  const { books } = ctx;
  const byOrder = new Map<string, Map<string, Decimal>>();
  const deltas = new Map<string, Decimal>();
  for (const l of out.lines) {
    const key = pairKey(l.material_id, l.stock_id);
    deltas.set(key, (deltas.get(key) ?? new Decimal(0)).minus(dec(l.qty).times(sign)));
    if (!l.src_inter_id) continue;
    const perLine = byOrder.get(l.src_inter_id) ?? new Map<string, Decimal>();
    perLine.set(l.src_entry_id, (perLine.get(l.src_entry_id) ?? new Decimal(0)).plus(dec(l.qty).times(sign)));
    byOrder.set(l.src_inter_id, perLine);
  }
  const pairs: string[] = [];
  for (const [orderId, perLine] of byOrder) {
    const order = books.order.get(orderId);
    if (!order) continue;
    const lines = order.lines.map((l) => {
      const d = perLine.get(l.id);
      return d ? { ...l, out_qty: canon(Decimal.max(0, dec(l.out_qty).plus(d))) } : l;
    });
    const next = { ...order, lines, modify_time: ctx.now };
    books.order.put(next);
    pairs.push(...orderPairs(next));
  }
  touchInventory(ctx, pairs, deltas);
}

/** Receipt audit/unaudit: the outbounds' settled amounts and modify_time (§6.5). */
function settle(ctx: Ctx, rc: ReceiptRec, on: boolean): void {
  const sums = new Map<string, Decimal>();
  for (const s of rc.srcs)
    sums.set(s.src_bill_id, (sums.get(s.src_bill_id) ?? new Decimal(0)).plus(s.cur_settle_amount));
  for (const [outId, sum] of sums) {
    const out = ctx.books.outbound.get(outId);
    if (!out) continue;
    const settled = { ...out.settled };
    if (on) settled[rc.id] = canon(sum);
    else delete settled[rc.id];
    ctx.books.outbound.put({ ...out, settled, modify_time: ctx.now });
  }
}
