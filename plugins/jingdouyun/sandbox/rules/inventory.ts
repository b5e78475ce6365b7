import { Decimal } from '../../../../src/lib/decimal.js';
import { pairKey, type InvRec, type OrderRec } from '../state.js';
import { canon, dec } from '../validate.js';
import type { Ctx } from '../resources/common.js';

/** `io_status` of §6.2 from the order lines' out_qty. */
export function ioStatus(order: Pick<OrderRec, 'lines'>): string {
  if (order.lines.every((l) => dec(l.out_qty).isZero())) return 'A';
  if (order.lines.every((l) => dec(l.out_qty).gte(l.qty))) return 'C';
  return 'Z';
}

/** Pairs of an order's lines that have a warehouse. */
export function orderPairs(order: OrderRec): string[] {
  return order.lines.filter((l) => l.stock_id).map((l) => pairKey(l.material_id, l.stock_id));
}

/** Reserved quantity per pair (§6.6): open remainders of live, audited, open, not fully-out orders. */
function reserved(ctx: Ctx, pairs: ReadonlySet<string>): Map<string, Decimal> {
  const out = new Map<string, Decimal>();
  for (const order of ctx.books.order.byId.values()) {
    if (order.bill_status !== 'C' || order.bill_close_state !== 'C' || ioStatus(order) === 'C') continue;
    for (const l of order.lines) {
      if (!l.stock_id) continue;
      const key = pairKey(l.material_id, l.stock_id);
      if (!pairs.has(key)) continue;
      const rest = Decimal.max(0, dec(l.qty).minus(l.out_qty));
      out.set(key, (out.get(key) ?? new Decimal(0)).plus(rest));
    }
  }
  return out;
}

/**
 * Applies qty deltas and recomputes valid_qty for the touched pairs; a pair is created at qty 0 on
 * first touch and its modify_time moves only when qty or valid_qty changed (§6.6).
 */
export function touchInventory(
  ctx: Ctx,
  pairs: Iterable<string>,
  deltas: ReadonlyMap<string, Decimal> = new Map(),
): void {
  const keys = new Set([...pairs, ...deltas.keys()]);
  if (keys.size === 0) return;
  const res = reserved(ctx, keys);
  for (const key of keys) {
    const [materialId, stockId] = key.split('|') as [string, string];
    const cur = ctx.books.inventory.get(materialId, stockId);
    const qty = dec(cur?.qty ?? '0').plus(deltas.get(key) ?? 0);
    const valid = qty.minus(res.get(key) ?? 0);
    const next: InvRec = {
      material_id: materialId,
      stock_id: stockId,
      qty: canon(qty),
      valid_qty: canon(valid),
      modify_time: ctx.now,
    };
    if (cur && cur.qty === next.qty && cur.valid_qty === next.valid_qty) continue;
    ctx.books.inventory.put(next);
  }
}

/** Seed: sets a pair's qty outright (§8.2), then recomputes its valid_qty. */
export function setInventoryQty(
  ctx: Ctx,
  materialId: string,
  stockId: string,
  qty: string,
  modifyTime: number,
): void {
  const key = pairKey(materialId, stockId);
  const valid = dec(qty).minus(reserved(ctx, new Set([key])).get(key) ?? 0);
  ctx.books.inventory.put({
    material_id: materialId,
    stock_id: stockId,
    qty,
    valid_qty: canon(valid),
    modify_time: modifyTime,
  });
}
