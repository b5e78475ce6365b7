import type { RequestHandler } from 'express';
import Joi from 'joi';
import type { AppContext } from '../../app-context.js';
import type { CrmEventEntity, CrmEventStatus } from '../../dal/crm-event/crm-event.entity.js';
import { CrmEventRepository } from '../../dal/crm-event/crm-event.repository.js';
import { notFound } from '../../http/api-error.js';
import { sessionTenant } from '../../http/session.js';
import { validate } from '../../http/validate.js';

const paramsSchema = Joi.object<{ id: string }>({
  id: Joi.string().guid({ version: 'uuidv4' }).required().label('事件 ID'),
});

export const crmEventJson = (e: CrmEventEntity, status: CrmEventStatus) => ({
  id: e.eventId,
  event: e.event,
  objectApiName: e.objectApiName,
  objectId: e.objectId,
  operatorId: e.operatorId,
  timestamp: new Date(e.timestamp).toISOString(),
  status,
  receivedAt: e.receivedAt.toISOString(),
});

/** GET /api/crm-events/:id — one received change event of the session's tenant (404 for any other). */
export const getCrmEvent =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    const { id } = validate(paramsSchema, req.params);
    const tenantId = sessionTenant(req);
    const event = await ctx.repos.crmEvents.findById(tenantId, CrmEventRepository.idOf(tenantId, id));
    if (!event) throw notFound('未找到该事件');
    const status = await ctx.repos.crmEvents.statusOf(tenantId, [event._id]);
    res.json(crmEventJson(event, status.get(event._id) ?? 'processed'));
  };
