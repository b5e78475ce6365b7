import { Schema, type Connection, type Model } from 'mongoose';
import type { TenantEntity } from './tenant.entity.js';

const schema = new Schema<TenantEntity>(
  {
    _id: { type: String, required: true },
    corpId: { type: String, required: true },
    name: { type: String, default: '' },
    status: { type: String, enum: ['active', 'uninstalled'], required: true },
    permanentCode: { type: String, required: true },
    permanentCodeFp: { type: String, required: true },
    hookSecret: { type: String, required: true },
    installedAt: { type: Date, required: true },
    uninstalledAt: { type: Date, default: null },
  },
  { collection: 'tenants', timestamps: true, versionKey: false },
);

// Install push and SSO: find the tenant of a corpId; one tenant per enterprise.
schema.index({ corpId: 1 }, { unique: true });
// Cancel push: find the tenant by the fingerprint of its permanent code.
schema.index({ permanentCodeFp: 1 });

export const tenantModel = (conn: Connection): Model<TenantEntity> =>
  (conn.models.Tenant as Model<TenantEntity> | undefined) ?? conn.model<TenantEntity>('Tenant', schema);
