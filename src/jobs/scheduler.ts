import { Agenda, exponential, type Job } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import type { Db } from 'mongodb';
import type { Connection } from 'mongoose';
import type { Logger } from '../lib/logger.js';
import type { JobHandler, JobOutcome } from './job-outcome.js';

export interface JobDefinitionSpec<D> {
  name: string;
  handler: JobHandler<D>;
  /** How many of this job one process runs at once. */
  concurrency?: number;
  /**
   * A failed run is tried again after `delayMs`, doubling up to 5 minutes, at most `times` times
   * (default: never); the handler must be safe to run again.
   */
  retry?: { delayMs: number; times: number };
}

export interface SchedulerOptions {
  pollMs: number;
  lockLifetimeMs: number;
  name?: string;
}

export const SHANGHAI = 'Asia/Shanghai';

/**
 * Agenda on the plugin's own database ("jobs" collection): named job definitions registered in
 * one place, an error listener, locks that outlive the longest job (long jobs touch their lock),
 * and a graceful stop. Several plugin processes share the collection; Agenda's locks make each
 * job run in one of them at a time.
 */
export class Scheduler {
  readonly agenda: Agenda;
  private started = false;
  private lastErrorAt = 0;
  private lastError: string | null = null;
  /** When this process last picked up a job: /healthz shows it as a sign the queue moves. */
  private lastJobAt: number | null = null;

  constructor(
    conn: Connection,
    private readonly logger: Logger,
    private readonly options: SchedulerOptions,
  ) {
    // mongoose bundles its own copy of the driver; the Db object is the same protocol object.
    const db = conn.db as unknown as Db;
    this.agenda = new Agenda({
      backend: new MongoBackend({ mongo: db, collection: 'jobs' }),
      name: options.name,
      processEvery: options.pollMs,
      defaultLockLifetime: options.lockLifetimeMs,
      defaultConcurrency: 2,
      maxConcurrency: 20,
    });
    this.agenda.on('error', (error: Error) => {
      this.lastErrorAt = Date.now();
      this.lastError = error.message;
      this.logger.error({ err: error.message }, 'scheduler error');
    });
  }

  define<D>(spec: JobDefinitionSpec<D>): void {
    this.agenda.define<D>(
      spec.name,
      async (job: Job<D>) => {
        this.lastJobAt = Date.now();
        // The lock says "this process is alive and on it": renewed while the handler runs, so
        // a slow step (a throttled page) is never taken for a dead process, and a killed one is.
        const keepAlive = setInterval(
          () => void job.touch().catch(() => undefined),
          this.options.lockLifetimeMs / 3,
        );
        try {
          const outcome: JobOutcome = await spec.handler(job.attrs.data, {
            jobId: String(job.attrs._id ?? ''),
            touch: () => job.touch(),
          });
          this.logger.debug({ job: spec.name, outcome }, 'job finished');
        } finally {
          clearInterval(keepAlive);
        }
      },
      {
        concurrency: spec.concurrency ?? 2,
        lockLifetime: this.options.lockLifetimeMs,
        ...(spec.retry
          ? {
              backoff: exponential({
                delay: spec.retry.delayMs,
                maxDelay: 300_000,
                maxRetries: spec.retry.times,
              }),
            }
          : {}),
      },
    );
  }

  async start(): Promise<void> {
    await this.agenda.start();
    this.started = true;
  }

  /** Healthy when started and no scheduler error in the last two polls. */
  health(): { ok: boolean; error: string | null; lastJobAt: Date | null } {
    const recentError = Date.now() - this.lastErrorAt < Math.max(2 * this.options.pollMs, 10_000);
    return {
      ok: this.started && !recentError,
      error: recentError ? this.lastError : null,
      lastJobAt: this.lastJobAt === null ? null : new Date(this.lastJobAt),
    };
  }

  /** One repeating job per (name, key): saving again moves it, never duplicates it. */
  async every<D extends Record<string, unknown>>(
    interval: string | number,
    name: string,
    data: D,
    unique: Record<string, unknown>,
    timezone: string = SHANGHAI,
  ): Promise<void> {
    const job = this.agenda.create<D>(name, data);
    job.repeatEvery(interval, { timezone, skipImmediate: true });
    job.unique(unique);
    await job.save();
  }

  async now<D>(name: string, data: D): Promise<void> {
    await this.agenda.now(name, data);
  }

  /**
   * The tenant's one job of `name` (unique on the tenant id), moved to run after `delayMs`. Agenda
   * runs on the wall clock, so run times do too (not the injectable clock).
   */
  async queueForTenant(name: string, tenantId: string, delayMs = 0): Promise<void> {
    const job = this.agenda.create<{ tenantId: string }>(name, { tenantId });
    job.unique({ name, 'data.tenantId': tenantId });
    job.schedule(new Date(Date.now() + delayMs));
    await job.save();
  }

  async cancel(query: { name?: string; data?: unknown }): Promise<number> {
    return this.agenda.cancel(query);
  }

  /**
   * Graceful stop: take no new jobs, give running ones `graceMs` to finish, then release the locks
   * of those still running so another process picks them up at once.
   */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.agenda.drain({ timeout: graceMs, closeConnection: false }).catch(() => undefined);
    await this.agenda.stop(false);
  }
}
