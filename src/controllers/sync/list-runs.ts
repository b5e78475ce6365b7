import type { RequestHandler } from 'express';
import Joi from 'joi';
import type { AppContext } from '../../app-context.js';
import { sessionTenant } from '../../http/session.js';
import { validate } from '../../http/validate.js';
import { runView } from './run-view.js';

const query = Joi.object<{ limit: number }>({
  limit: Joi.number().integer().min(1).max(100).default(20).label('limit'),
});

/** GET /api/sync/runs?limit — recent runs, newest first. */
export const listRuns =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    const { limit } = validate(query, req.query);
    res.json((await ctx.repos.runs.recent(sessionTenant(req), limit)).map(runView));
  };
