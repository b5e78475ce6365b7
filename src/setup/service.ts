import type { TenantId } from '../db/base-repository.js';
import type { ConnectionRepository } from '../dal/connection/connection.repository.js';
import type { PresetKey } from '../dal/settings/settings.entity.js';
import type { SettingsRepository } from '../dal/settings/settings.repository.js';
import type { TenantRepository } from '../dal/tenant/tenant.repository.js';
import type { FxClient } from '../fxiaoke/client/index.js';
import type { Clock } from '../lib/clock.js';
import type { TenantEntity } from '../dal/tenant/tenant.entity.js';
import { ensureCrmFields, type FieldCheck, type FieldNeed } from './crm-fields.js';

export interface SetupDeps {
  clock: Clock;
  tenants: TenantRepository;
  connections: ConnectionRepository;
  settings: SettingsRepository;
  crmFor(tenant: TenantEntity, userId: string): FxClient;
}

export type PresetOutcome = 'enabled' | 'already_enabled' | 'fields_missing';

/**
 * The CRM side of setup: the fields each preset and the order sync need (§4), created through the
 * metadata API or — without permission — listed for the admin, and the presets that turn on once
 * their fields exist.
 */
export class SetupService {
  constructor(private readonly deps: SetupDeps) {}

  private now(): Date {
    return new Date(this.deps.clock.now());
  }

  /** A CRM client acting as `userId`, or the admin who connected. */
  private async crm(tenantId: TenantId, userId?: string): Promise<FxClient> {
    const [tenant, connection] = await Promise.all([
      this.deps.tenants.findById(tenantId),
      this.deps.connections.get(tenantId),
    ]);
    if (!tenant) throw new Error(`tenant ${tenantId} not found`);
    const actor = userId ?? connection?.connectedBy;
    if (!actor) throw new Error(`tenant ${tenantId} has no CRM user to act as`);
    return this.deps.crmFor(tenant, actor);
  }

  /** Checks (and creates) the fields of one need, and records what was found and what is missing. */
  async check(tenantId: TenantId, need: FieldNeed, userId?: string): Promise<FieldCheck> {
    const result = await ensureCrmFields(await this.crm(tenantId, userId), need);
    const settings = await this.deps.settings.get(tenantId);
    await this.deps.settings.update(
      tenantId,
      {
        crmFields: { ...settings.crmFields, ...result.found },
        crmSetup: {
          ...settings.crmSetup,
          [need]: {
            ready: result.ready,
            missing: result.missing,
            message: result.message,
            checkedAt: this.now(),
          },
        },
      },
      this.now(),
    );
    return result;
  }

  checkOrderFields(tenantId: TenantId, userId?: string): Promise<FieldCheck> {
    return this.check(tenantId, 'orderSync', userId);
  }

  /**
   * Turns a preset on for good once its CRM fields exist. Without them (no metadata permission)
   * the preset stays requested, and a later re-check that finds them turns it on.
   */
  async enablePreset(tenantId: TenantId, key: PresetKey, userId: string): Promise<PresetOutcome> {
    const settings = await this.deps.settings.get(tenantId);
    if (settings.presets[key]) return 'already_enabled';
    const result = await this.check(tenantId, key, userId);
    if (!result.ready) {
      if (!settings.presetsRequested.includes(key)) {
        await this.deps.settings.update(
          tenantId,
          { presetsRequested: [...settings.presetsRequested, key] },
          this.now(),
        );
      }
      return 'fields_missing';
    }
    return (await this.turnOn(tenantId, key)) ? 'enabled' : 'already_enabled';
  }

  /** 重新检查: every need again; requested presets whose fields now exist turn on. */
  async recheck(tenantId: TenantId, userId: string): Promise<void> {
    const settings = await this.deps.settings.get(tenantId);
    const needs: FieldNeed[] = [
      'orderSync',
      ...(Object.keys(settings.presets) as PresetKey[]),
      ...settings.presetsRequested,
    ];
    for (const need of [...new Set(needs)]) {
      const result = await this.check(tenantId, need, userId);
      if (need !== 'orderSync' && result.ready && !settings.presets[need]) await this.turnOn(tenantId, need);
    }
  }

  private async turnOn(tenantId: TenantId, key: PresetKey): Promise<boolean> {
    const turned = await this.deps.settings.enablePreset(tenantId, key, this.now());
    const settings = await this.deps.settings.get(tenantId);
    await this.deps.settings.update(
      tenantId,
      { presetsRequested: settings.presetsRequested.filter((k) => k !== key) },
      this.now(),
    );
    return turned;
  }
}
