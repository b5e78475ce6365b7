import type { ErpUnit } from '../../erp/records.js';
import { where } from '../../fxiaoke/client/index.js';
import type { SyncObjectModule } from '../object-module.js';
import { erpChanges, erpFetch } from './erp-source.js';
import { mapUnit, type UnitFields } from './mapping.js';
import { findLive, findLiveMany } from './crm-lookup.js';

const OBJECT = 'UnitInfoObj';

/** 单位: every ERP unit → a CRM unit labelled 单位组-单位 (or the unit name); the label is unique. */
export const unitModule: SyncObjectModule<ErpUnit, UnitFields> = {
  key: 'unit',
  direction: 'jdy_to_crm',
  dependsOn: [],
  enabled: () => true,
  readChanges: (env, cursor) => erpChanges(env.erp.units, cursor),
  fetch: (env, id) => erpFetch(env.erp.units, id),
  map: async (_env, r) => mapUnit(r.data),
  match: (env, _r, mapped) => findLive(env, OBJECT, where.eq('name', mapped.name)),
  matchMany: (env, records) => findLiveMany(env, OBJECT, 'name', records, (m) => m.name),
  async write(env, _r, mapped, existingId) {
    const data = { name: mapped.name, unit_code: mapped.unit_code };
    if (existingId) {
      await env.crm.data.update(OBJECT, existingId, data, { triggerWorkFlow: false });
      return { targetId: existingId, action: 'updated', request: data };
    }
    const res = await env.crm.data.createSafely(
      OBJECT,
      data,
      { name: mapped.name },
      { triggerWorkFlow: false },
    );
    return { targetId: res.dataId, action: res.recovered ? 'linked' : 'created', request: data };
  },
};
