import type { RequestHandler } from 'express';
import type { AppContext } from '../../app-context.js';
import { sessionTenant } from '../../http/session.js';

/** GET /api/schedule — manual or timed, the intervals, and the daily window (null: all day). */
export const getSchedule =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    res.json((await ctx.repos.settings.get(sessionTenant(req))).schedule);
  };
