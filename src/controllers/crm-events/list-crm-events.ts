import type { RequestHandler } from 'express';
import Joi from 'joi';
import type { AppContext } from '../../app-context.js';
import { sessionTenant } from '../../http/session.js';
import { validate } from '../../http/validate.js';
import { crmEventJson } from './get-crm-event.js';

const querySchema = Joi.object<{ limit: number }>({
  limit: Joi.number().integer().min(1).max(200).default(50).label('limit'),
});

/** GET /api/crm-events (admin) — the latest change events, so the setup page can show the hook works. */
export const listCrmEvents =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    const { limit } = validate(querySchema, req.query);
    const tenantId = sessionTenant(req);
    const events = await ctx.repos.crmEvents.find(tenantId, {}, { sort: { receivedAt: -1, _id: 1 }, limit });
    const status = await ctx.repos.crmEvents.statusOf(
      tenantId,
      events.map((e) => e._id),
    );
    res.json(events.map((e) => crmEventJson(e, status.get(e._id) ?? 'processed')));
  };
