/**
 * One CRM change event (contract §9) as received by `POST /hooks/fxiaoke/:tenantId`, written once
 * and never updated (one write per event on the hot path).
 *
 * - `_id` = `<tenantId>:<eventId>`: inserting it is the duplicate check (a repeated delivery fails
 *   the insert), and it is kept for at least 24 h (the cleanup job removes events after 48 h).
 * - Pending while its copy waits in the queue (`QueuedCrmEvent`), processed once the job took it off.
 * - `event`, `objectApiName`, `objectId`, `operatorId`, `timestamp` (ms, the record's new
 *   last_modified_time) are the body's own values. The event carries no record data: the sync
 *   engine fetches the record itself.
 * - `receivedAt`: when the hook accepted it.
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
  receivedAt: Date;
}

/** An event waiting for the tenant's event job (same `_id` as its CrmEventEntity). */
export type QueuedCrmEvent = Pick<
  CrmEventEntity,
  '_id' | 'tenantId' | 'objectApiName' | 'objectId' | 'receivedAt'
>;
