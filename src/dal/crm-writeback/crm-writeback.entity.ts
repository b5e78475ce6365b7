/**
 * A write the plugin owes a CRM record for its own bookkeeping (a sales order's 同步状态), done in
 * the background so that syncing the record never waits for the CRM's rate limit on it.
 *
 * - `_id` = `<tenantId>:<objectApiName>:<crmId>`: one per record. A newer value replaces an older
 *   one not yet written (each value is complete, never a delta), so the last one wins.
 * - `fields`: the field values to write, as JSON (a stored string: no key restrictions).
 * - `version`: a random token of this value. The writer deletes the document only while it still
 *   holds the version it wrote, so a value put meanwhile is written after it.
 * - `attempts`, `lastError`, `notBefore`: a write that failed for a passing reason waits, then is
 *   tried again.
 */
export interface CrmWritebackEntity {
  _id: string;
  tenantId: string;
  objectApiName: string;
  crmId: string;
  fields: string;
  version: string;
  attempts: number;
  lastError: string | null;
  notBefore: Date;
  createdAt: Date;
}
