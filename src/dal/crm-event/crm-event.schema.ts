import { Schema, type Connection, type Model } from 'mongoose';
import type { CrmEventEntity } from './crm-event.entity.js';

const schema = new Schema<CrmEventEntity>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    eventId: { type: String, required: true },
    event: {
      type: String,
      enum: ['created', 'updated', 'invalidated', 'deleted', 'recovered'],
      required: true,
    },
    objectApiName: { type: String, required: true },
    objectId: { type: String, required: true },
    operatorId: { type: String, required: true },
    timestamp: { type: Number, required: true },
    receivedAt: { type: Date, required: true },
  },
  { collection: 'crm_events', versionKey: false },
);
// The setup page: the tenant's latest events.
schema.index({ tenantId: 1, receivedAt: -1 });
// Cleanup job: events older than the retention.
schema.index({ receivedAt: 1 });

export const crmEventModel = (conn: Connection): Model<CrmEventEntity> =>
  (conn.models.CrmEvent as Model<CrmEventEntity> | undefined) ??
  conn.model<CrmEventEntity>('CrmEvent', schema);
