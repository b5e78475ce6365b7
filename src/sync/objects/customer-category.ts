import type { ErpCategory } from '../../erp/records.js';
import { where } from '../../fxiaoke/client/index.js';
import type { SyncObjectModule } from '../object-module.js';
import type { SyncEnv } from '../sync-env.js';
import { crmFieldsOf } from './crm-fields.js';
import { findLive, findLiveMany } from './crm-lookup.js';
import { crmRef, erpChanges, erpFetch } from './erp-source.js';
import { mapCustomerCategory, type CustomerCategoryFields } from './mapping.js';

/** 客户分类 (preset): ERP customer categories → the CRM's 客户分类 object: 编号, 名称, 上级分类, 备注. */
export const customerCategoryModule: SyncObjectModule<ErpCategory, CustomerCategoryFields> = {
  key: 'customerCategory',
  direction: 'jdy_to_crm',
  dependsOn: [],
  enabled: (env) => Boolean(env.settings.presets.customerCategory),
  readChanges: (env, cursor) => erpChanges(env.erp.customerCategories, cursor),
  fetch: (env, id) => erpFetch(env.erp.customerCategories, id),
  map: async (env, r) => mapCustomerCategory(r.data, await crmRef(env, 'customerCategory', r.data.parentId)),
  match: (env, _r, mapped) => {
    const api = categoryApi(env);
    return findLive(env, api.object, where.eq(api.number, mapped.number));
  },
  matchMany: (env, records) => {
    const api = categoryApi(env);
    return findLiveMany(env, api.object, api.number, records, (m) => m.number);
  },
  async write(env, _r, mapped, existingId) {
    const api = categoryApi(env);
    const data = {
      name: mapped.name,
      [api.number]: mapped.number,
      [api.parent]: mapped.parentId,
      [api.remark]: mapped.remark,
    };
    if (existingId) {
      await env.crm.data.update(api.object, existingId, data, { triggerWorkFlow: false });
      return { targetId: existingId, action: 'updated', request: data };
    }
    const res = await env.crm.data.createSafely(
      api.object,
      data,
      { [api.number]: mapped.number },
      { triggerWorkFlow: false },
    );
    return { targetId: res.dataId, action: res.recovered ? 'linked' : 'created', request: data };
  },
};

function categoryApi(env: SyncEnv) {
  const f = crmFieldsOf(env);
  return {
    object: f.categoryObject,
    number: f.categoryNumber,
    parent: f.categoryParent,
    remark: f.categoryRemark,
  };
}
