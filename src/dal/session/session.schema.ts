import { Schema, type Connection, type Model } from 'mongoose';
import type { SessionEntity } from './session.entity.js';

const schema = new Schema<SessionEntity>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    corpId: { type: String, required: true },
    openUserId: { type: String, required: true },
    name: { type: String, default: '' },
    isAdmin: { type: Boolean, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'sessions', versionKey: false },
);
// Requests look a session up by `_id`. Cleanup job: delete where expiresAt < now (FerretDB has no
// TTL indexes, so expiry is a periodic delete).
schema.index({ expiresAt: 1 });
// Uninstall: sign out every session of a tenant.
schema.index({ tenantId: 1 });

export const sessionModel = (conn: Connection): Model<SessionEntity> =>
  (conn.models.Session as Model<SessionEntity> | undefined) ?? conn.model<SessionEntity>('Session', schema);
