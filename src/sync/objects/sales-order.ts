import type { DeliveryMethod, ErpOrderInput, ErpRef, ErpWarehouse } from '../../erp/records.js';
import { FX, FxQuery, where } from '../../fxiaoke/client/index.js';
import { isFxCode } from '../../fxiaoke/client/errors.js';
import { err, type Result } from '../../lib/result.js';
import { ShortMemo } from '../../lib/short-memo.js';
import type { LiveRecord, Refusal, SyncObjectModule, WriteResult } from '../object-module.js';
import type { SyncEnv } from '../sync-env.js';
import { crmFieldsOf } from './crm-fields.js';
import {
  crmChanges,
  crmFetchMany,
  firstUser,
  IN_BATCH,
  isEmpty,
  optionLabel,
  type CrmRecord,
} from './crm-source.js';
import { mapOrderToErp, pickWarehouse, warehouseNamed, type CrmOrder, type CrmOrderLine } from './mapping.js';

const OBJECT = 'SalesOrderObj';
const LINES = 'SalesOrderProductObj';
const PRODUCTS = 'ProductObj';
const METHODS: readonly DeliveryMethod[] = ['物流发货', '车辆配送', '客户自提'];

interface OrderFile {
  filename: string;
  ext: string;
  path: string;
  size: number;
}

/** The order as sent to the ERP, plus the CRM files to attach (uploaded when written). */
export type MappedOrder = ErpOrderInput & { files: OrderFile[]; warning: string | null };

/**
 * The ERP's warehouses per connection, remembered by the process for a short while: reading them
 * for every batch of change events cost two ERP calls per batch. A line naming a warehouse the
 * list lacks reads the list again (see warehouseOf), so a warehouse added meanwhile is found.
 */
const WAREHOUSES_MS = 30_000;
const warehouseMemo = new ShortMemo<Promise<ErpWarehouse[]>>(WAREHOUSES_MS, () => Date.now(), 10_000);

function erpWarehouses(env: SyncEnv, fresh = false): Promise<ErpWarehouse[]> {
  const key = `${env.tenantId}:${env.connectedAt}`;
  let cached = fresh ? undefined : warehouseMemo.get(key);
  if (!cached) {
    cached = (async () => {
      const all: ErpWarehouse[] = [];
      for await (const page of env.erp.warehouses.changes(null)) all.push(...page.records);
      return all;
    })();
    // A failed read is not remembered.
    cached.catch(() => warehouseMemo.delete(key));
    warehouseMemo.set(key, cached);
  }
  return cached;
}

/** §3.5: the line's warehouse by name (the list read again once when the name is not in it), else the first. */
async function warehouseOf(env: SyncEnv, name: string | null): Promise<string | null> {
  const listed = await erpWarehouses(env);
  if (name && !warehouseNamed(name, listed)) return pickWarehouse(name, await erpWarehouses(env, true));
  return pickWarehouse(name, listed);
}

/**
 * Owes the order 同步状态 = `label` unless it will show that value anyway — the value still owed
 * to it, else `current` (as read). The write is done in the background (env.crmWriteback, without
 * workflow: the plugin's own write must not come back as a change event, §3.5), so the ERP order
 * is never held up by the CRM's rate limit; skipping equal values keeps a failing order from being
 * bumped into every later poll window.
 */
async function setSyncStatus(
  env: SyncEnv,
  orderId: string,
  current: unknown,
  label: '已同步' | '未同步',
): Promise<void> {
  const field = crmFieldsOf(env).syncStatus;
  const value = await env.crm.data.optionValue(OBJECT, field, label);
  const owed = await env.crmWriteback.owed(OBJECT, orderId);
  const shown = owed && field in owed ? owed[field] : current;
  if (shown !== value) await env.crmWriteback.put(OBJECT, orderId, { [field]: value });
}

/** Owes the order 同步状态 = `label` without looking at what it shows or is owed. */
async function putSyncStatus(env: SyncEnv, orderId: string, label: '已同步' | '未同步'): Promise<void> {
  const field = crmFieldsOf(env).syncStatus;
  await env.crmWriteback.put(OBJECT, orderId, {
    [field]: await env.crm.data.optionValue(OBJECT, field, label),
  });
}

/**
 * 销售订单: CRM orders (life status normal) → ERP sales orders with the CRM order number, the
 * customer synced first, products that came from the ERP, warehouses by name, delivery method and
 * date, remark and the files of 附件同步. Updated while the ERP order is unaudited. 同步状态 shows
 * 已同步 after a success and 未同步 while a change is pending or failed.
 */
export const salesOrderModule: SyncObjectModule<CrmRecord, MappedOrder> = {
  key: 'salesOrder',
  direction: 'crm_to_jdy',
  dependsOn: ['warehouse', 'product', 'customer'],
  enabled: () => true,
  readChanges: (env, cursor) => crmChanges(env, OBJECT, cursor),
  fetch: async (env, id) => (await fetchOrders(env, [id])).get(id) ?? null,
  fetchMany: fetchOrders,
  async map(env, r) {
    const mapped = await mapOrder(env, r);
    // 未同步 while the order waits or failed (§3.5); a skipped one (voided) is left as it is.
    if (!mapped.ok && mapped.error.status !== 'skipped') {
      await setSyncStatus(env, r.id, r.data[crmFieldsOf(env).syncStatus], '未同步');
    }
    return mapped;
  },
  async match(env, _r, mapped) {
    return (await env.erp.salesOrders.findByNumber(mapped.number))?.id ?? null;
  },
  // The ERP refuses a duplicate order number: creating first spares a lookup per new order.
  createFirst: true,
  async onLinked(env, r) {
    await setSyncStatus(env, r.id, r.data[crmFieldsOf(env).syncStatus], '已同步');
  },
  async write(env, r, mapped, existingId, previous) {
    const { files, warning, ...order } = mapped;
    const current = r.data[crmFieldsOf(env).syncStatus];
    // Mapped by a try whose outcome this record never saw (the worker stopped between linking and
    // saving its page): that try created the order, which may be audited and unwritable by now.
    if (existingId && previous?.targetId !== existingId) return linkAsIs(env, r, existingId, mapped);
    // A synced order that changed shows 未同步 until written again. A new one (no status yet) is
    // marked only if this try fails: one status write per order on the common path.
    if (!isEmpty(current)) await setSyncStatus(env, r.id, current, '未同步');
    const { ref, input } = await sendOrder(env, order, files, existingId).catch(async (error: unknown) => {
      if (isEmpty(current)) await setSyncStatus(env, r.id, current, '未同步').catch(() => undefined);
      throw error;
    });
    // Already in the ERP under this number: an earlier try created it (its answer lost, or the
    // worker stopped before linking).
    if (ref.existed) return linkAsIs(env, r, ref.id, mapped);
    // Written: 已同步 is owed whatever was owed before, so nothing needs reading first.
    await putSyncStatus(env, r.id, '已同步');
    return {
      targetId: ref.id,
      action: existingId ? 'updated' : 'created',
      request: input,
      ...(warning ? { warning } : {}),
    };
  },
};

/** An order an earlier try created is linked as it is (it may be audited, and then unwritable). */
async function linkAsIs(
  env: SyncEnv,
  r: LiveRecord<CrmRecord>,
  targetId: string,
  mapped: MappedOrder,
): Promise<WriteResult> {
  await setSyncStatus(env, r.id, r.data[crmFieldsOf(env).syncStatus], '已同步');
  return { targetId, action: 'linked', request: mapped };
}

/** Uploads the order's files to the ERP, then creates or updates the ERP order with their links. */
async function sendOrder(
  env: SyncEnv,
  order: ErpOrderInput,
  files: readonly OrderFile[],
  existingId: string | null,
): Promise<{ ref: ErpRef; input: ErpOrderInput }> {
  const attachmentUrls: string[] = [];
  for (const f of files) {
    const file = await env.crm.files.download({ npath: f.path });
    attachmentUrls.push(await env.erp.uploadAttachment(file.content, f.filename || file.filename));
  }
  const input = { ...order, attachmentUrls };
  const ref = existingId
    ? await env.erp.salesOrders.update(existingId, input)
    : await env.erp.salesOrders.create(input);
  return { ref, input };
}

/** Where an order fetched by id carries its lines (read for the whole batch in one query). */
const LINES_KEY = '_lines';

/** Orders by id with their lines: two `IN` reads per 100 orders instead of two calls per order. */
async function fetchOrders(
  env: SyncEnv,
  ids: readonly string[],
): Promise<Map<string, LiveRecord<CrmRecord>>> {
  const orders = await crmFetchMany(env, OBJECT, ids);
  const lines = new Map<string, CrmRecord[]>();
  const live = [...orders.keys()];
  for (let i = 0; i < live.length; i += IN_BATCH) {
    for await (const row of env.crm.data.scan(LINES, {
      filters: [where.in('order_id', live.slice(i, i + IN_BATCH))],
    })) {
      const orderId = String(row.order_id);
      const ofOrder = lines.get(orderId) ?? [];
      ofOrder.push(row as CrmRecord);
      lines.set(orderId, ofOrder);
    }
  }
  for (const [id, order] of orders) order.data = { ...order.data, [LINES_KEY]: lines.get(id) ?? [] };
  return orders;
}

async function mapOrder(env: SyncEnv, r: LiveRecord<CrmRecord>): Promise<Result<MappedOrder, Refusal>> {
  const o = r.data;
  const fields = crmFieldsOf(env);
  const lifeStatus = String(o.life_status ?? 'normal');
  const accountId = typeof o.account_id === 'string' ? o.account_id : null;
  const erpCustomerId =
    lifeStatus !== 'normal' || !accountId
      ? null
      : ((await env.erpIdOf('customer', accountId)) ?? (await env.syncDependency('customer', accountId)));
  const prefetched = o[LINES_KEY];
  const rows =
    lifeStatus !== 'normal'
      ? []
      : Array.isArray(prefetched)
        ? (prefetched as CrmRecord[])
        : await orderLines(env, r.id);
  const lines: CrmOrderLine[] = [];
  for (const row of rows) {
    const productId = String(row.product_id ?? '');
    const warehouseName =
      typeof row[`${fields.lineWarehouse}__r`] === 'string'
        ? String(row[`${fields.lineWarehouse}__r`])
        : null;
    lines.push({
      productName: String(row.product_id__r ?? productId),
      erpProductId: productId ? await erpProductOf(env, productId) : null,
      quantity: String(row.quantity ?? '0'),
      salesPrice: String(row.sales_price ?? '0'),
      erpWarehouseId: await warehouseOf(env, warehouseName),
    });
  }
  const owner = env.owners.erpEmployeeOf(firstUser(o.owner));
  const methodLabel = await optionLabel(env, OBJECT, fields.deliveryMethod, o[fields.deliveryMethod]);
  const mapped = mapOrderToErp(o as unknown as CrmOrder, lines, {
    lifeStatus,
    erpCustomerId,
    salespersonId: owner.empId,
    deliveryMethod: METHODS.find((m) => m === methodLabel) ?? null,
    audit: env.settings.autoAuditOrders,
  });
  if (!mapped.ok) return mapped;
  const files = Array.isArray(o[fields.attachments]) ? (o[fields.attachments] as unknown as OrderFile[]) : [];
  if (files.some((f) => typeof f?.path !== 'string'))
    return err({ status: 'failed', reason: '附件同步字段中的文件信息不完整' });
  return { ok: true, value: { ...mapped.value, files, warning: owner.warning } };
}

/**
 * The ERP product of an order line. An unlinked CRM product may still be an ERP product whose own
 * sync was held up after it reached the CRM (a passing failure before the link was stored): found
 * in the ERP by its 产品编码, it is synced first, like the order's customer. A CRM-only product is not.
 */
async function erpProductOf(env: SyncEnv, crmProductId: string): Promise<string | null> {
  const linked = await env.erpIdOf('product', crmProductId);
  if (linked) return linked;
  const code = await crmProductCode(env, crmProductId);
  const erpProduct = code ? await env.erp.products.byNumber(code) : null;
  if (!erpProduct) return null;
  return (await env.syncDependency('product', erpProduct.id)) === crmProductId ? erpProduct.id : null;
}

async function crmProductCode(env: SyncEnv, crmProductId: string): Promise<string | null> {
  try {
    const product = await env.crm.data.get(PRODUCTS, crmProductId);
    return typeof product.product_code === 'string' && product.product_code ? product.product_code : null;
  } catch (error) {
    if (isFxCode(error, FX.NOT_FOUND)) return null;
    throw error;
  }
}

async function orderLines(env: SyncEnv, orderId: string): Promise<CrmRecord[]> {
  const page = await env.crm.data.query(
    LINES,
    FxQuery.create(100).filter(where.eq('order_id', orderId)).orderBy('_id'),
  );
  return page.dataList as CrmRecord[];
}
