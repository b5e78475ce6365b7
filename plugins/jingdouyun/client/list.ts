import { IntegrationError } from '../../../src/lib/errors.js';
import { DELETED_LOG_UNAVAILABLE, jdyError } from './errors.js';
import { isRecord, normalize, toCount } from './parse.js';
import type { JdyQuery, JdySession } from './transport.js';
import type { JdyDeletedRow, JdyEntityNumber } from './types.js';

export const MAX_PAGE_SIZE = 100;
/** §4.6: stay clear of records still being written. */
export const WINDOW_END_LAG_MS = 5_000;

export interface JdyPage<T> {
  count: number;
  page: number;
  pageSize: number;
  totalPage: number;
  rows: T[];
}

export function parsePage<T>(data: unknown, map: (row: unknown) => T): JdyPage<T> {
  const d = isRecord(data) ? data : {};
  const rows = Array.isArray(d.rows) ? d.rows.map((r) => map(normalize(r))) : [];
  return {
    count: toCount(d.count),
    page: toCount(d.page ?? d.current_page),
    pageSize: toCount(d.page_size),
    totalPage: toCount(d.total_page),
    rows,
  };
}

const identity = <T>(row: unknown): T => row as T;

export async function readPage<T>(
  session: JdySession,
  path: string,
  query: JdyQuery,
  map: (row: unknown) => T = identity,
): Promise<JdyPage<T>> {
  return parsePage(await session.get<unknown>(path, query), map);
}

/** Every row of a list, page by page; stops on `page ≥ total_page` or an empty page (§9.8). */
export async function* listAll<T>(
  session: JdySession,
  path: string,
  query: JdyQuery = {},
  map: (row: unknown) => T = identity,
): AsyncGenerator<T> {
  for (let page = 1; ; page++) {
    const result = await readPage(session, path, { ...query, page, page_size: MAX_PAGE_SIZE }, map);
    yield* result.rows;
    if (result.rows.length === 0 || page >= result.totalPage) return;
  }
}

export interface WindowOptions {
  /** Inclusive start, epoch ms; usually the previous checkpoint + 1. Default 0. */
  from?: number;
  /** Inclusive end fixed for the run; default now − 5 s. */
  to?: number;
  pageSize?: number;
}

/** The rows of one fully read modify-time window. After handling them, `to` is the new checkpoint. */
export interface JdyWindowBatch<T> {
  rows: T[];
  from: number;
  to: number;
}

/** Middle of [from, to], on a second boundary when one is available (record times are whole seconds). */
function splitPoint(from: number, to: number): number {
  const mid = from + Math.floor((to - from) / 2);
  const aligned = Math.floor((mid + 1) / 1000) * 1000 - 1;
  return aligned >= from && aligned < to ? aligned : mid;
}

/**
 * The §4.6 recipe: windows of at most one page, split in halves while a window holds more than a
 * page, down to one second (which alone may need several pages). Windows come out in time order.
 */
export async function* readWindows<T>(
  session: JdySession,
  path: string,
  query: JdyQuery,
  options: WindowOptions = {},
  map: (row: unknown) => T = identity,
): AsyncGenerator<JdyWindowBatch<T>> {
  const pageSize = Math.min(options.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
  const end = options.to ?? session.clock.now() - WINDOW_END_LAG_MS;
  const pending: Array<[number, number]> = [[options.from ?? 0, end]];
  while (pending.length) {
    const [from, to] = pending.pop()!;
    if (from > to) continue;
    const windowQuery = { ...query, modify_start_time: from, modify_end_time: to, page_size: pageSize };
    const first = await readPage(session, path, { ...windowQuery, page: 1 }, map);
    const oneSecond = to - from < 1000;
    if (first.count > pageSize && !oneSecond) {
      const mid = splitPoint(from, to);
      pending.push([mid + 1, to], [from, mid]);
      continue;
    }
    const rows = [...first.rows];
    for (let page = 2; first.rows.length > 0 && page <= first.totalPage; page++) {
      const next = await readPage(session, path, { ...windowQuery, page }, map);
      if (next.rows.length === 0) break;
      rows.push(...next.rows);
    }
    yield { rows, from, to };
  }
}

/**
 * Deletions of one entity from the deletion log (§4.5), in the same windows. The real service has no
 * such log: its 404/519 answer becomes DELETED_LOG_UNAVAILABLE so the caller reconciles instead.
 */
export async function* readDeletions(
  session: JdySession,
  entityNumber: JdyEntityNumber,
  options: WindowOptions = {},
): AsyncGenerator<JdyWindowBatch<JdyDeletedRow>> {
  try {
    yield* readWindows<JdyDeletedRow>(
      session,
      '/jdy/v2/sys/deleted_log',
      { entity_number: entityNumber },
      options,
    );
  } catch (e) {
    if (e instanceof IntegrationError && (e.httpStatus === 404 || e.httpStatus === 519)) {
      throw jdyError(DELETED_LOG_UNAVAILABLE, '金蝶精斗云未提供删除日志，请改用全量核对', {
        errorClass: 'data',
      });
    }
    throw e;
  }
}
