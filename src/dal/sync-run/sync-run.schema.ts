import { Schema, type Connection, type Model } from 'mongoose';
import type { SyncRunEntity } from './sync-run.entity.js';

const schema = new Schema<SyncRunEntity>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    trigger: { type: String, required: true },
    objects: { type: [String], required: true },
    status: { type: String, required: true },
    counts: { type: Schema.Types.Mixed, required: true },
    progress: { type: Schema.Types.Mixed, default: {} },
    error: { type: String, default: null },
    createdAt: { type: Date, required: true },
    startedAt: { type: Date, default: null },
    finishedAt: { type: Date, default: null },
    heartbeatAt: { type: Date, default: null },
  },
  { collection: 'sync_runs', versionKey: false, minimize: false },
);
// Recent runs of a tenant (runs page, overview's last run).
schema.index({ tenantId: 1, createdAt: -1 });
// Start-up reconcile: runs left "queued"/"running".
schema.index({ status: 1 });

export const syncRunModel = (conn: Connection): Model<SyncRunEntity> =>
  (conn.models.SyncRun as Model<SyncRunEntity> | undefined) ?? conn.model<SyncRunEntity>('SyncRun', schema);
