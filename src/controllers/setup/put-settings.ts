import type { RequestHandler } from 'express';
import Joi from 'joi';
import type { AppContext } from '../../app-context.js';
import { badRequest, type ErrorDetail } from '../../http/api-error.js';
import { sessionTenant } from '../../http/session.js';
import { validate } from '../../http/validate.js';
import { crmDirectory } from '../crm/crm-directory.js';
import { settingsView, type OwnerSettings } from './settings-view.js';

const userId = Joi.string().max(64);

const body = Joi.object<OwnerSettings & { defaultOwnerId: string }>({
  defaultOwnerId: userId.required().label('默认负责人'),
  notifyUserIds: Joi.array().items(userId).unique().max(50).required().label('同步失败通知'),
  autoAuditOrders: Joi.boolean().required().label('自动审核'),
});

/**
 * PUT /api/settings — the default owner of unbound JDY → CRM records, the CRM users told about
 * failures (one message per run), and whether orders synced to Jingdouyun are audited. Every
 * user must be an active CRM user of this tenant.
 */
export const putSettings =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    const settings = validate(body, req.body);
    const known = new Set((await crmDirectory(ctx, req)).map((u) => u.crmUserId));
    const unknown: ErrorDetail[] = [
      ...(known.has(settings.defaultOwnerId)
        ? []
        : [{ field: 'defaultOwnerId', message: '默认负责人不是纷享销客中的在职员工' }]),
      ...settings.notifyUserIds
        .filter((id) => !known.has(id))
        .map((id) => ({ field: 'notifyUserIds', message: `通知人员 ${id} 不是纷享销客中的在职员工` })),
    ];
    if (unknown.length)
      throw badRequest('unknown_crm_user', unknown.map((d) => d.message).join('；'), unknown);
    const tenantId = sessionTenant(req);
    await ctx.repos.settings.update(tenantId, settings, new Date(ctx.clock.now()));
    res.json(settingsView(await ctx.repos.settings.get(tenantId)));
  };
