import type { Connection, Model } from 'mongoose';
import {
  asTenantId,
  isDuplicateKeyError,
  TenantScopedRepository,
  type TenantId,
} from '../../db/base-repository.js';
import type { CrmEventEntity, CrmEventStatus, QueuedCrmEvent } from './crm-event.entity.js';
import { crmEventQueueModel } from './crm-event-queue.schema.js';
import { crmEventModel } from './crm-event.schema.js';

export type IncomingCrmEvent = Omit<CrmEventEntity, '_id' | 'tenantId'>;

/**
 * Received events: the history (crm_events, kept 48 h for duplicate checks and the setup page) and
 * the queue of those not handled yet (crm_event_queue, small).
 */
export class CrmEventRepository extends TenantScopedRepository<CrmEventEntity> {
  private readonly queue: Model<QueuedCrmEvent>;

  constructor(conn: Connection) {
    super(crmEventModel(conn));
    this.queue = crmEventQueueModel(conn);
  }

  static idOf(tenantId: TenantId, eventId: string): string {
    return `${tenantId}:${eventId}`;
  }

  /**
   * Stores a new event and queues it; false when this eventId was already received (a duplicate
   * delivery). A crash between the two leaves the event unqueued: the CRM's answer was not 2xx
   * then, and the reconciliation poll catches the change as it catches any missed event.
   */
  async receive(tenantId: TenantId, event: IncomingCrmEvent): Promise<boolean> {
    const _id = CrmEventRepository.idOf(tenantId, event.eventId);
    const fresh = await this.insertIfAbsent(tenantId, { _id, ...event });
    if (!fresh) return false;
    const queued: QueuedCrmEvent = {
      _id,
      tenantId,
      objectApiName: event.objectApiName,
      objectId: event.objectId,
      receivedAt: event.receivedAt,
    };
    await this.queue.collection.insertOne(queued as never).catch((error: unknown) => {
      if (!isDuplicateKeyError(error)) throw error;
    });
    return true;
  }

  /** The tenant's queued events, in arrival order. */
  async pending(tenantId: TenantId, limit: number): Promise<QueuedCrmEvent[]> {
    return this.queue
      .find({ tenantId })
      .sort({ receivedAt: 1, _id: 1 })
      .limit(limit)
      .lean<QueuedCrmEvent[]>()
      .exec();
  }

  /** Handled: taken off the queue (the history is not written again). */
  async markProcessed(tenantId: TenantId, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.queue.deleteMany({ tenantId, _id: { $in: ids } }).exec();
  }

  /** Pending or processed, for events of the history: pending while still queued. */
  async statusOf(tenantId: TenantId, ids: readonly string[]): Promise<Map<string, CrmEventStatus>> {
    const queued = new Set(
      (
        await this.queue
          .find({ tenantId, _id: { $in: ids } }, { _id: 1 })
          .lean<Array<{ _id: string }>>()
          .exec()
      ).map((q) => q._id),
    );
    return new Map(ids.map((id) => [id, queued.has(id) ? 'pending' : 'processed']));
  }

  /** Tenants with events queued since before `before`: their job was lost, queue it again. */
  async tenantsWithStalePending(before: Date): Promise<TenantId[]> {
    const ids = await this.queue.distinct('tenantId', { receivedAt: { $lt: before } }).exec();
    return ids.map((id) => asTenantId(String(id)));
  }

  /**
   * Cross-tenant housekeeping: the history past the retention. An event still queued keeps its
   * queue copy, which is all the job reads; only its duplicate check goes.
   */
  async removeBefore(before: Date): Promise<number> {
    return (await this.model.deleteMany({ receivedAt: { $lt: before } }).exec()).deletedCount;
  }
}
