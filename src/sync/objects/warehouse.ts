import type { ErpWarehouse } from '../../erp/records.js';
import { where } from '../../fxiaoke/client/index.js';
import type { SyncObjectModule } from '../object-module.js';
import { findLive, findLiveMany } from './crm-lookup.js';
import { erpChanges, erpFetch } from './erp-source.js';
import { mapWarehouse, type WarehouseFields } from './mapping.js';

const OBJECT = 'WarehouseObj';

/** 仓库 (preset): ERP warehouses → CRM warehouses, matched by 仓库编号; 启用 follows the ERP. */
export const warehouseModule: SyncObjectModule<ErpWarehouse, WarehouseFields> = {
  key: 'warehouse',
  direction: 'jdy_to_crm',
  dependsOn: [],
  enabled: (env) => Boolean(env.settings.presets.warehouse),
  readChanges: (env, cursor) => erpChanges(env.erp.warehouses, cursor),
  fetch: (env, id) => erpFetch(env.erp.warehouses, id),
  map: async (_env, r) => mapWarehouse(r.data),
  match: (env, _r, mapped) => findLive(env, OBJECT, where.eq('number', mapped.number)),
  matchMany: (env, records) => findLiveMany(env, OBJECT, 'number', records, (m) => m.number),
  async write(env, _r, mapped, existingId) {
    const data = { ...mapped };
    if (existingId) {
      await env.crm.data.update(OBJECT, existingId, data, { triggerWorkFlow: false });
      return { targetId: existingId, action: 'updated', request: data };
    }
    const res = await env.crm.data.createSafely(
      OBJECT,
      data,
      { number: mapped.number },
      { triggerWorkFlow: false },
    );
    return { targetId: res.dataId, action: res.recovered ? 'linked' : 'created', request: data };
  },
};
