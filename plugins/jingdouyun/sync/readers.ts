import type { ErpNumberedReader, ErpReader } from '../../../src/erp/plugin.js';
import type {
  ErpCategory,
  ErpCustomer,
  ErpProduct,
  ErpStock,
  ErpUnit,
  ErpWarehouse,
} from '../../../src/erp/records.js';
import type {
  JdyCategoryRow,
  JdyClient,
  JdyCustomerDetail,
  JdyEntityNumber,
  JdyInventoryRow,
  JdyMaterialDetail,
  JdyStoreRow,
  JdyUnitRow,
  JdyWindowBatch,
  WindowOptions,
} from '../client/index.js';
import { deletionStream, listStream, readChanges } from './changes.js';

/** The service writes "" for an absent reference. */
export const orNull = (value: string | undefined): string | null => (value ? value : null);

/**
 * A reader of one entity: its list in windows plus its deletion log. `toRecord` turns a row into
 * the record (null: it vanished meanwhile); `get` reads one record by id.
 */
function entityReader<Row, T>(
  client: JdyClient,
  entity: JdyEntityNumber,
  read: (window: WindowOptions) => AsyncIterable<JdyWindowBatch<Row>>,
  toRecord: (row: Row) => Promise<T | null>,
  get: (id: string) => Promise<T | null>,
): ErpReader<T> {
  const streams = [listStream(entity, read, toRecord), deletionStream<T>(client, entity)];
  return { changes: (cursor) => readChanges(client.session.clock, streams, cursor), get };
}

/**
 * A reader whose records need the detail: the contract (§5) lets real list rows carry only id,
 * number, name and enable, so everything else is read from the detail, once per record.
 */
export function detailReader<T>(
  client: JdyClient,
  entity: JdyEntityNumber,
  read: (window: WindowOptions) => AsyncIterable<JdyWindowBatch<{ id: string }>>,
  get: (id: string) => Promise<T | null>,
): ErpReader<T> {
  return entityReader(client, entity, read, (row) => get(row.id), get);
}

const mapped =
  <D, T>(map: (detail: D) => T) =>
  (detail: D | undefined): T | null =>
    detail === undefined ? null : map(detail);

const toCategory = (row: JdyCategoryRow): ErpCategory => ({
  id: row.id,
  number: row.number,
  name: row.name,
  parentId: orNull(row.parent_id),
  remark: row.remark ?? '',
});

const toUnit = (row: JdyUnitRow): ErpUnit => ({
  id: row.id,
  number: row.number,
  name: row.name,
  groupName: orNull(row.group_name),
});

function toProduct(detail: JdyMaterialDetail): ErpProduct {
  const basePrice = (detail.price_entity ?? []).find((p) => p.price_unit_id === detail.base_unit_id);
  return {
    id: detail.id,
    number: detail.number,
    name: detail.name,
    categoryId: orNull(detail.parent_id),
    unitId: detail.base_unit_id,
    retailPrice: basePrice?.price_retail_price ?? null,
    brandName: orNull(detail.brand_name),
    enabled: detail.enable === '1',
  };
}

const toWarehouse = (row: JdyStoreRow): ErpWarehouse => ({
  id: row.id,
  number: row.number,
  name: row.name,
  enabled: row.enable === '1',
});

function toCustomer(detail: JdyCustomerDetail): ErpCustomer {
  const contact = detail.contacts.find((c) => c.is_default_linkman);
  return {
    id: detail.id,
    number: detail.number,
    name: detail.name,
    categoryId: orNull(detail.group_id),
    salespersonId: orNull(detail.saler_id),
    address: detail.addr ?? '',
    mobile: contact?.mobile ?? '',
    email: contact?.email ?? '',
    remark: detail.remark ?? '',
  };
}

const toStock = (row: JdyInventoryRow): ErpStock => ({
  productId: row.material_id,
  warehouseId: row.stock_id,
  available: row.valid_qty,
  actual: row.qty,
});

/** Customer categories have no detail endpoint: the list row is the record (`find` scans the list). */
export const customerCategoriesReader = (client: JdyClient): ErpReader<ErpCategory> =>
  entityReader(
    client,
    'bd_customergroup',
    (w) => client.customerGroups.changes(w),
    async (row) => toCategory(row),
    async (id) => mapped(toCategory)(await client.customerGroups.find({ id })),
  );

export const productCategoriesReader = (client: JdyClient): ErpReader<ErpCategory> =>
  detailReader(
    client,
    'bd_materialgroup',
    (w) => client.materialGroups.changes(w),
    async (id) => mapped(toCategory)(await client.materialGroups.find({ id })),
  );

export const unitsReader = (client: JdyClient): ErpReader<ErpUnit> =>
  detailReader(
    client,
    'bd_measureunits_new',
    (w) => client.units.changes(w),
    async (id) => mapped(toUnit)(await client.units.find({ id })),
  );

export const productsReader = (client: JdyClient): ErpNumberedReader<ErpProduct> => ({
  ...detailReader(
    client,
    'bd_material',
    (w) => client.materials.changes(w),
    async (id) => mapped(toProduct)(await client.materials.find({ id })),
  ),
  byNumber: async (number) => mapped(toProduct)(await client.materials.findByNumber(number)),
});

/** Warehouse rows hold all a warehouse record needs (id, number, name, enable). */
export const warehousesReader = (client: JdyClient): ErpReader<ErpWarehouse> =>
  entityReader(
    client,
    'bd_store',
    (w) => client.stores.changes(w),
    async (row) => toWarehouse(row),
    async (id) => mapped(toWarehouse)(await client.stores.find({ id })),
  );

export const customersReader = (client: JdyClient): ErpReader<ErpCustomer> =>
  detailReader(
    client,
    'bd_customer',
    (w) => client.customers.changes(w),
    async (id) => mapped(toCustomer)(await client.customers.find({ id })),
  );

/** Stock keys are "<material_id>:<stock_id>"; inventory has no deletion log (its rows stay, §5.12). */
export function stockReader(client: JdyClient): ErpReader<ErpStock> {
  const streams = [
    listStream(
      'inventory',
      (w) => client.inventory.changes(w),
      async (row) => toStock(row),
    ),
  ];
  return {
    changes: (cursor) => readChanges(client.session.clock, streams, cursor),
    async get(id) {
      const [materialId, stockId, ...rest] = id.split(':');
      if (!materialId || !stockId || rest.length > 0) return null;
      for await (const row of client.inventory.list({ material_ids: [materialId], stock_ids: [stockId] })) {
        if (row.material_id === materialId && row.stock_id === stockId) return toStock(row);
      }
      return null;
    },
  };
}
