/** The settings the rules page edits (plugin-api.md, /api/settings). */
export interface OwnerSettings {
  defaultOwnerId: string | null;
  notifyUserIds: string[];
  autoAuditOrders: boolean;
}

/** Only these fields: the settings document also holds presets, schedule and CRM field names. */
export const settingsView = (s: OwnerSettings): OwnerSettings => ({
  defaultOwnerId: s.defaultOwnerId,
  notifyUserIds: s.notifyUserIds,
  autoAuditOrders: s.autoAuditOrders,
});
