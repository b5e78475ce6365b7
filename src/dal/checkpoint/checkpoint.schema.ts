import { Schema, type Connection, type Model } from 'mongoose';
import type { CheckpointEntity } from './checkpoint.entity.js';

const schema = new Schema<CheckpointEntity>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    object: { type: String, required: true },
    direction: { type: String, required: true },
    cursor: { type: String, default: null },
    initialDone: { type: Boolean, default: false },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'checkpoints', versionKey: false },
);
// Documents are read by _id only; no secondary index is needed.

export const checkpointModel = (conn: Connection): Model<CheckpointEntity> =>
  (conn.models.Checkpoint as Model<CheckpointEntity> | undefined) ??
  conn.model<CheckpointEntity>('Checkpoint', schema);
