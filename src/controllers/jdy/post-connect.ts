import type { RequestHandler } from 'express';
import Joi from 'joi';
import type { AppContext } from '../../app-context.js';
import { conflict } from '../../http/api-error.js';
import { sessionTenant, signedIn } from '../../http/session.js';
import { validate } from '../../http/validate.js';
import { connectionView } from './connection-view.js';
import { erpFailure } from './erp-errors.js';

const body = Joi.object<{ loginId: string; accountId: string }>({
  loginId: Joi.string().max(64).required().label('loginId'),
  accountId: Joi.string().max(64).required().label('accountId'),
});

/**
 * POST /api/jdy/connect — connects the chosen account set of a held login: it must be authorised
 * for the plugin's app (else 422 with how to authorise it). Switching to another account set
 * after data has synced needs a reset first (409). Sets the default owner, checks the order-sync
 * CRM fields, and schedules the tenant's timed sync.
 */
export const postJdyConnect =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    const { loginId, accountId } = validate(body, req.body);
    const tenantId = sessionTenant(req);
    const now = new Date(ctx.clock.now());
    const login = await ctx.repos.erpLogins.take(tenantId, loginId, now);
    if (!login) throw conflict('login_expired', '精斗云登录已过期（10 分钟），请重新登录');
    const current = await ctx.repos.connections.get(tenantId);
    if (current && current.accountId !== accountId && (await ctx.repos.mappings.count(tenantId)) > 0) {
      throw conflict(
        'account_switch_requires_reset',
        `已有数据与账套「${current.accountName}」同步过。切换账套前，请先在本页“重置”并输入账套名称确认`,
      );
    }
    const connection = await ctx.erp.connector.connect(login, accountId).catch((e: unknown) => {
      throw erpFailure(e);
    });
    const user = signedIn(req).session;
    await ctx.repos.connections.save(tenantId, ctx.erp.id, connection, user.openUserId, now);
    await ctx.repos.erpLogins.drop(tenantId, loginId);
    const settings = await ctx.repos.settings.get(tenantId);
    if (!settings.defaultOwnerId)
      await ctx.repos.settings.update(tenantId, { defaultOwnerId: user.openUserId }, now);
    await ctx.setup.checkOrderFields(tenantId);
    await ctx.sync.scheduleTenant(tenantId);
    res.json(connectionView(await ctx.repos.connections.get(tenantId)));
  };
