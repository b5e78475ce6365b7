import type { ErpStock } from '../../erp/records.js';
import { FxQuery, where } from '../../fxiaoke/client/index.js';
import type { ChangePage, SyncObjectModule } from '../object-module.js';
import { crmRef } from './erp-source.js';
import { mapStock, type StockFields } from './mapping.js';

const OBJECT = 'StockObj';
const idOf = (s: ErpStock): string => `${s.productId}:${s.warehouseId}`;

/**
 * 库存: ERP stock per (product, warehouse) → CRM 库存 (可用库存, 实际库存), upserted. Runs after
 * products, warehouses and customers had their first sync; needs the warehouse preset (a CRM
 * stock row names its warehouse). The CRM never writes stock back.
 */
export const inventoryModule: SyncObjectModule<ErpStock, StockFields> = {
  key: 'inventory',
  direction: 'jdy_to_crm',
  dependsOn: ['warehouse', 'product', 'customer'],
  enabled: (env) => Boolean(env.settings.presets.warehouse),
  async *readChanges(env, cursor): AsyncIterable<ChangePage<ErpStock>> {
    for await (const page of env.erp.stock.changes(cursor)) {
      yield {
        records: page.records.map((s) => ({ id: idOf(s), key: idOf(s), data: s })),
        cursor: page.cursor,
      };
    }
  },
  async fetch(env, id) {
    const s = await env.erp.stock.get(id);
    return s ? { id, key: id, data: s } : null;
  },
  // A product or warehouse not synced yet (e.g. waiting for a retry) is synced now, first.
  map: async (env, r) =>
    mapStock(r.data, {
      productId: await crmRef(env, 'product', r.data.productId),
      warehouseId: await crmRef(env, 'warehouse', r.data.warehouseId),
    }),
  async match(env, _r, mapped) {
    const page = await env.crm.data.query(
      OBJECT,
      FxQuery.create(2)
        .filter(
          where.eq('product_id', mapped.product_id),
          where.eq('warehouse_id', mapped.warehouse_id),
          where.live(),
        )
        .project('_id'),
    );
    return page.dataList[0]?._id ?? null;
  },
  async matchMany(env, records) {
    const productIds = [...new Set(records.map((r) => r.mapped.product_id))];
    const byPair = new Map<string, string>();
    for (let i = 0; i < productIds.length; i += 100) {
      for await (const row of env.crm.data.scan(OBJECT, {
        filters: [where.in('product_id', productIds.slice(i, i + 100)), where.live()],
        fieldProjection: ['product_id', 'warehouse_id'],
      })) {
        byPair.set(`${String(row.product_id)}:${String(row.warehouse_id)}`, row._id);
      }
    }
    return new Map(
      records.flatMap(({ source, mapped }) => {
        const id = byPair.get(`${mapped.product_id}:${mapped.warehouse_id}`);
        return id ? [[source.id, id]] : [];
      }),
    );
  },
  async write(env, _r, mapped, existingId) {
    const stock = { real_stock: mapped.real_stock, available_stock: mapped.available_stock };
    if (existingId) {
      await env.crm.data.update(OBJECT, existingId, stock, { triggerWorkFlow: false });
      return { targetId: existingId, action: 'updated', request: stock };
    }
    const res = await env.crm.data.createSafely(
      OBJECT,
      { ...mapped },
      { product_id: mapped.product_id, warehouse_id: mapped.warehouse_id },
      { triggerWorkFlow: false },
    );
    return { targetId: res.dataId, action: res.recovered ? 'linked' : 'created', request: mapped };
  },
};
