import type { AppContext } from '../../app-context.js';
import { asTenantId, type TenantId } from '../../db/base-repository.js';
import type { JobHandler } from '../job-outcome.js';
import type { Scheduler } from '../scheduler.js';
import { JOB, type CrmEventsJob } from '../job-names.js';

/**
 * Events handled per round. Small, so an event waits for at most a short round before its own:
 * each round costs about three CRM reads and a few database reads whatever its size.
 */
const BATCH = 50;
/** Events still pending this long after arrival lost their job (see queueCrmEvents). */
const STALE_PENDING_MS = 2 * 60_000;
/** The contract asks for ≥ 24 h of eventIds (§9); keep two days. */
const RETENTION_MS = 48 * 3_600_000;

/**
 * Queues the tenant's event job: one job document per tenant (unique on the tenant id), moved to
 * "now" by every new event. If an event arrives while the job runs, Agenda may reset the moved
 * run time when the run ends; the handler drains until nothing is pending, and the cleanup job
 * re-queues any tenant whose events stayed pending, so an event is never stranded.
 */
export async function queueCrmEvents(scheduler: Scheduler, tenantId: TenantId, delayMs = 0): Promise<void> {
  await scheduler.queueForTenant(JOB.crmEvents, tenantId, delayMs);
}

/**
 * How long to wait before trying again when the tenant is held: by a run, or by another run of this
 * job (Agenda may start a unique job again while it runs), which may have just finished draining.
 */
const BUSY_RETRY_MS = 1_000;

/**
 * Handles a tenant's pending events in arrival order: the changed customers and orders are synced
 * (the event carries no data, §9: the engine fetches each record), then the events are marked
 * processed. While a run holds the tenant the events stay pending and the job comes back later.
 */
export const crmEventsHandler =
  (ctx: AppContext): JobHandler<CrmEventsJob> =>
  async (data, job) => {
    const tenantId = asTenantId(data.tenantId);
    let handled = 0;
    for (;;) {
      const batch = await ctx.repos.crmEvents.pending(tenantId, BATCH);
      if (batch.length === 0) break;
      if ((await ctx.sync.syncCrmChanges(tenantId, batch)) === 'busy') {
        await queueCrmEvents(ctx.scheduler, tenantId, BUSY_RETRY_MS);
        return { status: 'continued', detail: `${handled} events; a sync run holds the tenant` };
      }
      await ctx.repos.crmEvents.markProcessed(
        tenantId,
        batch.map((e) => e._id),
      );
      handled += batch.length;
      await job.touch();
    }
    return { status: 'done', detail: `${handled} events` };
  };

export const crmEventCleanupHandler =
  (ctx: AppContext): JobHandler<Record<string, never>> =>
  async () => {
    const now = ctx.clock.now();
    const removed = await ctx.repos.crmEvents.removeBefore(new Date(now - RETENTION_MS));
    const stale = await ctx.repos.crmEvents.tenantsWithStalePending(new Date(now - STALE_PENDING_MS));
    for (const tenantId of stale) await queueCrmEvents(ctx.scheduler, tenantId);
    return { status: 'done', detail: `${removed} removed, ${stale.length} tenants re-queued` };
  };

export const sessionCleanupHandler =
  (ctx: AppContext): JobHandler<Record<string, never>> =>
  async () => {
    const removed = await ctx.repos.sessions.removeExpired(new Date(ctx.clock.now()));
    return { status: 'done', detail: `${removed} sessions removed` };
  };
