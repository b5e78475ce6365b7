import { where, type Json } from '../../fxiaoke/client/index.js';
import type { ChangePage, LiveRecord } from '../object-module.js';
import type { SyncEnv } from '../sync-env.js';

/** The CRM's own overlap for incremental reads (§12 item 7): the next watermark is the largest
 * last_modified_time seen minus 10 minutes. Idempotent writes absorb the re-read records. */
const OVERLAP_MS = 10 * 60_000;
const PAGE = 100;
/** Ids per `IN` filter when reading records by id (the contract's batch size). */
export const IN_BATCH = 100;

export type CrmRecord = Json & { _id: string; name?: string; last_modified_time?: number };

const keyOf = (r: CrmRecord, keyField: string): string => String(r[keyField] ?? r.name ?? r._id);

/**
 * CRM records changed since the watermark, through the `_id` cursor (no 10 000-row limit). The
 * watermark moves only when the whole scan is done (the scan is in `_id` order, not time order),
 * so a crash re-reads from the old watermark. A first read starts at the connection time: records
 * older than the plugin are not pushed in bulk (an order still brings its customer along).
 */
export async function* crmChanges(
  env: SyncEnv,
  apiName: string,
  cursor: string | null,
  keyField = 'name',
): AsyncIterable<ChangePage<CrmRecord>> {
  const from = cursor ? (JSON.parse(cursor) as { w: number }).w : env.connectedAt - OVERLAP_MS;
  let newest = from + OVERLAP_MS;
  let batch: LiveRecord<CrmRecord>[] = [];
  for await (const record of env.crm.data.scan(apiName, {
    filters: [where.gte('last_modified_time', from)],
  })) {
    const r = record as CrmRecord;
    newest = Math.max(newest, Number(r.last_modified_time ?? 0));
    batch.push({ id: r._id, key: keyOf(r, keyField), data: r });
    if (batch.length === PAGE) {
      yield { records: batch, cursor };
      batch = [];
    }
  }
  yield { records: batch, cursor: JSON.stringify({ w: newest - OVERLAP_MS }) };
}

export async function crmFetch(
  env: SyncEnv,
  apiName: string,
  id: string,
  keyField = 'name',
): Promise<LiveRecord<CrmRecord> | null> {
  try {
    const r = (await env.crm.data.get(apiName, id)) as CrmRecord;
    return { id: r._id, key: keyOf(r, keyField), data: r };
  } catch (error) {
    if ((error as { code?: unknown }).code === 32004) return null;
    throw error;
  }
}

/** Records by id, with `IN` queries of up to 100 ids (§17); deleted ones are absent. */
export async function crmFetchMany(
  env: SyncEnv,
  apiName: string,
  ids: readonly string[],
  keyField = 'name',
): Promise<Map<string, LiveRecord<CrmRecord>>> {
  const found = new Map<string, LiveRecord<CrmRecord>>();
  for (let i = 0; i < ids.length; i += IN_BATCH) {
    const chunk = ids.slice(i, i + IN_BATCH);
    for await (const record of env.crm.data.scan(apiName, { filters: [where.in('_id', chunk)] })) {
      const r = record as CrmRecord;
      found.set(r._id, { id: r._id, key: keyOf(r, keyField), data: r });
    }
  }
  return found;
}

/** A field with no value (absent, null or the empty string). */
export const isEmpty = (value: unknown): boolean => value === undefined || value === null || value === '';

/** The label of a select_one value, through the describe (never hard-coded codes). */
export async function optionLabel(
  env: SyncEnv,
  apiName: string,
  field: string,
  value: unknown,
): Promise<string | null> {
  if (isEmpty(value)) return null;
  const describe = await env.crm.data.describe(apiName);
  return describe.field(field)?.options?.find((o) => o.value === String(value))?.label ?? null;
}

/** The first element of an employee field (owner), or null. */
export const firstUser = (value: unknown): string | null =>
  Array.isArray(value) && typeof value[0] === 'string' ? value[0] : null;
