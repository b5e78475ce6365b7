import { cmpId, cmpStr, type InvRec } from '../state.js';
import { formatDt } from '../time.js';
import type { Json } from '../validate.js';
import { listPage, listParams, refName, refNumber, type Ctx, type Query } from './common.js';

/** `GET /jdy/v2/scm/inventory` (§5.12). */
export function listInventory(ctx: Ctx, q: Query): Json {
  const { books } = ctx;
  const p = listParams(q, false);
  const materialIds = new Set(q.all('material_ids'));
  for (const n of q.all('material_numbers')) materialIds.add(books.material.byNumber.get(n)?.id ?? `#${n}`);
  const stockIds = new Set(q.all('stock_ids'));
  for (const n of q.all('stock_numbers')) stockIds.add(books.store.byNumber.get(n)?.id ?? `#${n}`);
  const filterMaterial = q.has('material_ids') || q.has('material_numbers');
  const filterStock = q.has('stock_ids') || q.has('stock_numbers');
  const key = JSON.stringify([
    p.modStart,
    p.modEnd,
    filterMaterial && [...materialIds],
    filterStock && [...stockIds],
  ]);
  const rows = books.inventory.cached(key, () => {
    if (p.modStart !== null && p.modEnd !== null && p.modStart > p.modEnd) return [];
    const matching = [...books.inventory.byPair.values()].filter(
      (r) =>
        (!filterMaterial || materialIds.has(r.material_id)) &&
        (!filterStock || stockIds.has(r.stock_id)) &&
        (p.modStart === null || r.modify_time >= p.modStart) &&
        (p.modEnd === null || r.modify_time <= p.modEnd),
    );
    const num = (r: InvRec) =>
      [refNumber(books.material, r.material_id), refNumber(books.store, r.stock_id)] as const;
    return p.windowed
      ? matching.sort(
          (a, b) =>
            a.modify_time - b.modify_time ||
            cmpId(a.material_id, b.material_id) ||
            cmpId(a.stock_id, b.stock_id),
        )
      : matching
          .map((r) => ({ r, n: num(r) }))
          .sort((a, b) => cmpStr(a.n[0], b.n[0]) || cmpStr(a.n[1], b.n[1]))
          .map((x) => x.r);
  });
  return listPage(rows, p, false, (r) => inventoryRow(ctx, r));
}

export function inventoryRow(ctx: Ctx, r: InvRec): Json {
  const { books } = ctx;
  return {
    material_id: r.material_id,
    material_number: refNumber(books.material, r.material_id),
    material_name: refName(books.material, r.material_id),
    stock_id: r.stock_id,
    stock_number: refNumber(books.store, r.stock_id),
    stock_name: refName(books.store, r.stock_id),
    qty: r.qty,
    valid_qty: r.valid_qty,
    modify_time: formatDt(r.modify_time),
  };
}
