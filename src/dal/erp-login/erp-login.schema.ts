import { Schema, type Connection, type Model } from 'mongoose';
import type { ErpLoginEntity } from './erp-login.entity.js';

const schema = new Schema<ErpLoginEntity>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    state: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'erp_logins', versionKey: false },
);
// Cleanup of expired logins (FerretDB has no TTL index): the connect step also refuses expired ones.
schema.index({ expiresAt: 1 });

export const erpLoginModel = (conn: Connection): Model<ErpLoginEntity> =>
  (conn.models.ErpLogin as Model<ErpLoginEntity> | undefined) ??
  conn.model<ErpLoginEntity>('ErpLogin', schema);
