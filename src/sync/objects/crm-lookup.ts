import { FxQuery, where, type FxFilter } from '../../fxiaoke/client/index.js';
import type { LiveRecord } from '../object-module.js';
import type { SyncEnv } from '../sync-env.js';

/** The one live CRM record matching `filter`, or null (several: the first by _id). */
export async function findLive(env: SyncEnv, apiName: string, filter: FxFilter): Promise<string | null> {
  const page = await env.crm.data.query(
    apiName,
    FxQuery.create(2).filter(filter, where.live()).orderBy('_id').project('_id'),
  );
  return page.dataList[0]?._id ?? null;
}

/**
 * Business-key lookup for a page of records in one query per 100 keys (instead of one per
 * record): source id → the live CRM record whose `field` equals the record's key.
 */
export async function findLiveMany<S, T>(
  env: SyncEnv,
  apiName: string,
  field: string,
  records: ReadonlyArray<{ source: LiveRecord<S>; mapped: T }>,
  keyOf: (mapped: T) => string,
): Promise<Map<string, string>> {
  const keys = [...new Set(records.map((r) => keyOf(r.mapped)).filter((k) => k !== ''))];
  const found = new Map<string, string>();
  for (let i = 0; i < keys.length; i += 100) {
    const chunk = keys.slice(i, i + 100);
    const page = await env.crm.data.query(
      apiName,
      FxQuery.create(100).filter(where.in(field, chunk), where.live()).orderBy('_id').project('_id', field),
    );
    for (const row of page.dataList) {
      const value = String(row[field] ?? '');
      if (!found.has(value)) found.set(value, row._id);
    }
  }
  return new Map(
    records.flatMap(({ source, mapped }) => {
      const id = found.get(keyOf(mapped));
      return id ? [[source.id, id]] : [];
    }),
  );
}
