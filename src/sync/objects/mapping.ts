import type {
  ErpCategory,
  ErpCustomer,
  ErpCustomerInput,
  ErpOrderInput,
  ErpDelivery,
  ErpPayment,
  ErpProduct,
  ErpStock,
  ErpUnit,
  ErpWarehouse,
} from '../../erp/records.js';
import { canonical, fixed, toDecimal } from '../../lib/decimal.js';
import { err, ok, type Result } from '../../lib/result.js';
import type { Refusal } from '../object-module.js';

/**
 * The field mapping of sync-rules §5, as pure functions: an ERP-neutral record plus the CRM ids
 * of its references in, the CRM record's fields out (or why it cannot be written). Option fields
 * are given by label (resolved to values through the CRM describe when written).
 */

const fail = (reason: string): Refusal => ({ status: 'failed', reason });

/** CRM unit label: 单位组-单位 when the ERP gives a unit group, else the unit name (§3.3). */
export const unitLabel = (unit: Pick<ErpUnit, 'name' | 'groupName'>): string =>
  unit.groupName ? `${unit.groupName}-${unit.name}` : unit.name;

/** CRM product name: ERP code, a space, ERP name — so CRM names stay unique (§3.3). */
export const productName = (p: Pick<ErpProduct, 'number' | 'name'>): string => `${p.number} ${p.name}`;

export interface ProductFields {
  product_code: string;
  name: string;
  category: string;
  unit: string;
  price: string;
  product_status: { label: '已上架' | '已下架' };
  brand?: string;
}

export function mapProduct(
  p: ErpProduct,
  refs: { categoryId: string | null; unitId: string | null; brandPreset: boolean },
): Result<ProductFields, Refusal> {
  if (!p.categoryId) return err(fail(`精斗云商品 ${p.number} 没有商品类别，纷享产品的产品分类为必填`));
  if (!refs.categoryId) return err(fail(`商品类别尚未同步到纷享（精斗云类别 ${p.categoryId}）`));
  if (!refs.unitId) return err(fail(`计量单位尚未同步到纷享（精斗云单位 ${p.unitId}）`));
  return ok({
    product_code: p.number,
    name: productName(p),
    category: refs.categoryId,
    unit: refs.unitId,
    price: fixed(p.retailPrice === null ? 0 : toDecimal(p.retailPrice), 2),
    product_status: { label: p.enabled ? '已上架' : '已下架' },
    ...(refs.brandPreset ? { brand: p.brandName ?? '' } : {}),
  });
}

export interface ProductCategoryFields {
  code: string;
  name: string;
  /** CRM id of the parent category, null at the top. */
  pid: string | null;
}

export function mapProductCategory(
  c: ErpCategory,
  parentId: string | null,
): Result<ProductCategoryFields, Refusal> {
  if (c.parentId && !parentId) return err(fail(`上级分类尚未同步到纷享（精斗云分类 ${c.parentId}）`));
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(c.number)) {
    return err(fail(`分类编码「${c.number}」不符合纷享的要求（1–64 位字母、数字或 _.-）`));
  }
  return ok({ code: c.number, name: c.name.slice(0, 50), pid: parentId });
}

export interface UnitFields {
  name: string;
  unit_code: string;
}

export const mapUnit = (u: ErpUnit): Result<UnitFields, Refusal> =>
  ok({ name: unitLabel(u), unit_code: u.number });

export interface WarehouseFields {
  name: string;
  number: string;
  is_enable: boolean;
}

export const mapWarehouse = (w: ErpWarehouse): Result<WarehouseFields, Refusal> =>
  ok({ name: w.name, number: w.number, is_enable: w.enabled });

export interface CustomerCategoryFields {
  name: string;
  number: string;
  parentId: string | null;
  remark: string;
}

export function mapCustomerCategory(
  c: ErpCategory,
  parentId: string | null,
): Result<CustomerCategoryFields, Refusal> {
  if (c.parentId && !parentId) return err(fail(`上级客户分类尚未同步到纷享（精斗云分类 ${c.parentId}）`));
  return ok({ name: c.name, number: c.number, parentId, remark: c.remark });
}

/** JDY → CRM customer (first run): 详细地址, 电话, 邮件, 备注, 负责人 (§3.1, §5). */
export interface AccountFields {
  name: string;
  account_no: string;
  address: string;
  tel: string;
  email: string;
  remark: string;
  owner: string;
  categoryId?: string | null;
}

export function mapCustomerToCrm(
  c: ErpCustomer,
  refs: { ownerId: string; categoryId: string | null; categoryPreset: boolean },
): Result<AccountFields, Refusal> {
  return ok({
    name: c.name,
    account_no: c.number,
    address: c.address,
    tel: c.mobile,
    email: c.email,
    remark: c.remark,
    owner: refs.ownerId,
    ...(refs.categoryPreset ? { categoryId: refs.categoryId } : {}),
  });
}

export interface StockFields {
  product_id: string;
  warehouse_id: string;
  available_stock: string;
  real_stock: string;
}

export function mapStock(
  s: ErpStock,
  refs: { productId: string | null; warehouseId: string | null },
): Result<StockFields, Refusal> {
  if (!refs.productId)
    return err({ status: 'skipped', reason: `商品尚未同步到纷享（精斗云商品 ${s.productId}）` });
  if (!refs.warehouseId)
    return err({ status: 'skipped', reason: `仓库尚未同步到纷享（精斗云仓库 ${s.warehouseId}）` });
  return ok({
    product_id: refs.productId,
    warehouse_id: refs.warehouseId,
    available_stock: fixed(s.available, 2),
    real_stock: fixed(s.actual, 2),
  });
}

export interface PaymentFields {
  account_id: string;
  owner: string;
  /** GMT+8 midnight of the day the ERP payment was last modified (audited). */
  payment_time: number;
  payment_amount: string;
  lines: Array<{ order_id: string; payment_amount: string }>;
}

/** ms of 00:00 GMT+8 on the GMT+8 day of `ms` (the CRM's date fields). */
export const gmt8Midnight = (ms: number): number => {
  const day = 86_400_000;
  const offset = 8 * 3_600_000;
  return Math.floor((ms + offset) / day) * day - offset;
};

/** "yyyy-MM-dd" → the CRM date value (ms of 00:00 GMT+8). */
export const dateToCrm = (date: string): number => Date.parse(`${date}T00:00:00+08:00`);

export function mapPayment(
  p: ErpPayment,
  refs: { accountId: string | null; ownerId: string; crmOrderIds: Map<string, string> },
): Result<PaymentFields, Refusal> {
  const lines = p.lines
    .filter((l) => refs.crmOrderIds.has(l.orderId))
    .map((l) => ({ order_id: refs.crmOrderIds.get(l.orderId)!, payment_amount: fixed(l.amount, 2) }));
  if (lines.length === 0) return err({ status: 'skipped', reason: '该收款没有核销来自纷享的销售订单' });
  if (!refs.accountId) return err(fail(`客户尚未同步到纷享（精斗云客户 ${p.customerId}）`));
  const total = lines.reduce((sum, l) => sum.plus(l.payment_amount), toDecimal(0));
  return ok({
    account_id: refs.accountId,
    owner: refs.ownerId,
    payment_time: gmt8Midnight(p.modifiedAt),
    payment_amount: fixed(total, 2),
    lines,
  });
}

export interface DeliveryNoteFields {
  sales_order_id: string;
  owner: string;
  remark: string;
  delivery_date: number;
  lines: Array<{ product_id: string; delivery_num: string; delivery_money: string }>;
  /** Σ line amounts, for the record (the CRM computes 发货总金额 itself). */
  total: string;
}

/** One delivery note per CRM order among an outbound's lines (§3.7). */
export function mapDeliveryNote(
  d: ErpDelivery,
  orderId: string,
  refs: { crmOrderId: string; ownerId: string; crmProductIds: Map<string, string> },
): Result<DeliveryNoteFields, Refusal> {
  const lines = [];
  for (const l of d.lines.filter((x) => x.orderId === orderId)) {
    const productId = refs.crmProductIds.get(l.productId);
    if (!productId) return err(fail(`发货商品尚未同步到纷享（精斗云商品 ${l.productId}）`));
    lines.push({ product_id: productId, delivery_num: fixed(l.qty, 2), delivery_money: fixed(l.amount, 2) });
  }
  if (lines.length === 0) return err({ status: 'skipped', reason: '出库单中没有该订单的明细' });
  const total = lines.reduce((sum, l) => sum.plus(l.delivery_money), toDecimal(0));
  return ok({
    sales_order_id: refs.crmOrderId,
    owner: refs.ownerId,
    remark: d.remark,
    delivery_date: dateToCrm(d.date),
    lines,
    total: canonical(total),
  });
}

/** GMT+8 calendar date ("yyyy-MM-dd") of a CRM date/time value in ms. */
export const crmDate = (ms: number): string =>
  new Date(gmt8Midnight(ms) + 8 * 3_600_000).toISOString().slice(0, 10);

/** What the CRM → ERP customer mapping needs of a CRM customer (AccountObj). */
export interface CrmAccount {
  _id: string;
  name: string;
  account_no?: string;
  address?: string;
  tel?: string;
  email?: string;
  remark?: string;
}

/** CRM 成交状态 labels that allow a customer to flow to the ERP (§3.1). */
export const DEAL_LABELS = ['已成交', '多次成交'] as const;

export function mapCustomerToErp(
  a: CrmAccount,
  refs: { dealLabel: string | null; salespersonId: string | null; categoryId: string | null },
): Result<ErpCustomerInput, Refusal> {
  if (!refs.dealLabel || !(DEAL_LABELS as readonly string[]).includes(refs.dealLabel)) {
    return err({ status: 'waiting', reason: '等待成交：客户成交后（已成交或多次成交）才会同步到精斗云' });
  }
  const number = (a.account_no ?? '').trim();
  if (!number) return err(fail('客户编号为空：精斗云客户编码取自纷享的客户编号'));
  return ok({
    number,
    name: a.name,
    categoryId: refs.categoryId,
    salespersonId: refs.salespersonId,
    address: a.address ?? '',
    contact: { name: a.name, mobile: a.tel ?? '', email: a.email ?? '' },
    remark: a.remark ?? '',
  });
}

/** What the order mapping needs of a CRM order and its lines. */
export interface CrmOrder {
  _id: string;
  name: string;
  order_time: number;
  delivery_date?: number;
  remark?: string;
}

export interface CrmOrderLine {
  productName: string;
  /** The ERP product of the line's CRM product, null when that product did not come from the ERP. */
  erpProductId: string | null;
  quantity: string;
  salesPrice: string;
  /** The ERP warehouse chosen for the line (by name, else the first). */
  erpWarehouseId: string | null;
}

export function mapOrderToErp(
  o: CrmOrder,
  lines: readonly CrmOrderLine[],
  refs: {
    lifeStatus: string;
    erpCustomerId: string | null;
    salespersonId: string | null;
    deliveryMethod: ErpOrderInput['deliveryMethod'];
    audit: boolean;
  },
): Result<ErpOrderInput, Refusal> {
  if (refs.lifeStatus === 'under_review')
    return err({ status: 'waiting', reason: '订单审批中，审批通过后同步' });
  if (refs.lifeStatus !== 'normal')
    return err({ status: 'skipped', reason: `订单状态为 ${refs.lifeStatus}，不同步` });
  if (!refs.erpCustomerId) return err(fail('订单的客户未能同步到精斗云（见该客户的同步记录）'));
  const foreign = lines.filter((l) => !l.erpProductId).map((l) => l.productName);
  if (foreign.length) return err(fail(`订单产品不是从精斗云同步的产品：${foreign.join('、')}`));
  if (lines.length === 0) return err(fail('订单没有产品明细'));
  const deliveryDate = o.delivery_date ? crmDate(o.delivery_date) : null;
  return ok({
    number: o.name,
    date: crmDate(o.order_time),
    customerId: refs.erpCustomerId,
    salespersonId: refs.salespersonId,
    deliveryMethod: refs.deliveryMethod,
    remark: o.remark ?? '',
    attachmentUrls: [],
    lines: lines.map((l) => ({
      productId: l.erpProductId!,
      qty: canonical(l.quantity),
      price: canonical(l.salesPrice),
      warehouseId: l.erpWarehouseId,
      deliveryDate,
    })),
    audit: refs.audit,
  });
}

/** The enabled ERP warehouse of that name, if any. */
export function warehouseNamed<W extends Pick<ErpWarehouse, 'name' | 'enabled'>>(
  name: string | null,
  erpWarehouses: readonly W[],
): W | undefined {
  return name ? erpWarehouses.find((w) => w.enabled && w.name === name) : undefined;
}

/** §3.5: the line's warehouse by name, else the first ERP warehouse by lowest code. */
export function pickWarehouse(
  crmWarehouseName: string | null,
  erpWarehouses: ReadonlyArray<Pick<ErpWarehouse, 'id' | 'number' | 'name' | 'enabled'>>,
): string | null {
  const byName = warehouseNamed(crmWarehouseName, erpWarehouses);
  if (byName) return byName.id;
  const usable = erpWarehouses.filter((w) => w.enabled);
  const first = [...usable].sort((a, b) => (a.number < b.number ? -1 : a.number > b.number ? 1 : 0))[0];
  return first?.id ?? null;
}
