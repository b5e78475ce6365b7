import type { RequestHandler } from 'express';
import type { AppContext } from '../../app-context.js';
import { notFound } from '../../http/api-error.js';
import { sessionTenant } from '../../http/session.js';
import { runView } from './run-view.js';

/** GET /api/sync/runs/:runId */
export const getRun =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    const run = await ctx.repos.runs.findById(sessionTenant(req), String(req.params.runId));
    if (!run) throw notFound('未找到该同步任务');
    res.json(runView(run));
  };
