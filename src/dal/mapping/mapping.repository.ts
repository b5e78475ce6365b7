import type { Connection } from 'mongoose';
import { TenantScopedRepository, isDuplicateKeyError, type TenantId } from '../../db/base-repository.js';
import { ShortMemo } from '../../lib/short-memo.js';
import type { ObjectKey } from '../../sync/keys.js';
import type { MappingCrmKeyEntity, MappingEntity } from './mapping.entity.js';
import { mappingCrmKeyModel, mappingModel } from './mapping.schema.js';

/** The `_id` of a mapping (by ERP id), and of a CRM key (by CRM id, in its own collection). */
export const mappingId = (tenantId: TenantId, object: ObjectKey, id: string): string =>
  `${tenantId}:${object}:${id}`;

export type LinkResult = { ok: true; mapping: MappingEntity } | { ok: false; conflict: MappingEntity | null };

/**
 * Mappings found by CRM id, remembered by the process: every CRM order looks up its customer and
 * products (two reads each). A mapping is never changed, only made or forgotten — through this
 * repository, which updates the memo; one forgotten by another process is still used here for at
 * most a minute (it links the same records: forgetting is followed by linking them again).
 */
const BY_CRM_ID_MS = 60_000;
const BY_CRM_ID_ENTRIES = 20_000;

export class MappingRepository extends TenantScopedRepository<MappingEntity> {
  private readonly crmKeys: TenantScopedRepository<MappingCrmKeyEntity>;
  private readonly byCrm = new ShortMemo<MappingEntity>(BY_CRM_ID_MS, () => Date.now(), BY_CRM_ID_ENTRIES);

  constructor(conn: Connection) {
    super(mappingModel(conn));
    this.crmKeys = new TenantScopedRepository(mappingCrmKeyModel(conn));
  }

  byErpId(tenantId: TenantId, object: ObjectKey, erpId: string): Promise<MappingEntity | null> {
    return this.findById(tenantId, mappingId(tenantId, object, erpId));
  }

  async byCrmId(tenantId: TenantId, object: ObjectKey, crmId: string): Promise<MappingEntity | null> {
    return (await this.byCrmIds(tenantId, object, [crmId])).get(crmId) ?? null;
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

  /** The mappings of a page of CRM records, through their CRM keys: CRM id → mapping. */
  async byCrmIds(
    tenantId: TenantId,
    object: ObjectKey,
    crmIds: readonly string[],
  ): Promise<Map<string, MappingEntity>> {
    const found = new Map<string, MappingEntity>();
    const unknown: string[] = [];
    for (const crmId of crmIds) {
      const m = this.byCrm.get(mappingId(tenantId, object, crmId));
      if (m) found.set(crmId, m);
      else unknown.push(crmId);
    }
    if (unknown.length === 0) return found;
    const keys = await this.crmKeys.findByIds(
      tenantId,
      unknown.map((id) => mappingId(tenantId, object, id)),
    );
    const mappings = await this.byErpIds(
      tenantId,
      object,
      [...keys.values()].map((k) => k.erpId),
    );
    for (const crmId of unknown) {
      const key = keys.get(mappingId(tenantId, object, crmId));
      const m = key ? mappings.get(key.erpId) : undefined;
      // A key counts only when its mapping points back (see MappingCrmKeyEntity).
      if (m && m.crmId === crmId) {
        found.set(crmId, m);
        this.byCrm.set(mappingId(tenantId, object, crmId), m);
      }
    }
    return found;
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
    this.byCrm.delete(mappingId(tenantId, object, crmId));
    await this.pointCrmKey(tenantId, object, crmId, erpId);
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
      // The (rare) conflict path: the CRM side is looked up by its unique index, not by key.
      const existing =
        (await this.byErpId(tenantId, object, erpId)) ?? (await this.findOne(tenantId, { object, crmId }));
      if (existing && existing.erpId === erpId && existing.crmId === crmId)
        return { ok: true, mapping: existing };
      if (existing?.crmId === crmId) await this.pointCrmKey(tenantId, object, crmId, existing.erpId);
      return { ok: false, conflict: existing };
    }
  }

  /** Makes the CRM key of `crmId` name `erpId`, unless a live mapping of `crmId` holds it already. */
  private async pointCrmKey(
    tenantId: TenantId,
    object: ObjectKey,
    crmId: string,
    erpId: string,
  ): Promise<void> {
    const keyId = mappingId(tenantId, object, crmId);
    if (await this.crmKeys.insertIfAbsent(tenantId, { _id: keyId, erpId })) return;
    const key = await this.crmKeys.findById(tenantId, keyId);
    if (!key || key.erpId === erpId) return;
    const holder = await this.byErpId(tenantId, object, key.erpId);
    if (holder?.crmId === crmId) return;
    await this.crmKeys.updateOne(tenantId, { _id: keyId }, { $set: { erpId } });
  }

  async forget(tenantId: TenantId, object: ObjectKey, erpId: string): Promise<boolean> {
    const mapping = await this.byErpId(tenantId, object, erpId);
    if (!mapping) return false;
    await this.model.deleteOne({ _id: mapping._id }).exec();
    await this.crmKeys.deleteMany(tenantId, { _id: mappingId(tenantId, object, mapping.crmId) });
    this.byCrm.delete(mappingId(tenantId, object, mapping.crmId));
    return true;
  }

  /** Every mapping of the tenant (an account-set reset). */
  async removeAll(tenantId: TenantId): Promise<void> {
    await this.deleteMany(tenantId);
    await this.crmKeys.deleteMany(tenantId);
    this.byCrm.clear();
  }
}
