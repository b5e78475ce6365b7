import { cmpId, isEntityNumber, type DeletedRow } from '../state.js';
import { formatDt } from '../time.js';
import { err, type Json } from '../validate.js';
import { listPage, listParams, type Ctx, type Query } from './common.js';

/** `GET /jdy/v2/sys/deleted_log` (§4.5): window on delete_time, ordered by delete_time then id. */
export function listDeleted(ctx: Ctx, q: Query): Json {
  const entity = q.first('entity_number');
  if (entity === undefined || entity === '') throw err.missing('entity_number');
  if (!isEntityNumber(entity)) throw err.notFound('业务对象', entity);
  const p = listParams(q, false);
  const start = p.modStart ?? -Infinity;
  const end = p.modEnd ?? Infinity;
  const rows = ctx.books.deleted
    .filter((r) => r.entity_number === entity && r.delete_time >= start && r.delete_time <= end)
    .sort((a, b) => a.delete_time - b.delete_time || cmpId(a.id, b.id));
  return listPage(rows, p, false, deletedRow);
}

export const deletedRow = (r: DeletedRow): Json => ({
  entity_number: r.entity_number,
  id: r.id,
  number: r.number,
  delete_time: formatDt(r.delete_time),
});
