import type { Connection } from 'mongoose';
import { asTenantId, TenantScopedRepository, type TenantId } from '../../db/base-repository.js';
import type { CrmEventEntity } from './crm-event.entity.js';
import { crmEventModel } from './crm-event.schema.js';

export type IncomingCrmEvent = Omit<CrmEventEntity, '_id' | 'tenantId' | 'status' | 'processedAt'>;

export class CrmEventRepository extends TenantScopedRepository<CrmEventEntity> {
  constructor(conn: Connection) {
    super(crmEventModel(conn));
  }

  static idOf(tenantId: TenantId, eventId: string): string {
    return `${tenantId}:${eventId}`;
  }

  /** Stores a new event; false when this eventId was already received (a duplicate delivery). */
  async receive(tenantId: TenantId, event: IncomingCrmEvent): Promise<boolean> {
    return this.insertIfAbsent(tenantId, {
      _id: CrmEventRepository.idOf(tenantId, event.eventId),
      ...event,
      status: 'pending',
      processedAt: null,
    });
  }

  async pending(tenantId: TenantId, limit: number): Promise<CrmEventEntity[]> {
    return this.find(tenantId, { status: 'pending' }, { sort: { receivedAt: 1, _id: 1 }, limit });
  }

  async markProcessed(tenantId: TenantId, ids: string[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    // One update for the batch: FerretDB scans the table per update, not per document.
    await this.model
      .updateMany(this.scope(tenantId, { _id: { $in: ids } }), {
        $set: { status: 'processed', processedAt: now },
      })
      .exec();
  }

  /** Tenants with events still pending since before `before`: their job was lost, queue it again. */
  async tenantsWithStalePending(before: Date): Promise<TenantId[]> {
    const ids = await this.model
      .distinct('tenantId', { status: 'pending', receivedAt: { $lt: before } })
      .exec();
    return ids.map((id) => asTenantId(String(id)));
  }

  /** Cross-tenant housekeeping: processed events past the retention. */
  async removeProcessedBefore(before: Date): Promise<number> {
    return (await this.model.deleteMany({ status: 'processed', receivedAt: { $lt: before } }).exec())
      .deletedCount;
  }
}
