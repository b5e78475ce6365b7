import type { AppContext } from '../app-context.js';
import { crmEventCleanupHandler, crmEventsHandler, sessionCleanupHandler } from './handlers/crm-events.js';
import { fxInstallHandler } from './handlers/fx-install.js';
import { JOB } from './job-names.js';

const HOUSEKEEPING_EVERY = '10 minutes';

/** Every job the plugin runs, defined in one place (before the scheduler starts). */
export function defineJobs(ctx: AppContext): void {
  ctx.scheduler.define({ name: JOB.fxInstall, handler: fxInstallHandler(ctx) });
  // One run per tenant at a time is guaranteed by the unique job; several tenants run side by side.
  ctx.scheduler.define({ name: JOB.crmEvents, handler: crmEventsHandler(ctx), concurrency: 4 });
  ctx.scheduler.define({ name: JOB.sessionCleanup, handler: sessionCleanupHandler(ctx), concurrency: 1 });
  ctx.scheduler.define({ name: JOB.crmEventCleanup, handler: crmEventCleanupHandler(ctx), concurrency: 1 });
}

/** The repeating jobs, saved at every start (saving again moves them, never duplicates them). */
export async function scheduleRecurringJobs(ctx: AppContext): Promise<void> {
  await ctx.scheduler.every(HOUSEKEEPING_EVERY, JOB.sessionCleanup, {}, {});
  await ctx.scheduler.every(HOUSEKEEPING_EVERY, JOB.crmEventCleanup, {}, {});
}
