/** How a binding was made. */
export type BindingSource = 'auto' | 'manual' | 'import';

/**
 * A Jingdouyun employee (职员) of the tenant, and the CRM user bound to it (one-to-one), if any.
 * Owners of synced records follow these bindings in both directions.
 */
export interface BindingEntity {
  /** "<tenantId>:<jdyEmpId>" — one row per ERP employee. */
  _id: string;
  tenantId: string;
  jdyEmpId: string;
  jdyNumber: string;
  jdyName: string;
  jdyMobile: string;
  crmUserId: string | null;
  crmUserName: string;
  source: BindingSource;
  updatedAt: Date;
}

/**
 * The claim of a CRM user by one binding: its `_id` makes "one CRM user, one employee" hold on
 * any MongoDB-compatible server (no partial unique index needed for the unbound rows).
 */
export interface BindingClaimEntity {
  /** "<tenantId>:<crmUserId>" */
  _id: string;
  tenantId: string;
  bindingId: string;
}
