import type { Connection } from 'mongoose';
import { TenantScopedRepository, type TenantId } from '../../db/base-repository.js';
import { DEFAULT_SCHEDULE, type PresetKey, type SettingsEntity } from './settings.entity.js';
import { settingsModel } from './settings.schema.js';

export class SettingsRepository extends TenantScopedRepository<SettingsEntity> {
  constructor(conn: Connection) {
    super(settingsModel(conn));
  }

  /** The tenant's settings; fields never saved (or added since) read as their defaults. */
  async get(tenantId: TenantId): Promise<SettingsEntity> {
    const saved = await this.findById(tenantId, tenantId);
    return { ...defaultSettings(tenantId), ...saved };
  }

  async update(
    tenantId: TenantId,
    set: Partial<Omit<SettingsEntity, '_id' | 'tenantId'>>,
    now: Date,
  ): Promise<void> {
    await this.model
      .updateOne({ _id: tenantId, tenantId }, { $set: { ...set, updatedAt: now } }, { upsert: true })
      .exec();
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

function defaultSettings(tenantId: TenantId): SettingsEntity {
  return {
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
  };
}
