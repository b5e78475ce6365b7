import { ENTITIES, cmpId, cmpStr } from '../state.js';
import type { AccountSet, BaseRec, Books, EntityNumber, EntityStore, SandboxState } from '../state.js';
import { formatDt } from '../time.js';
import { ApiError, err, type Json } from '../validate.js';

/** What a handler of one account set works with; `now` is the virtual now in whole seconds. */
export interface Ctx {
  state: SandboxState;
  account: AccountSet;
  books: Books;
  now: number;
}

/** Parsed query: a scalar sent twice uses its first value; arrays also split on ',' (§4.1). */
export class Query {
  constructor(readonly pairs: ReadonlyArray<readonly [string, string]>) {}
  has(key: string): boolean {
    return this.pairs.some(([k]) => k === key);
  }
  first(key: string): string | undefined {
    return this.pairs.find(([k]) => k === key)?.[1];
  }
  all(key: string): string[] {
    return this.pairs.filter(([k]) => k === key).flatMap(([, v]) => v.split(',').filter((s) => s !== ''));
  }
  dict(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [k, v] of this.pairs) (out[k] ??= []).push(v);
    return out;
  }
}

export type SaveData = {
  ids: string[];
  id_number_map: Record<string, string>;
};

export function saveData(recs: readonly BaseRec[]): SaveData {
  const map: Record<string, string> = {};
  for (const r of recs) map[r.id] = r.number;
  return { ids: recs.map((r) => r.id), id_number_map: map };
}

export interface ListParams {
  page: number;
  pageSize: number;
  modStart: number | null;
  modEnd: number | null;
  createStart: number | null;
  createEnd: number | null;
  windowed: boolean;
}

function positiveInt(q: Query, key: string, fallback: number): number {
  const raw = q.first(key);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || !Number.isSafeInteger(Number(raw))) throw err.format(key);
  return Number(raw);
}

function msParam(q: Query, key: string): number | null {
  const raw = q.first(key);
  if (raw === undefined) return null;
  if (!/^\d{1,13}$/.test(raw)) throw err.format(key);
  return Number(raw);
}

export function listParams(q: Query, withCreate = true): ListParams {
  const page = positiveInt(q, 'page', 1);
  const pageSize = positiveInt(q, 'page_size', 10);
  if (pageSize > 100) throw new ApiError(1030002005, 'page_size超出限制，最大100');
  const modStart = msParam(q, 'modify_start_time');
  const modEnd = msParam(q, 'modify_end_time');
  const createStart = withCreate ? msParam(q, 'create_start_time') : null;
  const createEnd = withCreate ? msParam(q, 'create_end_time') : null;
  return {
    page,
    pageSize,
    modStart,
    modEnd,
    createStart,
    createEnd,
    windowed: modStart !== null || modEnd !== null,
  };
}

/** `enable` filter of §4.4; returns the predicate value or null for all. */
export function enableFilter(q: Query, fallback: '1' | '-1'): string | null {
  const v = q.first('enable') ?? fallback;
  if (v !== '1' && v !== '0' && v !== '-1') throw err.format('enable');
  return v === '-1' ? null : v;
}

/** ASCII-folding case-insensitive substring (§4.4). */
export function asciiFold(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

export function listPage<T>(
  rows: readonly T[],
  p: ListParams,
  countAsString: boolean,
  render: (r: T) => Json,
): Json {
  const start = (p.page - 1) * p.pageSize;
  const pageRows = rows.slice(start, start + p.pageSize).map(render);
  return {
    count: countAsString ? String(rows.length) : rows.length,
    page: p.page,
    page_size: p.pageSize,
    total_page: Math.ceil(rows.length / p.pageSize),
    current_page: p.page,
    current_page_size: pageRows.length,
    rows: pageRows,
  };
}

const byModify = (a: BaseRec, b: BaseRec): number => a.modify_time - b.modify_time || cmpId(a.id, b.id);
export const byNumber = (a: BaseRec, b: BaseRec): number => cmpStr(a.number, b.number) || cmpId(a.id, b.id);

/** bills without a window: bill_date descending, then id descending (§4.3). */
export const byBillDateDesc = (
  a: BaseRec & { bill_date: string },
  b: BaseRec & { bill_date: string },
): number => cmpStr(b.bill_date, a.bill_date) || cmpId(b.id, a.id);

function lowerBound<T>(rows: readonly T[], below: (r: T) => boolean): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (below(rows[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * All records matching a list query in §4.3 order, cached per store version so paging through a
 * large entity does not re-sort or re-filter it on every page.
 */
export function queryRecords<T extends BaseRec>(
  store: EntityStore<T>,
  p: ListParams,
  defaultCmp: (a: T, b: T) => number,
  filterKey: string,
  pred: ((r: T) => boolean) | null,
): T[] {
  const key = `q|${p.modStart}|${p.modEnd}|${p.createStart}|${p.createEnd}|${filterKey}`;
  return store.cached(key, () => {
    let rows: readonly T[];
    if (p.windowed) {
      const sorted = store.cached('sort|modify', () => [...store.byId.values()].sort(byModify));
      const start = p.modStart ?? -Infinity;
      const end = p.modEnd ?? Infinity;
      if (start > end) return [];
      rows = sorted.slice(
        lowerBound(sorted, (r) => r.modify_time < start),
        lowerBound(sorted, (r) => r.modify_time <= end),
      );
    } else {
      rows = store.cached('sort|default', () => [...store.byId.values()].sort(defaultCmp));
    }
    const cs = p.createStart;
    const ce = p.createEnd;
    if (cs === null && ce === null && !pred) return rows.slice();
    return rows.filter(
      (r) =>
        (cs === null || r.create_time >= cs) && (ce === null || r.create_time <= ce) && (!pred || pred(r)),
    );
  });
}

/** Detail lookup by `id` or `number` (§5 preamble). */
export function findForDetail<T extends BaseRec>(store: EntityStore<T>, q: Query, label: string): T {
  const id = q.first('id');
  if (id !== undefined && id !== '') {
    const rec = store.get(id);
    if (!rec) throw err.notFound(label, id);
    return rec;
  }
  const number = q.first('number');
  if (number !== undefined && number !== '') {
    const rec = store.byNumber.get(number);
    if (!rec) throw err.notFound(label, number);
    return rec;
  }
  throw err.missing('id');
}

export const times = (r: BaseRec): Json => ({
  create_time: formatDt(r.create_time),
  modify_time: formatDt(r.modify_time),
});

export const refName = <T extends BaseRec & { name: string }>(store: EntityStore<T>, id: string): string =>
  id ? (store.get(id)?.name ?? '') : '';
export const refNumber = <T extends BaseRec>(store: EntityStore<T>, id: string): string =>
  id ? (store.get(id)?.number ?? '') : '';

/**
 * Auto-numbering of §6.7: a counter per (account set, entity[, bill_date]) that skips taken
 * numbers; being journaled, a failed save consumes nothing.
 */
export function autoNumber(
  ctx: Ctx,
  entity: EntityNumber,
  store: EntityStore<BaseRec>,
  billDate?: string,
): string {
  const prefix = ENTITIES[entity].prefix!;
  const ymd = billDate?.replaceAll('-', '');
  const key = ymd ? `${entity}|${ymd}` : entity;
  let n = ctx.books.counter(key);
  const make = (i: number): string =>
    ymd ? `${prefix}-${ymd}-${String(i).padStart(5, '0')}` : `${prefix}${String(i).padStart(6, '0')}`;
  while (store.byNumber.has(make(n))) n++;
  ctx.books.setCounter(key, n + 1);
  return make(n);
}

/** Step 4 of §3.2: number/bill_no unique among other live records. */
export function checkUnique(
  store: EntityStore<BaseRec>,
  number: string,
  selfId: string | null,
  bill: boolean,
): void {
  const other = store.byNumber.get(number);
  if (other && other.id !== selfId) {
    throw new ApiError(
      1030002002,
      bill ? `单据编号${number}已存在，不能重复新增` : `编码${number}已存在，不能重复新增`,
    );
  }
}

export function checkName(
  store: EntityStore<BaseRec>,
  name: string | undefined,
  selfId: string | null,
  ignoreWarn: boolean,
) {
  if (name !== undefined && !ignoreWarn && store.nameTaken(name, selfId)) {
    throw new ApiError(1030002002, `名称${name}已存在`);
  }
}

/** Options a seed passes to a create (§8.2). */
export interface SaveOpts {
  presetId?: string;
}

/** The record id: taken before any line id on create (§6.1). */
export function recordId(ctx: Ctx, target: BaseRec | null, opts: SaveOpts): string {
  return target?.id ?? opts.presetId ?? ctx.state.nextId();
}

/** Fixed header fields of a saved record (§6.9: create_time once, modify_time now). */
export function stamp(ctx: Ctx, target: BaseRec | null, id: string, number: string): BaseRec {
  return { id, number, create_time: target?.create_time ?? ctx.now, modify_time: ctx.now };
}
