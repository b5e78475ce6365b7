import type { ErpReader } from '../../erp/plugin.js';
import type { ChangePage, LiveRecord } from '../object-module.js';

/** ERP records as source records: changed ones keyed by number, deletions from the deletion log. */
export async function* erpChanges<T extends { id: string; number: string }>(
  reader: ErpReader<T>,
  cursor: string | null,
): AsyncIterable<ChangePage<T>> {
  for await (const page of reader.changes(cursor)) {
    yield {
      records: [
        ...page.records.map((r) => ({ id: r.id, key: r.number, data: r })),
        ...page.deleted.map((d) => ({ id: d.id, key: d.number, deleted: true as const })),
      ],
      cursor: page.cursor,
    };
  }
}

export async function erpFetch<T extends { id: string; number: string }>(
  reader: ErpReader<T>,
  id: string,
): Promise<LiveRecord<T> | null> {
  const r = await reader.get(id);
  return r ? { id: r.id, key: r.number, data: r } : null;
}

/** The CRM id of an ERP reference: its mapping, or — not synced yet — sync it now. */
export async function crmRef(
  env: import('../sync-env.js').SyncEnv,
  object: import('../keys.js').ObjectKey,
  erpId: string | null,
): Promise<string | null> {
  if (!erpId) return null;
  return (await env.crmIdOf(object, erpId)) ?? (await env.syncDependency(object, erpId));
}
