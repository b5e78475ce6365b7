import type { RequestHandler } from 'express';
import type { AppContext } from '../../app-context.js';
import { notFound } from '../../http/api-error.js';
import { sessionTenant } from '../../http/session.js';

/** DELETE /api/bindings/:id — removes the employee's row (and its binding); 同步精斗云职员 adds it back. */
export const deleteBinding =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    const tenantId = sessionTenant(req);
    const row = await ctx.repos.bindings.findById(tenantId, String(req.params.id));
    if (!row) throw notFound('未找到该职员，请刷新绑定列表');
    await ctx.repos.bindings.remove(tenantId, row.jdyEmpId, new Date(ctx.clock.now()));
    res.status(204).end();
  };
