import { Schema, type Connection, type Model } from 'mongoose';
import type { SyncRecordEntity } from './sync-record.entity.js';

const attempt = new Schema(
  { at: Date, runId: String, request: String, response: String, error: String },
  { _id: false },
);

const schema = new Schema<SyncRecordEntity>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    object: { type: String, required: true },
    direction: { type: String, required: true },
    sourceId: { type: String, required: true },
    sourceKey: { type: String, default: '' },
    targetId: { type: String, default: null },
    status: { type: String, required: true },
    reason: { type: String, default: null },
    errorClass: { type: String, default: null },
    attemptCount: { type: Number, default: 0 },
    attempts: { type: [attempt], default: [] },
    retryStep: { type: Number, default: 0 },
    nextRetryAt: { type: Date, default: null },
    snapshot: { type: String, default: '' },
    contentHash: { type: String, default: null },
    runId: { type: String, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'sync_records', versionKey: false },
);
// The log page: a tenant's records, newest first, filtered by object/direction/status.
schema.index({ tenantId: 1, updatedAt: -1 });
// The retry sweep: a tenant's pending records whose next try is due.
schema.index({ tenantId: 1, status: 1, nextRetryAt: 1 });
// Overview counters per direction and object.
schema.index({ tenantId: 1, direction: 1, object: 1, status: 1 });

export const syncRecordModel = (conn: Connection): Model<SyncRecordEntity> =>
  (conn.models.SyncRecord as Model<SyncRecordEntity> | undefined) ??
  conn.model<SyncRecordEntity>('SyncRecord', schema);
