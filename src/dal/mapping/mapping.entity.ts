import type { ObjectKey } from '../../sync/keys.js';

/**
 * The stored link between an ERP record and a CRM record. Written once per pair (insert-only, so a
 * crash or a second worker can never make two); removed only by "forget mapping" or a reset.
 */
export interface MappingEntity {
  /** "<tenantId>:<object>:<erpId>" — unique per (tenant, object, ERP id) by construction. */
  _id: string;
  tenantId: string;
  object: ObjectKey;
  erpId: string;
  crmId: string;
  /** The business key on the ERP side (number / code), for display and lookups. */
  erpKey: string;
  createdAt: Date;
}
