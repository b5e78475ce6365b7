import { Schema, type Connection, type Model } from 'mongoose';
import type { CrmWritebackEntity } from './crm-writeback.entity.js';

const schema = new Schema<CrmWritebackEntity>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    objectApiName: { type: String, required: true },
    crmId: { type: String, required: true },
    fields: { type: String, required: true },
    version: { type: String, required: true },
    attempts: { type: Number, required: true },
    lastError: { type: String, default: null },
    notBefore: { type: Date, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'crm_writebacks', versionKey: false },
);
// The tenant's writer: writes due now, oldest first.
schema.index({ tenantId: 1, notBefore: 1 });
// The sweep: tenants owed writes for a while (their job was lost).
schema.index({ notBefore: 1 });

export const crmWritebackModel = (conn: Connection): Model<CrmWritebackEntity> =>
  (conn.models.CrmWriteback as Model<CrmWritebackEntity> | undefined) ??
  conn.model<CrmWritebackEntity>('CrmWriteback', schema);
