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

/**
 * The CRM side of a mapping, so a CRM id is found by `_id` (FerretDB indexes nothing else). Written
 * before its mapping and trusted only when the mapping it names points back: a crash between the two
 * writes, or a link refused as a conflict, leaves a key that reads as "not linked".
 */
export interface MappingCrmKeyEntity {
  /** "<tenantId>:<object>:<crmId>" */
  _id: string;
  tenantId: string;
  erpId: string;
}
