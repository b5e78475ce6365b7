import type { Connection, UpdateQuery } from 'mongoose';
import { TenantScopedRepository, type TenantId } from '../../db/base-repository.js';
import { DEFAULT_SCHEDULE, type PresetKey, type SettingsEntity } from './settings.entity.js';
import { settingsModel } from './settings.schema.js';

export class SettingsRepository extends TenantScopedRepository<SettingsEntity> {
  constructor(conn: Connection) {
    super(settingsModel(conn));
  }

  /** The tenant's settings, with defaults when none were saved yet. */
  async get(tenantId: TenantId): Promise<SettingsEntity> {
    return (
      (await this.findById(tenantId, tenantId)) ?? {
        _id: tenantId,
        tenantId,
        presets: {},
        schedule: { ...DEFAULT_SCHEDULE },
        defaultOwnerId: null,
        notifyUserIds: [],
        autoAuditOrders: false,
        crmFields: {},
        crmSetup: {},
        presetsRequested: [],
        updatedAt: new Date(0),
      }
    );
  }

  async update(
    tenantId: TenantId,
    set: Partial<Omit<SettingsEntity, '_id' | 'tenantId'>>,
    now: Date,
  ): Promise<void> {
    const defaults = await this.get(tenantId);
    const update: UpdateQuery<SettingsEntity> = {
      $set: { ...set, updatedAt: now },
      $setOnInsert: Object.fromEntries(
        Object.entries({
          presets: defaults.presets,
          schedule: defaults.schedule,
          crmFields: defaults.crmFields,
        }).filter(([k]) => !(k in set)),
      ),
    };
    await this.model.updateOne({ _id: tenantId, tenantId }, update, { upsert: true }).exec();
  }

  /** Turns a preset on for good; false when it already was (the caller answers 409). */
  async enablePreset(tenantId: TenantId, key: PresetKey, now: Date): Promise<boolean> {
    await this.update(tenantId, {}, now);
    const res = await this.model
      .updateOne(
        { _id: tenantId, tenantId, [`presets.${key}`]: { $exists: false } },
        { $set: { [`presets.${key}`]: now, updatedAt: now } },
      )
      .exec();
    return res.modifiedCount === 1;
  }

  async setCrmField(tenantId: TenantId, key: string, apiName: string, now: Date): Promise<void> {
    await this.update(tenantId, {}, now);
    await this.model
      .updateOne({ _id: tenantId, tenantId }, { $set: { [`crmFields.${key}`]: apiName } })
      .exec();
  }
}
