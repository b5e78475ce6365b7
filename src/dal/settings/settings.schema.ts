import { Schema, type Connection, type Model } from 'mongoose';
import type { SettingsEntity } from './settings.entity.js';

const schema = new Schema<SettingsEntity>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    presets: { type: Schema.Types.Mixed, default: {} },
    schedule: { type: Schema.Types.Mixed, required: true },
    defaultOwnerId: { type: String, default: null },
    notifyUserIds: { type: [String], default: [] },
    autoAuditOrders: { type: Boolean, default: false },
    crmFields: { type: Schema.Types.Mixed, default: {} },
    crmSetup: { type: Schema.Types.Mixed, default: {} },
    presetsRequested: { type: [String], default: [] },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'settings', versionKey: false, minimize: false },
);
// Read by _id (= tenantId) only.

export const settingsModel = (conn: Connection): Model<SettingsEntity> =>
  (conn.models.Settings as Model<SettingsEntity> | undefined) ??
  conn.model<SettingsEntity>('Settings', schema);
