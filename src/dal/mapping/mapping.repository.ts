import type { Connection } from 'mongoose';
import { TenantScopedRepository, isDuplicateKeyError, type TenantId } from '../../db/base-repository.js';
import type { ObjectKey } from '../../sync/keys.js';
import type { MappingEntity } from './mapping.entity.js';
import { mappingModel } from './mapping.schema.js';

export const mappingId = (tenantId: TenantId, object: ObjectKey, erpId: string): string =>
  `${tenantId}:${object}:${erpId}`;

export type LinkResult = { ok: true; mapping: MappingEntity } | { ok: false; conflict: MappingEntity | null };

export class MappingRepository extends TenantScopedRepository<MappingEntity> {
  constructor(conn: Connection) {
    super(mappingModel(conn));
  }

  byErpId(tenantId: TenantId, object: ObjectKey, erpId: string): Promise<MappingEntity | null> {
    return this.findById(tenantId, mappingId(tenantId, object, erpId));
  }

  byCrmId(tenantId: TenantId, object: ObjectKey, crmId: string): Promise<MappingEntity | null> {
    return this.findOne(tenantId, { object, crmId });
  }

  /** The mappings of a page of records: ERP id → mapping. */
  async byErpIds(
    tenantId: TenantId,
    object: ObjectKey,
    erpIds: readonly string[],
  ): Promise<Map<string, MappingEntity>> {
    const found = await this.findByIds(
      tenantId,
      erpIds.map((id) => mappingId(tenantId, object, id)),
    );
    return new Map([...found.values()].map((m) => [m.erpId, m]));
  }

  async byCrmIds(
    tenantId: TenantId,
    object: ObjectKey,
    crmIds: readonly string[],
  ): Promise<Map<string, MappingEntity>> {
    if (crmIds.length === 0) return new Map();
    const rows = await this.find(tenantId, { object, crmId: { $in: [...crmIds] } });
    return new Map(rows.map((m) => [m.crmId, m]));
  }

  /**
   * Links an ERP record to a CRM record. Idempotent: linking the same pair again is fine; a link
   * that contradicts an existing one (either side already linked elsewhere) is refused, never
   * overwritten, and the existing link is returned.
   */
  async link(
    tenantId: TenantId,
    object: ObjectKey,
    erpId: string,
    crmId: string,
    erpKey: string,
    now: Date,
  ): Promise<LinkResult> {
    const _id = mappingId(tenantId, object, erpId);
    try {
      await this.model.collection.insertOne({
        _id,
        tenantId,
        object,
        erpId,
        crmId,
        erpKey,
        createdAt: now,
      } as never);
      return { ok: true, mapping: { _id, tenantId, object, erpId, crmId, erpKey, createdAt: now } };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing =
        (await this.byErpId(tenantId, object, erpId)) ?? (await this.byCrmId(tenantId, object, crmId));
      if (existing && existing.erpId === erpId && existing.crmId === crmId)
        return { ok: true, mapping: existing };
      return { ok: false, conflict: existing };
    }
  }

  async forget(tenantId: TenantId, object: ObjectKey, erpId: string): Promise<boolean> {
    return (await this.deleteMany(tenantId, { _id: mappingId(tenantId, object, erpId) })) === 1;
  }
}
