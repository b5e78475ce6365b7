/** The sync objects (plugin API object keys) and the two directions. */
export const OBJECT_KEYS = [
  'customerCategory',
  'warehouse',
  'productCategory',
  'unit',
  'product',
  'customer',
  'salesOrder',
  'payment',
  'deliveryNote',
  'inventory',
] as const;
export type ObjectKey = (typeof OBJECT_KEYS)[number];

export const DIRECTIONS = ['jdy_to_crm', 'crm_to_jdy'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** The CRM's own words, for pages, reasons and notices. */
export const OBJECT_LABELS: Record<ObjectKey, string> = {
  customerCategory: '客户分类',
  warehouse: '仓库',
  productCategory: '产品分类',
  unit: '单位',
  product: '产品',
  customer: '客户',
  salesOrder: '销售订单',
  payment: '回款',
  deliveryNote: '发货单',
  inventory: '库存',
};

export const isObjectKey = (value: string): value is ObjectKey =>
  (OBJECT_KEYS as readonly string[]).includes(value);
