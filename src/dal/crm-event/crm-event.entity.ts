/**
 * One CRM change event (contract §9) as received by `POST /hooks/fxiaoke/:tenantId`.
 *
 * - `_id` = `<tenantId>:<eventId>`: inserting it is the duplicate check (a repeated delivery fails
 *   the insert), and it is kept for at least 24 h (the cleanup job removes processed events after 48 h).
 * - `status`: `pending` until the tenant's event job has handled it, then `processed`.
 * - `event`, `objectApiName`, `objectId`, `operatorId`, `timestamp` (ms, the record's new
 *   last_modified_time) are the body's own values. The event carries no record data: the sync
 *   engine fetches the record itself.
 * - `receivedAt`: when the hook accepted it; `processedAt`: when the job handled it.
 */
export type CrmEventKind = 'created' | 'updated' | 'invalidated' | 'deleted' | 'recovered';
export type CrmEventStatus = 'pending' | 'processed';

export interface CrmEventEntity {
  _id: string;
  tenantId: string;
  eventId: string;
  event: CrmEventKind;
  objectApiName: string;
  objectId: string;
  operatorId: string;
  timestamp: number;
  status: CrmEventStatus;
  receivedAt: Date;
  processedAt: Date | null;
}

/** An event waiting for the tenant's event job (same `_id` as its CrmEventEntity). */
export type QueuedCrmEvent = Pick<
  CrmEventEntity,
  '_id' | 'tenantId' | 'objectApiName' | 'objectId' | 'receivedAt'
>;
