import { Schema, type Connection, type Model } from 'mongoose';
import type { BindingClaimEntity, BindingEntity } from './binding.entity.js';

const bindingSchema = new Schema<BindingEntity>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    jdyEmpId: { type: String, required: true },
    jdyNumber: { type: String, default: '' },
    jdyName: { type: String, default: '' },
    jdyMobile: { type: String, default: '' },
    crmUserId: { type: String, default: null },
    crmUserName: { type: String, default: '' },
    source: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'bindings', versionKey: false },
);
// The bindings page and the owner lookups: all of a tenant's rows (a few hundred at most).
bindingSchema.index({ tenantId: 1 });

const claimSchema = new Schema<BindingClaimEntity>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    bindingId: { type: String, required: true },
  },
  { collection: 'binding_claims', versionKey: false },
);
// Read by _id only (the claimed CRM user).

export const bindingModel = (conn: Connection): Model<BindingEntity> =>
  (conn.models.Binding as Model<BindingEntity> | undefined) ??
  conn.model<BindingEntity>('Binding', bindingSchema);

export const bindingClaimModel = (conn: Connection): Model<BindingClaimEntity> =>
  (conn.models.BindingClaim as Model<BindingClaimEntity> | undefined) ??
  conn.model<BindingClaimEntity>('BindingClaim', claimSchema);
