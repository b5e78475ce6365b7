import type { Connection, Model } from 'mongoose';
import {
  asTenantId,
  isDuplicateKeyError,
  TenantScopedRepository,
  type TenantId,
} from '../../db/base-repository.js';
import { mapLimit } from '../../lib/map-limit.js';
import type { CrmEventEntity, QueuedCrmEvent } from './crm-event.entity.js';
import { crmEventQueueModel } from './crm-event-queue.schema.js';
import { crmEventModel } from './crm-event.schema.js';

export type IncomingCrmEvent = Omit<CrmEventEntity, '_id' | 'tenantId' | 'status' | 'processedAt'>;

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
    const fresh = await this.insertIfAbsent(tenantId, {
      _id,
      ...event,
      status: 'pending',
      processedAt: null,
    });
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

  /** Handled: marked in the history (one indexed update each), then taken off the queue. */
  async markProcessed(tenantId: TenantId, ids: string[], now: Date): Promise<void> {
    // Ids begin with the tenant id: an id of another tenant is never touched.
    const own = ids.filter((id) => id.startsWith(`${tenantId}:`));
    if (own.length === 0) return;
    await mapLimit(own, 16, (id) =>
      this.model.updateOne({ _id: id }, { $set: { status: 'processed', processedAt: now } }).exec(),
    );
    await this.queue.deleteMany({ tenantId, _id: { $in: own } }).exec();
  }

  /** Tenants with events queued since before `before`: their job was lost, queue it again. */
  async tenantsWithStalePending(before: Date): Promise<TenantId[]> {
    const ids = await this.queue.distinct('tenantId', { receivedAt: { $lt: before } }).exec();
    return ids.map((id) => asTenantId(String(id)));
  }

  /** Cross-tenant housekeeping: processed events past the retention. */
  async removeProcessedBefore(before: Date): Promise<number> {
    return (await this.model.deleteMany({ status: 'processed', receivedAt: { $lt: before } }).exec())
      .deletedCount;
  }
}
