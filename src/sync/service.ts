import { randomBytes } from 'node:crypto';
import type { TenantId } from '../db/base-repository.js';
import type { BindingRepository } from '../dal/binding/binding.repository.js';
import type { CheckpointRepository } from '../dal/checkpoint/checkpoint.repository.js';
import type { ConnectionRepository } from '../dal/connection/connection.repository.js';
import type { CrmWritebackRepository } from '../dal/crm-writeback/crm-writeback.repository.js';
import type { LockRepository } from '../dal/lock/lock.repository.js';
import type { MappingRepository } from '../dal/mapping/mapping.repository.js';
import type { SettingsRepository } from '../dal/settings/settings.repository.js';
import type { SyncRecordRepository } from '../dal/sync-record/sync-record.repository.js';
import type { RunTrigger, SyncRunEntity } from '../dal/sync-run/sync-run.entity.js';
import type { SyncRunRepository } from '../dal/sync-run/sync-run.repository.js';
import type { TenantEntity } from '../dal/tenant/tenant.entity.js';
import type { TenantRepository } from '../dal/tenant/tenant.repository.js';
import type { ErpPlugin } from '../erp/plugin.js';
import type { FxClient } from '../fxiaoke/client/index.js';
import type { JobContext, JobOutcome } from '../jobs/job-outcome.js';
import type { Scheduler } from '../jobs/scheduler.js';
import { TenantKicker } from '../jobs/tenant-kicker.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { flushCrmWritebacks } from './crm-writeback.js';
import { baseSyncEnv } from './engine/env.js';
import { withRenewedLease } from './engine/lease.js';
import { executeRun, retryDue, syncDependency, syncMany, syncOne, type EngineDeps } from './engine/engine.js';
import type { Direction, ObjectKey } from './keys.js';
import { owners } from './owners.js';
import type { ModuleRegistry } from './registry.js';
import type { SyncEnv } from './sync-env.js';
import { inWindow } from './schedule.js';

export const SYNC_JOBS = {
  /** Executes one run (data: tenantId, runId). */
  run: 'sync.run',
  /** Per tenant, every N minutes in timed mode: a run of the objects that poll. */
  poll: 'sync.poll',
  /** Per tenant, every M minutes in timed mode: inventory only. */
  inventory: 'sync.inventory',
  /** Per tenant, every minute: records whose retry is due. */
  retry: 'sync.retry',
  /** Daily: sync records older than 90 days are removed. */
  retention: 'sync.retention',
  /** One record again (重新同步 / 从源系统重新拉取). */
  record: 'sync.record',
  /** Per tenant, queued by new write-backs: the writes owed to CRM records (an order's 同步状态). */
  writeback: 'sync.crm-writeback',
  /** Every minute: tenants owed overdue write-backs get their job again (lost to a crash or a race). */
  writebackSweep: 'sync.crm-writeback-sweep',
} as const;

/** The CRM refused the plugin's authorisation: owed writes wait this long before a new try. */
const WRITEBACK_AUTH_WAIT_MS = 5 * 60_000;

export interface RecordJobData {
  tenantId: string;
  recordId: string;
  refetch: boolean;
}

export interface RunJobData {
  tenantId: string;
  runId: string;
}

export interface TenantJobData {
  tenantId: string;
}

export interface SyncServiceDeps {
  clock: Clock;
  logger: Logger;
  scheduler: Scheduler;
  modules: ModuleRegistry;
  erp: ErpPlugin;
  /** A CRM client of the tenant acting as `userId`. */
  crmFor(tenant: TenantEntity, userId: string): FxClient;
  /** Sends one CRM text message to users of a tenant. */
  message(tenant: TenantEntity, userIds: string[], text: string): Promise<void>;
  repos: {
    tenants: TenantRepository;
    connections: ConnectionRepository;
    settings: SettingsRepository;
    bindings: BindingRepository;
    mappings: MappingRepository;
    syncRecords: SyncRecordRepository;
    runs: SyncRunRepository;
    checkpoints: CheckpointRepository;
    locks: LockRepository;
    crmWritebacks: CrmWritebackRepository;
  };
  leaseMs: number;
  concurrency: number;
}

const RETENTION_DAYS = 90;

/** The CRM objects whose change events the sync follows, and their sync object. */
// Orders first: every order also changes its customer (成交状态), and an order waiting behind its
// customer's re-check would wait for nothing — an order whose customer is not in the ERP yet syncs
// that customer first itself.
const CRM_OBJECTS: ReadonlyArray<readonly [string, ObjectKey]> = [
  ['SalesOrderObj', 'salesOrder'],
  ['AccountObj', 'customer'],
];

/**
 * Runs of the sync engine as jobs: manual, timed, event-driven and first runs; the retry sweep;
 * retention; the start-up reconcile of runs a crash left behind. The only place that turns tenant
 * state (connection, settings, bindings) into a SyncEnv.
 */
export class SyncService {
  readonly engine: EngineDeps;
  /** Queues a tenant's writer job shortly after its write-backs are put. */
  private readonly writebackKicker = new TenantKicker(
    (tenantId) => this.queueWriteback(tenantId, 0),
    (tenantId, error) =>
      this.deps.logger.warn(
        { tenantId, err: String(error) },
        'CRM write-back job not queued; the sweep will',
      ),
  );

  constructor(private readonly deps: SyncServiceDeps) {
    const r = deps.repos;
    this.engine = {
      registry: deps.modules,
      mappings: r.mappings,
      syncRecords: r.syncRecords,
      checkpoints: r.checkpoints,
      runs: r.runs,
      locks: r.locks,
      connections: r.connections,
      clock: deps.clock,
      logger: deps.logger,
      owner: `proc-${process.pid}-${randomBytes(3).toString('hex')}`,
      leaseMs: deps.leaseMs,
      concurrency: deps.concurrency,
      envFor: (tenantId, run) => this.envFor(tenantId, run),
      notify: (tenantId, text) => this.notify(tenantId, text),
      // Agenda runs on the wall clock, so job times do too (not the injectable clock).
      requeue: (tenantId, runId, delayMs) =>
        deps.scheduler.agenda
          .schedule(new Date(Date.now() + delayMs), SYNC_JOBS.run, { tenantId, runId })
          .then(() => undefined),
    };
  }

  private now(): Date {
    return new Date(this.deps.clock.now());
  }

  /** Every object that has a module, in dependency order. */
  allObjects(): ObjectKey[] {
    return [...new Set(this.deps.modules.ordered().map((m) => m.key))];
  }

  /** Creates a run and queues it. */
  async startRun(
    tenantId: TenantId,
    trigger: RunTrigger,
    objects?: readonly ObjectKey[],
  ): Promise<SyncRunEntity> {
    const wanted = objects?.length ? objects : this.allObjects();
    const ordered = [...new Set(this.deps.modules.ordered(wanted).map((m) => m.key))];
    // Until some object has finished its first import, any run is the initialisation (§2).
    const initialised = (await this.deps.repos.checkpoints.all(tenantId)).some((c) => c.initialDone);
    const run = await this.deps.repos.runs.create(
      tenantId,
      initialised ? trigger : 'initial',
      ordered,
      this.now(),
    );
    await this.deps.scheduler.now<RunJobData>(SYNC_JOBS.run, { tenantId, runId: run._id });
    return run;
  }

  /** The tenant's environment, or null when it cannot sync now (uninstalled, not connected, paused). */
  async envFor(tenantId: TenantId, run: Pick<SyncRunEntity, '_id' | 'trigger'>): Promise<SyncEnv | null> {
    const r = this.deps.repos;
    const [tenant, connection] = await Promise.all([
      r.tenants.findById(tenantId),
      r.connections.get(tenantId),
    ]);
    if (!tenant || tenant.status !== 'active' || !connection || connection.status !== 'connected')
      return null;
    const [settings, checkpoints, maps] = await Promise.all([
      r.settings.get(tenantId),
      r.checkpoints.all(tenantId),
      r.bindings.maps(tenantId),
    ]);
    const defaultOwner = settings.defaultOwnerId ?? connection.connectedBy;
    const env: SyncEnv = baseSyncEnv({
      tenantId,
      clock: this.deps.clock,
      logger: this.deps.logger.child({ tenantId, runId: run._id }),
      settings,
      run: { id: run._id, trigger: run.trigger },
      erp: this.deps.erp.sync(r.connections.open(connection)),
      crm: this.deps.crmFor(tenant, connection.connectedBy),
      owners: owners(maps, defaultOwner),
      connectedAt: connection.connectedAt.getTime(),
      checkpoints,
      mappings: r.mappings,
      syncDependency: async (object, sourceId) => {
        const module =
          this.deps.modules.of(object).find((m) => m.enabled(env)) ?? this.deps.modules.get(object);
        if (!module) return null;
        return syncDependency({ ...this.engine, heartbeat: async () => undefined }, env, module, sourceId);
      },
      writebacks: r.crmWritebacks,
      writebackPut: () => this.writebackKicker.kick(tenantId),
    });
    return env;
  }

  /** The tenant's CRM client, or null when the tenant cannot sync (uninstalled, not connected). */
  private async crmOf(tenantId: TenantId): Promise<FxClient | null> {
    const [tenant, connection] = await Promise.all([
      this.deps.repos.tenants.findById(tenantId),
      this.deps.repos.connections.get(tenantId),
    ]);
    if (!tenant || tenant.status !== 'active' || !connection) return null;
    return this.deps.crmFor(tenant, connection.connectedBy);
  }

  private queueWriteback(tenantId: TenantId, delayMs: number): Promise<void> {
    return this.deps.scheduler.queueForTenant(SYNC_JOBS.writeback, tenantId, delayMs);
  }

  private async notify(tenantId: TenantId, text: string): Promise<void> {
    const [tenant, settings, connection] = await Promise.all([
      this.deps.repos.tenants.findById(tenantId),
      this.deps.repos.settings.get(tenantId),
      this.deps.repos.connections.get(tenantId),
    ]);
    const to = settings.notifyUserIds.length
      ? settings.notifyUserIds
      : connection
        ? [connection.connectedBy]
        : [];
    if (tenant && to.length) await this.deps.message(tenant, to, text);
  }

  /** The objects (and directions) that sync for the tenant now: presets and first-run rules applied. */
  async enabledObjects(tenantId: TenantId): Promise<Array<{ key: ObjectKey; direction: Direction }>> {
    const [settings, checkpoints] = await Promise.all([
      this.deps.repos.settings.get(tenantId),
      this.deps.repos.checkpoints.all(tenantId),
    ]);
    const view = {
      settings,
      initialDone: (object: ObjectKey, direction?: Direction) =>
        checkpoints.some(
          (c) => c.object === object && c.initialDone && (!direction || c.direction === direction),
        ),
    };
    return this.deps.modules
      .ordered()
      .filter((m) => m.enabled(view))
      .map((m) => ({ key: m.key, direction: m.direction }));
  }

  /** When the tenant's next timed run is due, or null (manual mode, not scheduled). */
  async nextRunAt(tenantId: TenantId): Promise<Date | null> {
    const found = await this.deps.scheduler.agenda
      .queryJobs({ name: SYNC_JOBS.poll, data: { tenantId } })
      .catch(() => null);
    const next = found?.jobs[0]?.nextRunAt;
    return next ? new Date(next) : null;
  }

  async queueRetry(tenantId: TenantId, recordId: string, refetch: boolean): Promise<void> {
    await this.deps.scheduler.now<RecordJobData>(SYNC_JOBS.record, { tenantId, recordId, refetch });
  }

  /**
   * CRM change events, in timed mode: the changed customers and orders are synced now (the
   * reconciliation poll catches anything an event missed). Answers 'busy' when a run holds the
   * tenant; the caller tries again shortly.
   */
  async syncCrmChanges(
    tenantId: TenantId,
    changes: ReadonlyArray<{ objectApiName: string; objectId: string }>,
  ): Promise<'done' | 'busy' | 'skipped'> {
    const settings = await this.deps.repos.settings.get(tenantId);
    if (settings.schedule.mode !== 'timed') return 'skipped';
    const env = await this.envFor(tenantId, { _id: `event-${this.now().getTime()}`, trigger: 'event' });
    if (!env) return 'skipped';
    const held = await this.withLease(tenantId, 'events', async () => {
      for (const [apiName, key] of CRM_OBJECTS) {
        const ids = [...new Set(changes.filter((c) => c.objectApiName === apiName).map((c) => c.objectId))];
        const module = this.deps.modules.get(key, 'crm_to_jdy');
        if (!module || !module.enabled(env) || ids.length === 0) continue;
        await syncMany({ ...this.engine, heartbeat: async () => undefined }, env, module, ids);
      }
    });
    return held === 'busy' ? 'busy' : 'done';
  }

  /**
   * Runs `fn` under the tenant's sync lease and answers its value, or 'busy'; the holder names the
   * work, for whoever looks at the lease.
   */
  private async withLease<T>(
    tenantId: TenantId,
    work: 'events' | 'record' | 'retry' | 'writeback',
    fn: () => Promise<T>,
  ): Promise<{ value: T } | 'busy'> {
    // Write-backs touch only the CRM's status fields: their own lease, so they never hold up syncing.
    const key = work === 'writeback' ? `writeback:${tenantId}` : `sync:${tenantId}`;
    const holder = `${this.engine.owner}:${work}:${randomBytes(4).toString('hex')}`;
    const locks = this.deps.repos.locks;
    return withRenewedLease({ locks, key, holder, leaseMs: this.deps.leaseMs, now: () => this.now() }, fn);
  }

  // ---- job handlers ----

  recordJob = async (data: RecordJobData): Promise<JobOutcome> => {
    const tenantId = data.tenantId as TenantId;
    const record = await this.deps.repos.syncRecords.findById(tenantId, data.recordId);
    if (!record) return { status: 'skipped', reason: 'record not found' };
    const module = this.deps.modules.get(record.object, record.direction);
    const env = await this.envFor(tenantId, { _id: `retry-${this.now().getTime()}`, trigger: 'retry' });
    if (!module || !env) return { status: 'skipped', reason: 'tenant cannot sync' };
    const outcome = await this.withLease(tenantId, 'record', async () => {
      const [replay, known] = data.refetch ? [null, record] : [record, null];
      await syncOne(
        { ...this.engine, heartbeat: async () => undefined },
        env,
        module,
        record.sourceId,
        replay,
        known,
      );
    });
    if (outcome === 'busy') {
      await this.deps.scheduler.agenda.schedule(new Date(Date.now() + 5_000), SYNC_JOBS.record, data);
      return { status: 'continued', detail: 'tenant busy; retry requeued' };
    }
    return { status: 'done' };
  };

  runJob = async (data: RunJobData, job: JobContext): Promise<JobOutcome> =>
    executeRun(this.engine, data.tenantId as TenantId, data.runId, job);

  /** Timed mode: a run of every object (ERP polling and the CRM reconciliation poll), inside the window. */
  pollJob = async (data: TenantJobData): Promise<JobOutcome> => {
    const tenantId = data.tenantId as TenantId;
    const settings = await this.deps.repos.settings.get(tenantId);
    if (settings.schedule.mode !== 'timed') return { status: 'skipped', reason: 'manual mode' };
    if (!inWindow(settings.schedule.window, this.deps.clock.now()))
      return { status: 'skipped', reason: 'outside the daily window' };
    if ((await this.deps.repos.bindings.boundCount(tenantId)) === 0)
      return { status: 'skipped', reason: 'no employee binding' };
    if (await this.busy(tenantId)) return { status: 'skipped', reason: 'a run is already queued or running' };
    await this.startRun(
      tenantId,
      'timed',
      this.allObjects().filter((o) => o !== 'inventory'),
    );
    return { status: 'done' };
  };

  inventoryJob = async (data: TenantJobData): Promise<JobOutcome> => {
    const tenantId = data.tenantId as TenantId;
    const settings = await this.deps.repos.settings.get(tenantId);
    if (settings.schedule.mode !== 'timed') return { status: 'skipped', reason: 'manual mode' };
    if (!inWindow(settings.schedule.window, this.deps.clock.now()))
      return { status: 'skipped', reason: 'outside the daily window' };
    await this.startRun(tenantId, 'timed', ['inventory']);
    return { status: 'done' };
  };

  retryJob = async (data: TenantJobData): Promise<JobOutcome> => {
    const tenantId = data.tenantId as TenantId;
    // Most sweeps find nothing due: looking first, without the lease, keeps them from holding up
    // the tenant's change events (the lookup scans the records on FerretDB).
    if ((await this.deps.repos.syncRecords.dueForRetry(tenantId, this.now(), 1)).length === 0)
      return { status: 'done', detail: 'nothing due' };
    const env = await this.envFor(tenantId, { _id: `retry-${this.now().getTime()}`, trigger: 'retry' });
    if (!env) return { status: 'skipped', reason: 'tenant cannot sync' };
    // Under the tenant lease like every other sync work: a run or another worker never does a record twice.
    const outcome = await this.withLease(tenantId, 'retry', () => retryDue(this.engine, tenantId, env));
    if (outcome === 'busy') return { status: 'skipped', reason: 'tenant busy; the next sweep retries' };
    return { status: 'done', detail: `${outcome.value} retried` };
  };

  writebackJob = async (data: TenantJobData): Promise<JobOutcome> => {
    const tenantId = data.tenantId as TenantId;
    const crm = await this.crmOf(tenantId);
    if (!crm) return { status: 'skipped', reason: 'tenant cannot sync' };
    // Agenda may start a unique job again while it runs (queueing it again clears its lock): one
    // writer per tenant, and the other comes back shortly for what arrived meanwhile.
    const held = await this.withLease(tenantId, 'writeback', () =>
      flushCrmWritebacks(
        this.deps.repos.crmWritebacks,
        crm,
        this.deps.clock,
        this.deps.logger.child({ tenantId }),
        tenantId,
      ),
    );
    if (held === 'busy') {
      await this.queueWriteback(tenantId, 1_000);
      return { status: 'continued', detail: 'another writer runs; queued again' };
    }
    const { written, dropped, authLost, nextDueAt } = held.value;
    if (nextDueAt) {
      const wait = nextDueAt.getTime() - this.deps.clock.now();
      await this.queueWriteback(tenantId, authLost ? WRITEBACK_AUTH_WAIT_MS : Math.max(1_000, wait));
    }
    return { status: 'done', detail: `${written} written, ${dropped} dropped` };
  };

  writebackSweepJob = async (): Promise<JobOutcome> => {
    const overdue = await this.deps.repos.crmWritebacks.tenantsOverdue(
      new Date(this.deps.clock.now() - 60_000),
    );
    for (const tenantId of overdue) await this.queueWriteback(tenantId, 0);
    return { status: 'done', detail: `${overdue.length} tenants re-queued` };
  };

  retentionJob = async (): Promise<JobOutcome> => {
    const cutoff = new Date(this.deps.clock.now() - RETENTION_DAYS * 86_400_000);
    let removed = 0;
    for (const t of await this.deps.repos.tenants.listActive()) {
      removed += await this.deps.repos.syncRecords.removeOlderThan(t._id as TenantId, cutoff);
    }
    return { status: 'done', detail: `${removed} old sync records removed` };
  };

  private async busy(tenantId: TenantId): Promise<boolean> {
    const recent = await this.deps.repos.runs.recent(tenantId, 5);
    return recent.some((r) => (r.status === 'queued' || r.status === 'running') && r.trigger === 'timed');
  }

  // ---- scheduling ----

  /** (Re)creates the tenant's repeating jobs from its schedule; one set per tenant, never duplicated. */
  async scheduleTenant(tenantId: TenantId): Promise<void> {
    const { schedule } = await this.deps.repos.settings.get(tenantId);
    // Manual mode has no jobs at all (a connect in manual mode must not start retries either).
    if (schedule.mode === 'manual') return this.unscheduleTenant(tenantId);
    const unique = (name: string) => ({ name, 'data.tenantId': tenantId });
    await this.deps.scheduler.every(
      `${schedule.intervalMinutes} minutes`,
      SYNC_JOBS.poll,
      { tenantId },
      unique(SYNC_JOBS.poll),
    );
    await this.deps.scheduler.every(
      `${schedule.inventoryIntervalMinutes} minutes`,
      SYNC_JOBS.inventory,
      { tenantId },
      unique(SYNC_JOBS.inventory),
    );
    await this.deps.scheduler.every('1 minute', SYNC_JOBS.retry, { tenantId }, unique(SYNC_JOBS.retry));
  }

  async unscheduleTenant(tenantId: TenantId): Promise<void> {
    for (const name of [SYNC_JOBS.poll, SYNC_JOBS.inventory, SYNC_JOBS.retry]) {
      await this.deps.scheduler.cancel({ name, data: { tenantId } });
    }
  }

  /**
   * Start-up reconcile: a run left "queued" or "running" by a crash gets its job back (it resumes
   * from its checkpoints); Agenda re-runs a job whose lock expired on its own, so only runs whose
   * jobs are all over (finished, or failed for good) are re-queued.
   */
  async reconcile(): Promise<number> {
    let requeued = 0;
    const jobs = this.deps.scheduler.agenda;
    for (const run of await this.deps.repos.runs.unfinished()) {
      const existing = await jobs
        .queryJobs({ name: SYNC_JOBS.run, data: { runId: run._id } })
        .catch(() => null);
      if (existing && existing.jobs.some((j) => j.lockedAt || j.nextRunAt)) continue;
      await this.deps.scheduler.now<RunJobData>(SYNC_JOBS.run, { tenantId: run.tenantId, runId: run._id });
      requeued++;
    }
    if (requeued) this.deps.logger.warn({ requeued }, 'runs left behind by a crash were re-queued');
    return requeued;
  }

  /** Defines the sync jobs (call before the scheduler starts). */
  defineJobs(): void {
    const s = this.deps.scheduler;
    // A run interrupted by an outage is left "running" and its job tried again from the checkpoints.
    s.define<RunJobData>({
      name: SYNC_JOBS.run,
      handler: this.runJob,
      concurrency: 4,
      retry: { delayMs: 5_000, times: 50 },
    });
    s.define<TenantJobData>({ name: SYNC_JOBS.poll, handler: this.pollJob, concurrency: 4 });
    s.define<TenantJobData>({ name: SYNC_JOBS.inventory, handler: this.inventoryJob, concurrency: 4 });
    s.define<TenantJobData>({ name: SYNC_JOBS.retry, handler: this.retryJob, concurrency: 2 });
    s.define<Record<string, never>>({
      name: SYNC_JOBS.retention,
      handler: this.retentionJob,
      concurrency: 1,
    });
    s.define<RecordJobData>({ name: SYNC_JOBS.record, handler: this.recordJob, concurrency: 2 });
    s.define<TenantJobData>({ name: SYNC_JOBS.writeback, handler: this.writebackJob, concurrency: 4 });
    s.define<Record<string, never>>({
      name: SYNC_JOBS.writebackSweep,
      handler: this.writebackSweepJob,
      concurrency: 1,
    });
  }

  async scheduleGlobalJobs(): Promise<void> {
    await this.deps.scheduler.every('0 3 * * *', SYNC_JOBS.retention, {}, { name: SYNC_JOBS.retention });
    await this.deps.scheduler.every(
      '1 minute',
      SYNC_JOBS.writebackSweep,
      {},
      { name: SYNC_JOBS.writebackSweep },
    );
  }
}
