import type { RequestHandler } from 'express';
import Joi from 'joi';
import type { AppContext } from '../../app-context.js';
import { badRequest, conflict, notFound } from '../../http/api-error.js';
import { sessionTenant } from '../../http/session.js';
import { validate } from '../../http/validate.js';
import { crmDirectory } from '../crm/crm-directory.js';
import { bindingView, heldBy } from './binding-view.js';

const body = Joi.object<{ crmUserId: string | null }>({
  crmUserId: Joi.string().max(64).allow(null).required().label('纷享员工'),
});

/**
 * PUT /api/bindings/:id — binds the employee to a CRM user by hand (`null` clears it). Strictly
 * one-to-one: a CRM user bound to another employee is a 409 naming that binding.
 */
export const putBinding =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    const { crmUserId } = validate(body, req.body);
    const tenantId = sessionTenant(req);
    const row = await ctx.repos.bindings.findById(tenantId, String(req.params.id));
    if (!row) throw notFound('未找到该职员，请刷新绑定列表');
    const now = new Date(ctx.clock.now());
    if (crmUserId === null) {
      await ctx.repos.bindings.unbind(tenantId, row.jdyEmpId, now);
    } else {
      const user = (await crmDirectory(ctx, req)).find((u) => u.crmUserId === crmUserId);
      if (!user) {
        const message = '纷享销客中没有这名员工，或该员工已停用';
        throw badRequest('unknown_crm_user', message, [{ field: 'crmUserId', message }]);
      }
      const bound = await ctx.repos.bindings.bind(
        tenantId,
        row.jdyEmpId,
        user.crmUserId,
        user.name,
        'manual',
        now,
      );
      if (!bound.ok) {
        const message = `${heldBy(user.name, bound.conflict)}，请先解除该绑定`;
        throw conflict('crm_user_already_bound', message, [
          {
            field: 'crmUserId',
            message,
            bindingId: bound.conflict._id,
            jdyNumber: bound.conflict.jdyNumber,
            jdyName: bound.conflict.jdyName,
          },
        ]);
      }
    }
    const updated = await ctx.repos.bindings.findById(tenantId, row._id);
    res.json(bindingView(updated ?? row));
  };
