import type { ErpChangePage } from '../../../src/erp/plugin.js';
import type { ErpRef } from '../../../src/erp/records.js';
import { IntegrationError } from '../../../src/lib/errors.js';
import type { Clock } from '../../../src/lib/clock.js';
import {
  isDeletedLogUnavailable,
  type JdyClient,
  type JdyEntityNumber,
  type JdyWindowBatch,
  type WindowOptions,
} from '../client/index.js';
import { WINDOW_END_LAG_MS } from '../client/list.js';

/** Product rule (sync-rules §6.2): each window starts two minutes before the previous one ended. */
const WINDOW_OVERLAP_MS = 120_000;

/** Details read side by side: with real network latency (50–100 ms) four left the import below the rate limit. */
const DETAIL_CONCURRENCY = 8;

/** What one stream contributes for one fully read window. */
interface StreamBatch<T> {
  to: number;
  records: T[];
  deleted: ErpRef[];
}

/**
 * One modify-time ordered source of an object: a list (records) or a deletion log. `key` names its
 * position in the cursor, so an object made of several sources (payments) resumes each one exactly.
 */
interface ChangeStream<T> {
  key: string;
  batches(window: WindowOptions): AsyncIterable<StreamBatch<T>>;
}

/** The cursor: for each stream, the end (epoch ms, inclusive) of its last fully read window. */
type Positions = Record<string, number>;

function parseCursor(cursor: string | null): Positions {
  if (cursor === null) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(cursor);
  } catch {
    parsed = undefined;
  }
  const valid =
    typeof parsed === 'object' &&
    parsed !== null &&
    !Array.isArray(parsed) &&
    Object.values(parsed).every((v) => Number.isSafeInteger(v) && (v as number) >= 0);
  if (!valid) {
    throw new IntegrationError({
      system: 'jdy',
      errorClass: 'unexpected',
      code: 'bad_cursor',
      message: `金蝶精斗云同步游标无法识别: ${cursor}`,
    });
  }
  return { ...(parsed as Positions) };
}

/**
 * Reads every stream from its own position minus the overlap (from 0 when it has none) up to one end
 * fixed for the whole call at now − 5 s. A page is yielded per window that had content, carrying
 * the cursor with that window counted as read; a last empty page carries the final cursor.
 */
export async function* readChanges<T>(
  clock: Clock,
  streams: ReadonlyArray<ChangeStream<T>>,
  cursor: string | null,
): AsyncGenerator<ErpChangePage<T>> {
  const positions = parseCursor(cursor);
  const to = clock.now() - WINDOW_END_LAG_MS;
  let yielded = cursor;
  for (const stream of streams) {
    const pos = positions[stream.key];
    const from = pos === undefined ? 0 : Math.max(0, pos - WINDOW_OVERLAP_MS);
    const advance = (end: number): void => {
      positions[stream.key] = Math.max(positions[stream.key] ?? 0, end);
    };
    for await (const batch of stream.batches({ from, to })) {
      advance(batch.to);
      if (batch.records.length === 0 && batch.deleted.length === 0) continue;
      yielded = JSON.stringify(positions);
      yield { records: batch.records, deleted: batch.deleted, cursor: yielded };
    }
    // A window with from > to reads nothing but is still complete.
    advance(to);
  }
  const final = JSON.stringify(positions);
  if (final !== yielded) yield { records: [], deleted: [], cursor: final };
}

/** Maps with at most `limit` calls in flight, keeping the order of `items`. */
export async function mapLimit<A, B>(
  items: readonly A[],
  fn: (item: A) => Promise<B>,
  limit = DETAIL_CONCURRENCY,
): Promise<B[]> {
  const out = new Array<B>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    // After a failure the other workers stop taking items: the page is abandoned anyway.
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i] as A);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * A list stream: each window's rows become records through `toRecords`, which returns null for a
 * row whose record vanished meanwhile (its deletion comes through the deletion log).
 */
export function listStream<Row, T>(
  key: string,
  read: (window: WindowOptions) => AsyncIterable<JdyWindowBatch<Row>>,
  toRecord: (row: Row) => Promise<T | null>,
): ChangeStream<T> {
  return {
    key,
    async *batches(window) {
      for await (const batch of read(window)) {
        const records = (await mapLimit(batch.rows, toRecord)).filter((r): r is T => r !== null);
        yield { to: batch.to, records, deleted: [] };
      }
    },
  };
}

/** The deletion log of one entity in the same windows; without a log (real service) it yields nothing. */
export function deletionStream<T>(client: JdyClient, entity: JdyEntityNumber): ChangeStream<T> {
  return {
    key: `deleted:${entity}`,
    async *batches(window) {
      try {
        for await (const batch of client.deletions(entity, window)) {
          const deleted = batch.rows.map((row) => ({ id: row.id, number: row.number }));
          yield { to: batch.to, records: [], deleted };
        }
      } catch (e) {
        // The host reconciles deletions another way when the service keeps no log (§4.5).
        if (!isDeletedLogUnavailable(e)) throw e;
      }
    },
  };
}
