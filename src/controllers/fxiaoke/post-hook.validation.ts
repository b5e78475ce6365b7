import Joi from 'joi';
import type { CrmEventKind } from '../../dal/crm-event/crm-event.entity.js';

export const hookParamsSchema = Joi.object<{ tenantId: string }>({
  tenantId: Joi.string()
    .pattern(/^t_[0-9a-f]{16}$/)
    .required(),
});

/** §9: the body has exactly these keys; anything else is refused. */
export interface HookBody {
  event: CrmEventKind;
  objectApiName: string;
  objectId: string;
  tenant: string;
  operatorId: string;
  timestamp: number;
  eventId: string;
}

export const hookBodySchema = Joi.object<HookBody>({
  event: Joi.string().valid('created', 'updated', 'invalidated', 'deleted', 'recovered').required(),
  objectApiName: Joi.string().min(1).max(100).required(),
  objectId: Joi.string().min(1).max(100).required(),
  tenant: Joi.string().min(1).max(100).required(),
  operatorId: Joi.string().min(1).max(100).required(),
  timestamp: Joi.number().integer().min(0).required(),
  eventId: Joi.string().guid({ version: 'uuidv4' }).lowercase().required(),
})
  .unknown(false)
  .prefs({ convert: false });
