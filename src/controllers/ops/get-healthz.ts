import type { RequestHandler } from 'express';
import type { AppContext } from '../../app-context.js';
import { pingDatabase } from '../../db/connection.js';

/**
 * GET /healthz — 200 when the database answers and the scheduler runs; 503 says which is down.
 * `lastPollAt`: when this process last picked up a job.
 */
export const getHealthz =
  (ctx: AppContext): RequestHandler =>
  async (_req, res) => {
    const [dbOk, scheduler] = [await pingDatabase(ctx.conn), ctx.scheduler.health()];
    const schedulerOk = dbOk && scheduler.ok;
    res.status(dbOk && schedulerOk ? 200 : 503).json({
      db: dbOk ? 'ok' : 'down',
      scheduler: schedulerOk ? 'ok' : 'down',
      lastPollAt: scheduler.lastJobAt?.toISOString() ?? null,
    });
  };
