import type { BillHeader, EntityStore, PayLine } from '../state.js';
import { formatDt } from '../time.js';
import { FieldReader, lineId, type Json } from '../validate.js';
import { billFilters, billRowHead, partyFields } from './scm.js';
import { byBillDateDesc, listPage, listParams, queryRecords, type Ctx, type Query } from './common.js';

/** Pay lines shared by receipts and pre-receipts (§5.10, §5.11). */
export function readPays(ctx: Ctx, raw: Json[], known: ReadonlySet<string>): PayLine[] {
  const lines = raw.map((line, i) => {
    const lr = new FieldReader(line, `pay_entry_list[${i}].`, true);
    const id = lineId(lr, known);
    const amount = lr.dec('amount', { req: true, positive: true, scale: 2 })!;
    const account = lr.str('settle_account_id', true)!;
    const comment = lr.str('comment') ?? '';
    return { id, amount, settle_account_id: account, comment };
  });
  return lines.map((l) => ({ ...l, id: l.id ?? ctx.state.nextId() }));
}

export const payRows = (pays: readonly PayLine[]): Json[] =>
  pays.map((p, i) => ({
    id: p.id,
    seq: i + 1,
    amount: p.amount,
    settle_account_id: p.settle_account_id,
    comment: p.comment,
  }));

export function arapDetailHead(b: BillHeader): Json {
  return { dept_id: b.dept_id, audit_time: b.audit_time === null ? '' : formatDt(b.audit_time) };
}

export function arapRowHead(ctx: Ctx, b: BillHeader): Json {
  return { ...billRowHead(b), ...partyFields(ctx, b) };
}

export function listArap<T extends BillHeader & { remark: string }>(
  ctx: Ctx,
  store: EntityStore<T>,
  q: Query,
  render: (b: T) => Json,
): Json {
  const p = listParams(q);
  const f = billFilters(ctx, q, ['C', 'A'], { customerId: true, search: true });
  const rows = queryRecords(store, p, byBillDateDesc, f.key, f.pred);
  return listPage(rows, p, false, render);
}
