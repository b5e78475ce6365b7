import type { TenantId } from '../../db/base-repository.js';
import type { ConnectionRepository } from '../../dal/connection/connection.repository.js';
import type { LockRepository } from '../../dal/lock/lock.repository.js';
import type { SyncRecordEntity } from '../../dal/sync-record/sync-record.entity.js';
import type { SyncRunEntity } from '../../dal/sync-run/sync-run.entity.js';
import { fromStoredPayload } from '../../db/payload.js';
import type { JobContext, JobOutcome } from '../../jobs/job-outcome.js';
import type { Clock } from '../../lib/clock.js';
import { IntegrationError, messageOf } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { OBJECT_LABELS, type ObjectKey } from '../keys.js';
import type { AnySyncObjectModule, SourceRecord } from '../object-module.js';
import type { ModuleRegistry } from '../registry.js';
import type { SyncEnv } from '../sync-env.js';
import { mapLimit } from '../../lib/map-limit.js';
import type { RecordResult } from './process-record.js';
import { withRenewedLease } from './lease.js';
import { AuthLostError, processBatch, runObject, throwIfAuthLost, type ObjectRunDeps } from './run-object.js';

/** Records of change events processed as one page. */
const EVENT_PAGE = 100;

export interface EngineDeps extends Omit<ObjectRunDeps, 'heartbeat'> {
  registry: ModuleRegistry;
  locks: LockRepository;
  connections: ConnectionRepository;
  clock: Clock;
  logger: Logger;
  /** This process; each piece of work holds a lease as "<owner>:<work>", so works of one process exclude each other too. */
  owner: string;
  /** How long a tenant's sync lease lasts without a heartbeat (a crashed holder loses it then). */
  leaseMs: number;
  /** The tenant's environment for a run, or null when it cannot sync (not connected, paused, uninstalled). */
  envFor(tenantId: TenantId, run: Pick<SyncRunEntity, '_id' | 'trigger'>): Promise<SyncEnv | null>;
  /** One CRM text message to the tenant's chosen admins. */
  notify(tenantId: TenantId, text: string): Promise<void>;
  /** Runs the run's job again later (the tenant is busy in another process). */
  requeue(tenantId: TenantId, runId: string, delayMs: number): Promise<void>;
}

const leaseKey = (tenantId: TenantId) => `sync:${tenantId}`;
const now = (deps: EngineDeps) => new Date(deps.clock.now());

/**
 * Executes a run: its objects in dependency order, each from its checkpoint, under a per-tenant
 * lease so two processes never sync one tenant at once. Safe to call again for the same run after
 * a crash: it continues from the checkpoints.
 */
export async function executeRun(
  deps: EngineDeps,
  tenantId: TenantId,
  runId: string,
  job: JobContext,
): Promise<JobOutcome> {
  const run = await deps.runs.findById(tenantId, runId);
  if (!run) return { status: 'skipped', reason: 'run not found' };
  if (run.status !== 'queued' && run.status !== 'running')
    return { status: 'skipped', reason: `run already ${run.status}` };
  // The holder is this run, not this process: the process's event and retry jobs must wait for it.
  const holder = `${deps.owner}:${runId}`;
  // The scheduler may start a run's job again while it still runs here (its job lock ran out while
  // the database was away); the lease is the run's own, so only this stops a second executor beside it.
  if (executing.has(holder)) {
    await deps.requeue(tenantId, runId, 5_000);
    return { status: 'continued', detail: 'the run is already executing in this process; requeued' };
  }
  executing.add(holder);
  const lostLease = () => new Error('lost the tenant sync lease');
  // A lease found lost (by the renewal timer or a page's heartbeat) stops the run at its next page.
  let lost: Error | null = null;
  const key = leaseKey(tenantId);
  const heartbeat = async (): Promise<void> => {
    if (lost) throw lost;
    await job.touch();
    if (!(await deps.locks.extend(key, holder, deps.leaseMs, now(deps)))) throw lostLease();
  };
  try {
    const held = await withRenewedLease(
      { locks: deps.locks, key, holder, leaseMs: deps.leaseMs, now: () => now(deps) },
      () => syncHeldRun({ ...deps, heartbeat }, tenantId, run),
      () => void (lost ??= lostLease()),
    );
    if (held !== 'busy') return held.value;
  } finally {
    executing.delete(holder);
  }
  await deps.requeue(tenantId, runId, 5_000);
  return { status: 'continued', detail: 'another process is syncing this tenant; run requeued' };
}

/** Runs being executed by this process ("<owner>:<runId>"). */
const executing = new Set<string>();

/** The run's objects in dependency order, the lease held. */
async function syncHeldRun(
  deps: EngineDeps & ObjectRunDeps,
  tenantId: TenantId,
  run: SyncRunEntity,
): Promise<JobOutcome> {
  const runId = run._id;
  try {
    const env = await deps.envFor(tenantId, run);
    if (!env) {
      await deps.runs.finish(tenantId, runId, 'failed', '租户未连接精斗云或同步已暂停', now(deps));
      return { status: 'skipped', reason: 'tenant cannot sync' };
    }
    await deps.runs.markRunning(tenantId, runId, now(deps));
    let failed = 0;
    const done = new Set<ObjectKey>();
    for (const module of deps.registry.ordered(run.objects)) {
      // A dependency that syncs for this tenant must have had its first sync (in this run or before).
      const blocked = module.dependsOn.some((d) =>
        deps.registry.of(d).some((dep) => dep.enabled(env) && !env.initialDone(d) && !done.has(d)),
      );
      if (!module.enabled(env) || blocked) continue;
      const counts = await runObject(deps, env, module);
      failed += counts.failed;
      done.add(module.key);
    }
    for (const key of run.objects) await deps.runs.recordPage(tenantId, runId, key, {}, 'done', now(deps));
    await deps.runs.finish(tenantId, runId, failed ? 'completed_with_errors' : 'completed', null, now(deps));
    if (failed) await notifyFailures(deps, tenantId, failed);
    return { status: 'done', detail: `${failed} failed` };
  } catch (error) {
    if (error instanceof AuthLostError) {
      await deps.runs.finish(tenantId, runId, 'failed', `同步已暂停：${error.message}`, now(deps));
      await pauseTenant(deps, tenantId, error.message);
      return { status: 'done', detail: 'authorisation lost: tenant paused' };
    }
    // Anything else (database down, a bug): leave the run "running"; the job is retried from the checkpoints.
    deps.logger.error({ tenantId, runId, err: messageOf(error) }, 'sync run interrupted');
    throw error;
  }
}

/** Pauses a tenant's sync once and tells its admins once (a paused tenant is not paused again). */
export async function pauseTenant(deps: EngineDeps, tenantId: TenantId, reason: string): Promise<void> {
  if (await deps.connections.pause(tenantId, reason, now(deps))) {
    await deps
      .notify(tenantId, `【精斗云同步】同步已暂停：${reason}。请管理员在插件的“连接精斗云”页面重新连接。`)
      .catch((e: unknown) => deps.logger.warn({ tenantId, err: messageOf(e) }, 'pause notice not sent'));
  }
}

async function notifyFailures(deps: EngineDeps, tenantId: TenantId, failed: number): Promise<void> {
  await deps
    .notify(
      tenantId,
      `【精斗云同步】本次同步有 ${failed} 条记录失败，请在插件的“同步日志”中查看原因并重新同步。`,
    )
    .catch((e: unknown) => deps.logger.warn({ tenantId, err: messageOf(e) }, 'failure notice not sent'));
}

/**
 * Syncs one source record now, outside the page flow: a manual retry, or an automatic retry.
 * `replay` uses the stored snapshot instead of fetching; `known` is the record's log row when
 * fetching: a source gone since then is handled as deleted. Answers the target id, or null.
 */
export async function syncOne(
  deps: ObjectRunDeps,
  env: SyncEnv,
  module: AnySyncObjectModule,
  sourceId: string,
  replay: SyncRecordEntity | null = null,
  known: SyncRecordEntity | null = null,
): Promise<string | null> {
  const record = await syncSource(deps, env, module, sourceId, replay, known);
  return record?.status === 'synced' ? record.targetId : null;
}

/**
 * Syncs a record another one needs first (an order's customer or product): answers its target id,
 * or null when it cannot be synced (its own log row says why). Held up by a passing failure, it
 * throws a passing error, so the record that needs it waits on the retry ladder too instead of failing.
 */
export async function syncDependency(
  deps: ObjectRunDeps,
  env: SyncEnv,
  module: AnySyncObjectModule,
  sourceId: string,
): Promise<string | null> {
  const record = await syncSource(deps, env, module, sourceId, null, null);
  if (record?.status === 'pending')
    throw new IntegrationError({
      system: module.direction === 'crm_to_jdy' ? 'jdy' : 'crm',
      errorClass: 'transient',
      code: 'dependency_pending',
      message: `${OBJECT_LABELS[module.key]}「${record.sourceKey}」尚未同步完成（见它的同步记录）`,
    });
  return record?.status === 'synced' ? record.targetId : null;
}

async function syncSource(
  deps: ObjectRunDeps,
  env: SyncEnv,
  module: AnySyncObjectModule,
  sourceId: string,
  replay: SyncRecordEntity | null,
  known: SyncRecordEntity | null,
): Promise<RecordResult['record'] | null> {
  const fetched = replay ? fromSnapshot(replay) : await module.fetch(env, sourceId);
  const source: SourceRecord<unknown> | null =
    fetched ?? (known ? { id: known.sourceId, key: known.sourceKey, deleted: true } : null);
  if (!source) return null;
  const { results } = await processBatch(deps, env, module, [source]);
  const result = results[0]!;
  if (result.authLost) throw new AuthLostError(result.authLost);
  return result.record;
}

/**
 * Syncs records named by change events: fetched together (`fetchMany`, else one by one), then
 * processed as pages. Ids no longer in the source are skipped (the poll's deletion handling owns them).
 */
export async function syncMany(
  deps: ObjectRunDeps,
  env: SyncEnv,
  module: AnySyncObjectModule,
  sourceIds: readonly string[],
): Promise<void> {
  for (let i = 0; i < sourceIds.length; i += EVENT_PAGE) {
    const ids = sourceIds.slice(i, i + EVENT_PAGE);
    const sources = module.fetchMany
      ? [...(await module.fetchMany(env, ids)).values()]
      : (await mapLimit(ids, deps.concurrency, (id) => module.fetch(env, id))).filter((r) => r !== null);
    throwIfAuthLost((await processBatch(deps, env, module, sources)).results);
  }
}

/** The automatic retry sweep: due "pending" records are tried again from their snapshot. */
export async function retryDue(
  deps: EngineDeps,
  tenantId: TenantId,
  env: SyncEnv,
  limit = 200,
): Promise<number> {
  const due = await deps.syncRecords.dueForRetry(tenantId, now(deps), limit);
  const objectDeps: ObjectRunDeps = { ...deps, heartbeat: async () => undefined };
  const byModule = new Map<string, SyncRecordEntity[]>();
  for (const r of due)
    byModule.set(`${r.object}:${r.direction}`, [...(byModule.get(`${r.object}:${r.direction}`) ?? []), r]);
  for (const records of byModule.values()) {
    const module = deps.registry.get(records[0]!.object, records[0]!.direction);
    if (!module) continue;
    const sources = records.map(fromSnapshot);
    const { results } = await processBatch(objectDeps, env, module, sources);
    const authLost = results.find((r) => r.authLost)?.authLost;
    if (authLost) {
      await pauseTenant(deps, tenantId, authLost);
      break;
    }
  }
  return due.length;
}

/** The source record a sync record last saw (a null snapshot is a deletion). */
function fromSnapshot(r: SyncRecordEntity): SourceRecord<unknown> {
  const data = fromStoredPayload(r.snapshot);
  return data === null
    ? { id: r.sourceId, key: r.sourceKey, deleted: true }
    : { id: r.sourceId, key: r.sourceKey, data };
}
