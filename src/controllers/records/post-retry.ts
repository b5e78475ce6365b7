import type { RequestHandler } from 'express';
import Joi from 'joi';
import type { AppContext } from '../../app-context.js';
import { notFound } from '../../http/api-error.js';
import { sessionTenant } from '../../http/session.js';
import { validate } from '../../http/validate.js';

const body = Joi.object<{ refetch: boolean }>({ refetch: Joi.boolean().default(false).label('refetch') });

/**
 * POST /api/records/:id/retry — 重新同步 (replay the last snapshot with the current rules) or
 * 从源系统重新拉取 (`refetch`: read the source record again first). Queued; answers 202.
 */
export const postRetry =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    const { refetch } = validate(body, req.body ?? {});
    const tenantId = sessionTenant(req);
    const record = await ctx.repos.syncRecords.findById(tenantId, String(req.params.id));
    if (!record) throw notFound('未找到该同步记录');
    await ctx.sync.queueRetry(tenantId, record._id, refetch);
    res.status(202).json({ queued: true });
  };
