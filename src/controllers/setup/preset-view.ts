import { PRESET_KEYS, type PresetKey, type SettingsEntity } from '../../dal/settings/settings.entity.js';

/**
 * A preset as the pages show it. `enabled` once the admin turned it on (it cannot be turned off);
 * `enabledAt` once its CRM fields exist and its sync started. Until then (the CRM refused to
 * create them) `crmSetup` is "missing" and `missing` lists what to create by hand.
 */
export function presetView(settings: SettingsEntity, key: PresetKey) {
  const on = settings.presets[key];
  const check = settings.crmSetup[key];
  const missing = check && !check.ready ? check.missing : [];
  return {
    key,
    enabled: Boolean(on) || settings.presetsRequested.includes(key),
    enabledAt: on ? new Date(on).toISOString() : null,
    crmSetup: missing.length ? ('missing' as const) : ('ready' as const),
    missing,
  };
}

export const presetViews = (settings: SettingsEntity) => PRESET_KEYS.map((key) => presetView(settings, key));
