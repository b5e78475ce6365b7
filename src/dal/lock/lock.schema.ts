import { Schema, type Connection, type Model } from 'mongoose';
import type { LockEntity } from './lock.entity.js';

const schema = new Schema<LockEntity>(
  {
    _id: { type: String, required: true },
    owner: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'locks', versionKey: false },
);
// Read and written by _id only.

export const lockModel = (conn: Connection): Model<LockEntity> =>
  (conn.models.Lock as Model<LockEntity> | undefined) ?? conn.model<LockEntity>('Lock', schema);
