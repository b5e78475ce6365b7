import { Schema, type Connection, type Model } from 'mongoose';
import type { QueuedCrmEvent } from './crm-event.entity.js';

/**
 * Events not handled yet, apart from the kept history (crm_events): the tenant's event job reads
 * and deletes here, so its queries stay small however many events the history holds (FerretDB
 * scans a collection for anything but an `_id` lookup).
 */
const schema = new Schema<QueuedCrmEvent>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    objectApiName: { type: String, required: true },
    objectId: { type: String, required: true },
    receivedAt: { type: Date, required: true },
  },
  { collection: 'crm_event_queue', versionKey: false },
);
// The tenant's event job: its queued events in arrival order.
schema.index({ tenantId: 1, receivedAt: 1 });
// The cleanup job: tenants with events queued for a while (their job was lost).
schema.index({ receivedAt: 1 });

export const crmEventQueueModel = (conn: Connection): Model<QueuedCrmEvent> =>
  (conn.models.CrmEventQueue as Model<QueuedCrmEvent> | undefined) ??
  conn.model<QueuedCrmEvent>('CrmEventQueue', schema);
