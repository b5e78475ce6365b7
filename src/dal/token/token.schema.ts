import { Schema, type Connection, type Model } from 'mongoose';
import type { TokenEntity } from './token.entity.js';

const schema = new Schema<TokenEntity>(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: ['fx-corp', 'fx-app', 'jdy'], required: true },
    token: { type: String, default: null },
    tokenFp: { type: String, default: null },
    fetchedAt: { type: Date, default: null },
    refreshAt: { type: Date, default: null },
    expiresAt: { type: Date, default: null },
    leaseHolder: { type: String, default: null },
    leaseUntil: { type: Date, default: null },
    authFailedCode: { type: String, default: null },
    authFailedAt: { type: Date, default: null },
  },
  { collection: 'tokens', versionKey: false },
);
// No secondary index: every read and write addresses one owner by its `_id`.

export const tokenModel = (conn: Connection): Model<TokenEntity> =>
  (conn.models.Token as Model<TokenEntity> | undefined) ?? conn.model<TokenEntity>('Token', schema);
