import type { Connection, Model } from 'mongoose';
import { TenantScopedRepository, isDuplicateKeyError, type TenantId } from '../../db/base-repository.js';
import type { BindingClaimEntity, BindingEntity, BindingSource } from './binding.entity.js';
import { bindingClaimModel, bindingModel } from './binding.schema.js';

export const bindingId = (tenantId: TenantId, jdyEmpId: string): string => `${tenantId}:${jdyEmpId}`;

export type BindResult = { ok: true } | { ok: false; conflict: BindingEntity };

export interface EmployeeInfo {
  jdyEmpId: string;
  jdyNumber: string;
  jdyName: string;
  jdyMobile: string;
}

export class BindingRepository extends TenantScopedRepository<BindingEntity> {
  private readonly claims: Model<BindingClaimEntity>;

  constructor(conn: Connection) {
    super(bindingModel(conn));
    this.claims = bindingClaimModel(conn);
  }

  list(tenantId: TenantId): Promise<BindingEntity[]> {
    return this.find(tenantId, {}, { sort: { jdyNumber: 1 } });
  }

  /** Adds or refreshes an employee row, keeping its binding. */
  async upsertEmployee(tenantId: TenantId, e: EmployeeInfo, now: Date): Promise<void> {
    await this.model
      .updateOne(
        { _id: bindingId(tenantId, e.jdyEmpId), tenantId },
        {
          $set: { jdyNumber: e.jdyNumber, jdyName: e.jdyName, jdyMobile: e.jdyMobile, updatedAt: now },
          $setOnInsert: { jdyEmpId: e.jdyEmpId, crmUserId: null, crmUserName: '', source: 'manual' },
        },
        { upsert: true },
      )
      .exec();
  }

  /**
   * Binds an employee row to a CRM user. One-to-one: a CRM user bound to another employee is a
   * conflict (answered with that binding), and the employee's previous user is released.
   */
  async bind(
    tenantId: TenantId,
    jdyEmpId: string,
    crmUserId: string,
    crmUserName: string,
    source: BindingSource,
    now: Date,
  ): Promise<BindResult> {
    const id = bindingId(tenantId, jdyEmpId);
    const row = await this.findById(tenantId, id);
    if (!row) throw new Error(`no employee row ${id}`);
    if (row.crmUserId === crmUserId) return { ok: true };
    try {
      await this.claims.collection.insertOne({
        _id: `${tenantId}:${crmUserId}`,
        tenantId,
        bindingId: id,
      } as never);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const claim = await this.claims
        .findOne({ _id: `${tenantId}:${crmUserId}`, tenantId })
        .lean()
        .exec();
      const holder = claim ? await this.findById(tenantId, claim.bindingId) : null;
      // A claim whose holder no longer points at this user is stale (a crash between steps): take it over.
      if (holder && holder.crmUserId === crmUserId) return { ok: false, conflict: holder };
      await this.claims
        .updateOne({ _id: `${tenantId}:${crmUserId}`, tenantId }, { $set: { bindingId: id } })
        .exec();
    }
    if (row.crmUserId) await this.claims.deleteOne({ _id: `${tenantId}:${row.crmUserId}`, tenantId }).exec();
    await this.updateOne(tenantId, { _id: id }, { $set: { crmUserId, crmUserName, source, updatedAt: now } });
    return { ok: true };
  }

  async unbind(tenantId: TenantId, jdyEmpId: string, now: Date): Promise<void> {
    const id = bindingId(tenantId, jdyEmpId);
    const row = await this.findById(tenantId, id);
    if (!row?.crmUserId) return;
    await this.updateOne(
      tenantId,
      { _id: id },
      { $set: { crmUserId: null, crmUserName: '', updatedAt: now } },
    );
    await this.claims.deleteOne({ _id: `${tenantId}:${row.crmUserId}`, tenantId }).exec();
  }

  async remove(tenantId: TenantId, jdyEmpId: string, now: Date): Promise<void> {
    await this.unbind(tenantId, jdyEmpId, now);
    await this.deleteMany(tenantId, { _id: bindingId(tenantId, jdyEmpId) });
  }

  async boundCount(tenantId: TenantId): Promise<number> {
    return this.count(tenantId, { crmUserId: { $type: 'string' } });
  }

  /** The CRM user bound to an ERP employee, and the ERP employee bound to a CRM user. */
  async maps(tenantId: TenantId): Promise<{ crmByErp: Map<string, string>; erpByCrm: Map<string, string> }> {
    const rows = await this.find(tenantId, { crmUserId: { $type: 'string' } });
    return {
      crmByErp: new Map(rows.map((r) => [r.jdyEmpId, r.crmUserId!])),
      erpByCrm: new Map(rows.map((r) => [r.crmUserId!, r.jdyEmpId])),
    };
  }
}
