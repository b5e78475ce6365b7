import type { ErpCategory } from '../../erp/records.js';
import type { SyncObjectModule } from '../object-module.js';
import { crmRef, erpChanges, erpFetch } from './erp-source.js';
import { mapProductCategory, type ProductCategoryFields } from './mapping.js';

/**
 * 产品分类: ERP product categories → CRM product categories (editProductCategory), code = ERP code,
 * parent = the mapped ERP parent (synced first when needed). Every ERP category is imported.
 */
export const productCategoryModule: SyncObjectModule<ErpCategory, ProductCategoryFields> = {
  key: 'productCategory',
  direction: 'jdy_to_crm',
  dependsOn: [],
  enabled: () => true,
  readChanges: (env, cursor) => erpChanges(env.erp.productCategories, cursor),
  fetch: (env, id) => erpFetch(env.erp.productCategories, id),
  map: async (env, r) => mapProductCategory(r.data, await crmRef(env, 'productCategory', r.data.parentId)),
  async match(env, _r, mapped) {
    return (await env.crm.metadata.categories()).find((c) => c.code === mapped.code)?.id ?? null;
  },
  async matchMany(env, records) {
    const byCode = new Map((await env.crm.metadata.categories()).map((c) => [c.code, c.id]));
    return new Map(
      records.flatMap(({ source, mapped }) =>
        byCode.has(mapped.code) ? [[source.id, byCode.get(mapped.code)!]] : [],
      ),
    );
  },
  async write(env, _r, mapped, existingId) {
    if (existingId) {
      await env.crm.metadata.updateCategory(existingId, { name: mapped.name, pid: mapped.pid });
      return { targetId: existingId, action: 'updated', request: mapped };
    }
    const id = await env.crm.metadata.createCategory({
      name: mapped.name,
      code: mapped.code,
      pid: mapped.pid,
    });
    return { targetId: id, action: 'created', request: mapped };
  },
};
