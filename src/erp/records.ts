/**
 * ERP-neutral records: what the host's sync objects read from and write to any ERP. A plugin maps
 * its own API's shapes to these (ids are the ERP's own, opaque strings; decimals are canonical
 * decimal strings; dates are "yyyy-MM-dd"; times are epoch ms).
 */

export interface ErpCategory {
  id: string;
  number: string;
  name: string;
  parentId: string | null;
  remark: string;
}

export interface ErpUnit {
  id: string;
  number: string;
  name: string;
  /** The unit group (计量单位组) the unit belongs to, when the ERP has one. */
  groupName: string | null;
}

export interface ErpProduct {
  id: string;
  number: string;
  name: string;
  categoryId: string | null;
  /** Base unit. */
  unitId: string;
  /** Retail price (零售价) of the base unit; null when the ERP has none. */
  retailPrice: string | null;
  brandName: string | null;
  enabled: boolean;
}

export interface ErpWarehouse {
  id: string;
  number: string;
  name: string;
  enabled: boolean;
}

export interface ErpCustomer {
  id: string;
  number: string;
  name: string;
  categoryId: string | null;
  salespersonId: string | null;
  address: string;
  /** The default contact's mobile and email. */
  mobile: string;
  email: string;
  remark: string;
}

/** What a payment (receipt or pre-receipt) pays, already split per ERP sales order. */
export interface ErpPaymentLine {
  orderId: string;
  orderNumber: string;
  amount: string;
}

export interface ErpPayment {
  id: string;
  number: string;
  kind: 'receipt' | 'preReceipt';
  audited: boolean;
  customerId: string;
  salespersonId: string | null;
  /** When it was last modified (for an audited one: when it was audited). */
  modifiedAt: number;
  lines: ErpPaymentLine[];
}

export interface ErpDeliveryLine {
  /** The ERP sales order the line came from (null: not from an order). */
  orderId: string | null;
  orderNumber: string | null;
  productId: string;
  qty: string;
  amount: string;
}

/** A delivery (sales outbound); one can merge lines of several orders. */
export interface ErpDelivery {
  id: string;
  number: string;
  audited: boolean;
  date: string;
  customerId: string;
  salespersonId: string | null;
  remark: string;
  lines: ErpDeliveryLine[];
}

export interface ErpStock {
  productId: string;
  warehouseId: string;
  available: string;
  actual: string;
}

export interface ErpCustomerInput {
  number: string;
  name: string;
  categoryId: string | null;
  salespersonId: string | null;
  address: string;
  /** The plugin's contact, named after the customer and marked primary. */
  contact: { name: string; mobile: string; email: string };
  remark: string;
}

export type DeliveryMethod = '物流发货' | '车辆配送' | '客户自提';

export interface ErpOrderLineInput {
  productId: string;
  qty: string;
  price: string;
  warehouseId: string | null;
  deliveryDate: string | null;
}

export interface ErpOrderInput {
  number: string;
  date: string;
  customerId: string;
  salespersonId: string | null;
  deliveryMethod: DeliveryMethod | null;
  remark: string;
  attachmentUrls: string[];
  lines: ErpOrderLineInput[];
  /** Save and audit in one step (setting 自动审核). */
  audit: boolean;
}

/** An ERP record found by its number. */
export interface ErpRef {
  id: string;
  number: string;
  /** From a create: the ERP already had a record with this number, which is answered instead. */
  existed?: true;
}
