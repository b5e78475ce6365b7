import type { RequestHandler } from 'express';
import Joi from 'joi';
import type { AppContext } from '../../app-context.js';
import { badRequest, conflict } from '../../http/api-error.js';
import { sessionTenant } from '../../http/session.js';
import { validate } from '../../http/validate.js';

const body = Joi.object<{ confirm: string }>({
  confirm: Joi.string().max(200).required().label('确认账套名称'),
});

/**
 * POST /api/jdy/reset — after the admin types the account set's name: forgets the connection, the
 * mappings, checkpoints and sync records so another account set can be connected. Nothing is
 * deleted in either system.
 */
export const postJdyReset =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    const { confirm } = validate(body, req.body);
    const tenantId = sessionTenant(req);
    const connection = await ctx.repos.connections.get(tenantId);
    if (!connection) throw conflict('not_connected', '尚未连接精斗云账套，无需重置');
    if (confirm.trim() !== connection.accountName) {
      throw badRequest('confirm_mismatch', `请输入账套名称「${connection.accountName}」以确认重置`, [
        { field: 'confirm', message: '与账套名称不一致' },
      ]);
    }
    await ctx.sync.unscheduleTenant(tenantId);
    await ctx.repos.mappings.removeAll(tenantId);
    await ctx.repos.syncRecords.deleteMany(tenantId);
    await ctx.repos.checkpoints.reset(tenantId);
    await ctx.repos.connections.remove(tenantId);
    res.json({ status: 'none' });
  };
