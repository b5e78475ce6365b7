import type { CheckpointRepository } from '../../dal/checkpoint/checkpoint.repository.js';
import type { MappingEntity } from '../../dal/mapping/mapping.entity.js';
import type { MappingRepository } from '../../dal/mapping/mapping.repository.js';
import type { SyncRecordRepository } from '../../dal/sync-record/sync-record.repository.js';
import { emptyCounts, type RunCounts } from '../../dal/sync-run/sync-run.entity.js';
import type { SyncRunRepository } from '../../dal/sync-run/sync-run.repository.js';
import type { AnySyncObjectModule, LiveRecord, SourceRecord } from '../object-module.js';
import type { SyncEnv } from '../sync-env.js';
import { mapLimit } from '../../lib/map-limit.js';
import { processRecord, type RecordResult } from './process-record.js';

export interface ObjectRunDeps {
  mappings: MappingRepository;
  syncRecords: SyncRecordRepository;
  checkpoints: CheckpointRepository;
  runs: SyncRunRepository;
  /** Records of one page processed at once (outside calls overlap; the rate limiters pace them). */
  concurrency: number;
  /** Called after every page (extends the job lock). */
  heartbeat(): Promise<void>;
}

export class AuthLostError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'AuthLostError';
  }
}

/** Stops the work when a record found the authorisation lost: the tenant must pause. */
export function throwIfAuthLost(results: readonly RecordResult[]): void {
  const authLost = results.find((r) => r.authLost)?.authLost;
  if (authLost) throw new AuthLostError(authLost);
}

/**
 * Processes a batch of source records of one object: one read of their sync records and mappings,
 * an optional batch lookup of existing targets, the records themselves, and one write of their
 * sync records. Used by runs (a page of changes) and by retries (due records).
 */
export async function processBatch(
  deps: ObjectRunDeps,
  env: SyncEnv,
  module: AnySyncObjectModule,
  batch: ReadonlyArray<SourceRecord<unknown>>,
): Promise<{ counts: RunCounts; results: RecordResult[] }> {
  // A record changed twice inside overlapping windows appears twice: keep its last version.
  const records = [...new Map(batch.map((r) => [r.id, r])).values()];
  const ids = records.map((r) => r.id);
  const recordIds = records.map((r) => `${env.tenantId}:${module.key}:${module.direction}:${r.id}`);
  const [previous, mappingList] = await Promise.all([
    deps.syncRecords.findByIds(env.tenantId, recordIds),
    module.direction === 'jdy_to_crm'
      ? deps.mappings.byErpIds(env.tenantId, module.key, ids)
      : deps.mappings.byCrmIds(env.tenantId, module.key, ids),
  ]);
  const mappingOf = (id: string): MappingEntity | null => mappingList.get(id) ?? null;

  let prematched: Map<string, string> | null = null;
  const premapped = new Map<string, Awaited<ReturnType<typeof module.map>>>();
  if (module.matchMany) {
    const unmapped: Array<{ source: LiveRecord<unknown>; mapped: unknown }> = [];
    for (const source of records) {
      if (mappingOf(source.id) || source.deleted) continue;
      const mapped = await module.map(env, source);
      premapped.set(source.id, mapped);
      if (mapped.ok) unmapped.push({ source, mapped: mapped.value });
    }
    if (unmapped.length) prematched = await module.matchMany(env, unmapped);
  }

  const now = () => new Date(env.clock.now());
  const results = await mapLimit(records, deps.concurrency, (source) =>
    processRecord(
      env,
      module,
      source,
      previous.get(`${env.tenantId}:${module.key}:${module.direction}:${source.id}`) ?? null,
      {
        mapping: mappingOf(source.id),
        ...(prematched ? { prematched: prematched.get(source.id) ?? null } : {}),
        ...(premapped.has(source.id) ? { premapped: premapped.get(source.id)! } : {}),
        link: async (sourceId, targetId, sourceKey) => {
          const [erpId, crmId] =
            module.direction === 'jdy_to_crm' ? [sourceId, targetId] : [targetId, sourceId];
          return (
            await deps.mappings.link(
              env.tenantId,
              module.key,
              erpId,
              crmId,
              module.direction === 'jdy_to_crm' ? sourceKey : '',
              now(),
            )
          ).ok;
        },
      },
    ),
  );
  // A synced record seen again unchanged (a re-read window, a change the mapping ignores) keeps its
  // log row as it was: rewriting it would only move its time, at one database write per record.
  const seenBefore = (r: RecordResult) => previous.get(r.record._id)?.status === 'synced';
  await deps.syncRecords.bulkUpsert(
    env.tenantId,
    results.filter((r) => !(r.count === 'unchanged' && seenBefore(r))).map((r) => r.record),
    previous,
  );
  const counts = emptyCounts();
  counts.seen = results.length;
  for (const r of results) counts[r.count]++;
  return { counts, results };
}

/**
 * Reads an object's source changes page by page from its checkpoint, processes each page and
 * moves the checkpoint after it — so a crash repeats at most one page, and idempotent writes make
 * the repeat harmless.
 */
export async function runObject(
  deps: ObjectRunDeps,
  env: SyncEnv,
  module: AnySyncObjectModule,
): Promise<RunCounts> {
  const total = emptyCounts();
  const checkpoint = await deps.checkpoints.get(env.tenantId, module.key, module.direction);
  for await (const page of module.readChanges(env, checkpoint?.cursor ?? null)) {
    const { counts, results } = await processBatch(deps, env, module, page.records);
    throwIfAuthLost(results);
    await deps.checkpoints.save(
      env.tenantId,
      module.key,
      module.direction,
      page.cursor,
      false,
      new Date(env.clock.now()),
    );
    await deps.runs.recordPage(
      env.tenantId,
      env.run.id,
      module.key,
      counts,
      'running',
      new Date(env.clock.now()),
    );
    for (const k of Object.keys(total) as Array<keyof RunCounts>) total[k] += counts[k];
    await deps.heartbeat();
  }
  // Reading reached the end: the object's first full sync (if this was it) is done.
  const cursor = (await deps.checkpoints.get(env.tenantId, module.key, module.direction))?.cursor ?? null;
  await deps.checkpoints.save(
    env.tenantId,
    module.key,
    module.direction,
    cursor,
    true,
    new Date(env.clock.now()),
  );
  await deps.runs.recordPage(env.tenantId, env.run.id, module.key, {}, 'done', new Date(env.clock.now()));
  return total;
}
