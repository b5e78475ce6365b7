import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { TenantScopedRepository, type TenantId } from '../../db/base-repository.js';
import type { ObjectKey } from '../../sync/keys.js';
import { emptyCounts, type RunCounts, type RunTrigger, type SyncRunEntity } from './sync-run.entity.js';
import { syncRunModel } from './sync-run.schema.js';

export class SyncRunRepository extends TenantScopedRepository<SyncRunEntity> {
  constructor(conn: Connection) {
    super(syncRunModel(conn));
  }

  async create(
    tenantId: TenantId,
    trigger: RunTrigger,
    objects: ObjectKey[],
    now: Date,
  ): Promise<SyncRunEntity> {
    const run: SyncRunEntity = {
      _id: `r_${now.getTime().toString(36)}${randomBytes(4).toString('hex')}`,
      tenantId,
      trigger,
      objects,
      status: 'queued',
      counts: emptyCounts(),
      progress: Object.fromEntries(objects.map((o) => [o, { status: 'pending', seen: 0 }])),
      error: null,
      createdAt: now,
      startedAt: null,
      finishedAt: null,
      heartbeatAt: null,
    };
    await this.insertIfAbsent(tenantId, run);
    return run;
  }

  recent(tenantId: TenantId, limit: number): Promise<SyncRunEntity[]> {
    return this.find(tenantId, {}, { sort: { createdAt: -1 }, limit });
  }

  /** Runs not finished, of every tenant: the start-up reconcile pass looks at these. */
  unfinished(): Promise<SyncRunEntity[]> {
    return this.model
      .find({ status: { $in: ['queued', 'running'] } })
      .lean<SyncRunEntity[]>()
      .exec();
  }

  /** The run starts (or resumes after a crash: its first start time stays). */
  async markRunning(tenantId: TenantId, runId: string, now: Date): Promise<void> {
    // $min cannot set it: null sorts below every date.
    await this.updateOne(tenantId, { _id: runId, startedAt: null }, { $set: { startedAt: now } });
    await this.updateOne(tenantId, { _id: runId }, { $set: { status: 'running', heartbeatAt: now } });
  }

  /** After each page: add the page's counts, record progress, beat the heart. */
  async recordPage(
    tenantId: TenantId,
    runId: string,
    object: ObjectKey,
    counts: Partial<RunCounts>,
    objectStatus: 'running' | 'done',
    now: Date,
  ): Promise<void> {
    const inc: Record<string, number> = {};
    for (const [k, v] of Object.entries(counts)) if (v) inc[`counts.${k}`] = v;
    if (counts.seen) inc[`progress.${object}.seen`] = counts.seen;
    await this.updateOne(
      tenantId,
      { _id: runId },
      { $inc: inc, $set: { [`progress.${object}.status`]: objectStatus, heartbeatAt: now } },
    );
  }

  async finish(
    tenantId: TenantId,
    runId: string,
    status: SyncRunEntity['status'],
    error: string | null,
    now: Date,
  ): Promise<void> {
    await this.updateOne(
      tenantId,
      { _id: runId },
      { $set: { status, error, finishedAt: now, heartbeatAt: now } },
    );
  }
}
