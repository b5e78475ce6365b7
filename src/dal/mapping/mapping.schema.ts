import { Schema, type Connection, type Model } from 'mongoose';
import type { MappingCrmKeyEntity, MappingEntity } from './mapping.entity.js';

const schema = new Schema<MappingEntity>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    object: { type: String, required: true },
    erpId: { type: String, required: true },
    crmId: { type: String, required: true },
    erpKey: { type: String, default: '' },
    createdAt: { type: Date, required: true },
  },
  { collection: 'mappings', versionKey: false },
);
// CRM → ERP: the ERP record of a CRM record; and the guarantee of one mapping per (tenant, object, CRM id).
schema.index({ tenantId: 1, object: 1, crmId: 1 }, { unique: true });

export const mappingModel = (conn: Connection): Model<MappingEntity> =>
  (conn.models.Mapping as Model<MappingEntity> | undefined) ?? conn.model<MappingEntity>('Mapping', schema);

const crmKeySchema = new Schema<MappingCrmKeyEntity>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    erpId: { type: String, required: true },
  },
  { collection: 'mapping_crm_keys', versionKey: false },
);
// Read by _id only (the CRM record); removed with the tenant's mappings on reset.
crmKeySchema.index({ tenantId: 1 });

export const mappingCrmKeyModel = (conn: Connection): Model<MappingCrmKeyEntity> =>
  (conn.models.MappingCrmKey as Model<MappingCrmKeyEntity> | undefined) ??
  conn.model<MappingCrmKeyEntity>('MappingCrmKey', crmKeySchema);
