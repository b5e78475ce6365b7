import { Schema, type Connection, type Model } from 'mongoose';
import type { ConnectionEntity } from './connection.entity.js';

const schema = new Schema<ConnectionEntity>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    erp: { type: String, required: true },
    accountId: { type: String, required: true },
    accountName: { type: String, required: true },
    secrets: { type: String, required: true },
    status: { type: String, enum: ['connected', 'paused'], required: true },
    pausedReason: { type: String, default: null },
    pausedAt: { type: Date, default: null },
    connectedAt: { type: Date, required: true },
    connectedBy: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'connections', versionKey: false },
);
// Secret rotation from the ERP: find the connections of an account set (several tenants may share one).
schema.index({ erp: 1, accountId: 1 });

export const connectionModel = (conn: Connection): Model<ConnectionEntity> =>
  (conn.models.Connection as Model<ConnectionEntity> | undefined) ??
  conn.model<ConnectionEntity>('Connection', schema);
