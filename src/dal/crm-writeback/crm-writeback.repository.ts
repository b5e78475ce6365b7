import { randomUUID } from 'node:crypto';
import type { Connection, QueryFilter } from 'mongoose';
import { asTenantId, TenantScopedRepository, type TenantId } from '../../db/base-repository.js';
import type { CrmWritebackEntity } from './crm-writeback.entity.js';
import { crmWritebackModel } from './crm-writeback.schema.js';

export type CrmFields = Record<string, unknown>;

/**
 * The writes owed to CRM records. The collection holds only unwritten values, so it stays small
 * and the few queries that are not by `_id` stay cheap on FerretDB.
 */
export class CrmWritebackRepository extends TenantScopedRepository<CrmWritebackEntity> {
  constructor(conn: Connection) {
    super(crmWritebackModel(conn));
  }

  static idOf(tenantId: TenantId, objectApiName: string, crmId: string): string {
    return `${tenantId}:${objectApiName}:${crmId}`;
  }

  /** The fields still owed to a record, or null. */
  async owed(tenantId: TenantId, objectApiName: string, crmId: string): Promise<CrmFields | null> {
    const doc = await this.findById(tenantId, CrmWritebackRepository.idOf(tenantId, objectApiName, crmId));
    return doc ? (JSON.parse(doc.fields) as CrmFields) : null;
  }

  /** Owes the record these field values, replacing whatever it was owed before. */
  async put(
    tenantId: TenantId,
    objectApiName: string,
    crmId: string,
    fields: CrmFields,
    now: Date,
  ): Promise<void> {
    const _id = CrmWritebackRepository.idOf(tenantId, objectApiName, crmId);
    const doc: CrmWritebackEntity = {
      _id,
      tenantId,
      objectApiName,
      crmId,
      fields: JSON.stringify(fields),
      version: randomUUID(),
      attempts: 0,
      lastError: null,
      notBefore: now,
      createdAt: now,
    };
    await this.model.collection.replaceOne({ _id } as never, doc as never, { upsert: true });
  }

  /** Writes due now, oldest first. */
  async due(tenantId: TenantId, now: Date, limit: number): Promise<CrmWritebackEntity[]> {
    return this.find(tenantId, { notBefore: { $lte: now } }, { sort: { createdAt: 1, _id: 1 }, limit });
  }

  /** When the next waiting write is due, or null when nothing is owed. */
  async nextDue(tenantId: TenantId): Promise<Date | null> {
    const [next] = await this.find(tenantId, {}, { sort: { notBefore: 1 }, limit: 1 });
    return next?.notBefore ?? null;
  }

  /** The write of `version` is done: forgotten, unless a newer value was put meanwhile. */
  async done(tenantId: TenantId, write: Pick<CrmWritebackEntity, '_id' | 'version'>): Promise<void> {
    await this.model.deleteOne(this.exact(tenantId, write)).exec();
  }

  /** The write of `version` failed for a passing reason: tried again from `notBefore`. */
  async postpone(
    tenantId: TenantId,
    write: Pick<CrmWritebackEntity, '_id' | 'version'>,
    error: string,
    notBefore: Date,
  ): Promise<void> {
    await this.model
      .updateOne(this.exact(tenantId, write), {
        $inc: { attempts: 1 },
        $set: { lastError: error, notBefore },
      })
      .exec();
  }

  /** Tenants owed a write due before `before`: their writer job was lost, queue it again. */
  async tenantsOverdue(before: Date): Promise<TenantId[]> {
    const ids = await this.model.distinct('tenantId', { notBefore: { $lt: before } }).exec();
    return ids.map((id) => asTenantId(String(id)));
  }

  private exact(
    tenantId: TenantId,
    write: Pick<CrmWritebackEntity, '_id' | 'version'>,
  ): QueryFilter<CrmWritebackEntity> {
    return this.scope(tenantId, { _id: write._id, version: write.version });
  }
}
