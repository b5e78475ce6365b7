/** A tenant's setup choices: presets, schedule, owners and notices. One document per tenant. */
export type PresetKey = 'brand' | 'customerCategory' | 'warehouse';
export const PRESET_KEYS: readonly PresetKey[] = ['brand', 'customerCategory', 'warehouse'];

export interface ScheduleSettings {
  mode: 'manual' | 'timed';
  intervalMinutes: number;
  inventoryIntervalMinutes: number;
  /** Daily window in Asia/Shanghai ("08:00"–"20:00"), or null for all day. */
  window: { start: string; end: string } | null;
}

export interface SettingsEntity {
  /** = tenantId */
  _id: string;
  tenantId: string;
  /** When each preset was switched on (absent = off; there is no way back). */
  presets: Partial<Record<PresetKey, Date>>;
  schedule: ScheduleSettings;
  /** CRM owner of JDY → CRM records whose salesperson has no binding. */
  defaultOwnerId: string | null;
  notifyUserIds: string[];
  autoAuditOrders: boolean;
  /** api names of the CRM fields the plugin uses, as found in the describe (hand-made ones may differ). */
  crmFields: Record<string, string>;
  /** The last check of the CRM fields each need requires (§4), for the pages. */
  crmSetup: Partial<Record<CrmFieldNeed, CrmSetupState>>;
  /** Presets the admin asked for whose CRM fields are still missing: on at the next successful check. */
  presetsRequested: PresetKey[];
  updatedAt: Date;
}

export type CrmFieldNeed = PresetKey | 'orderSync';

export interface CrmSetupState {
  ready: boolean;
  missing: Array<{ object: string; field: string; label: string; type: string }>;
  message: string | null;
  checkedAt: Date;
}

export const DEFAULT_SCHEDULE: ScheduleSettings = {
  mode: 'timed',
  intervalMinutes: 5,
  inventoryIntervalMinutes: 1,
  window: null,
};
