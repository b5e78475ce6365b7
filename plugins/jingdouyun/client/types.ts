/**
 * Record shapes of the Jingdouyun G3 API (contract §5). Ids are opaque digit strings, decimals are
 * canonical decimal strings, `dt` times are `yyyy-MM-dd HH:mm:ss` in UTC+8. The real service returns
 * more fields than listed; they are kept on the objects but not typed.
 */
export type JdyId = string;
/** Canonical decimal string, e.g. "12.5". */
export type Dec = string;
/** `yyyy-MM-dd HH:mm:ss`, Asia/Shanghai. */
export type Dt = string;
/** `yyyy-MM-dd`. */
export type DateText = string;
export type Enable = '1' | '0';

export type JdyEntityNumber =
  | 'bd_customer'
  | 'bd_customergroup'
  | 'bd_material'
  | 'bd_materialgroup'
  | 'bd_brand'
  | 'bd_measureunits_new'
  | 'bd_store'
  | 'bd_employee'
  | 'sal_bill_order'
  | 'sal_bill_outbound'
  | 'ar_creditbill'
  | 'ar_precreditbill';

/** Data of saves, common_operate and bill_push (§3.1). */
export interface JdySaveResult {
  ids: JdyId[];
  id_number_map: Record<JdyId, string>;
}

interface Timestamps {
  id: JdyId;
  create_time: Dt;
  modify_time: Dt;
}

// ---- customers ----

export interface JdyCustomerRow extends Timestamps {
  number: string;
  name: string;
  enable: Enable;
  group_id: string;
  group_number: string;
  group_name: string;
  remark: string;
}

export type JdyGender = 'male' | 'female' | 'unknown';

/** A contact as read (detail `bomentity`, gender "1" male / "0" female / "" unknown). */
export interface JdyCustomerContact {
  id: JdyId;
  seq: number;
  contact_person: string;
  mobile: string;
  phone: string;
  email: string;
  contact_address: string;
  gender: JdyGender;
  is_default_linkman: boolean;
}

export interface JdyCustomerDetail extends JdyCustomerRow {
  saler_id: string;
  saler_number: string;
  saler_name: string;
  addr: string;
  taxpayer_no: string;
  bank: string;
  bank_account: string;
  /** Normalised from the detail's `bomentity`. */
  contacts: JdyCustomerContact[];
}

/** A contact as saved (`contact_persons`, gender "1" male / "2" female). */
export interface JdyCustomerContactInput {
  id?: JdyId;
  contact_person: string;
  mobile?: string;
  phone?: string;
  email?: string;
  contact_address?: string;
  gender?: Exclude<JdyGender, 'unknown'>;
  is_default_linkman?: boolean;
}

export interface JdyCustomerSave {
  id?: JdyId;
  number?: string;
  name?: string;
  group_id?: JdyId;
  group_number?: string;
  saler_id?: JdyId;
  saler_number?: string;
  addr?: string;
  taxpayer_no?: string;
  bank?: string;
  bank_account?: string;
  remark?: string;
  ignore_warn?: boolean;
  /** Sent as `contact_persons`; present on update = the full list (lines not sent are removed). */
  contacts?: JdyCustomerContactInput[];
}

// ---- categories (customer and product) ----

export interface JdyCategoryRow extends Timestamps {
  number: string;
  name: string;
  parent_id: string;
  parent_number: string;
  level: number;
  is_leaf: boolean;
  remark: string;
}

export interface JdyCategorySave {
  id?: JdyId;
  number?: string;
  name?: string;
  parent_id?: JdyId;
  parent_number?: string;
  remark?: string;
}

// ---- products ----

export interface JdyMaterialRow extends Timestamps {
  number: string;
  name: string;
  model: string;
  barcode: string;
  enable: Enable;
  base_unit_id: string;
  base_unit_number: string;
  base_unit_name: string;
  parent_id: string;
  parent_number: string;
  parent_name: string;
  brand_id: string;
  brand_number: string;
  brand_name: string;
}

export interface JdyMaterialPrice {
  id: JdyId;
  price_unit_id: string;
  price_unit_number: string;
  price_unit_name: string;
  price_retail_price: Dec;
  price_trade_price: Dec;
  price_purchase_price: Dec;
  price_min_sales_price: Dec;
}

export interface JdyMaterialDetail extends JdyMaterialRow {
  remark: string;
  price_entity: JdyMaterialPrice[];
}

export interface JdyMaterialPriceInput {
  id?: JdyId;
  price_unit_id?: JdyId;
  price_retail_price?: Dec;
  price_trade_price?: Dec;
  price_purchase_price?: Dec;
  price_min_sales_price?: Dec;
}

export interface JdyMaterialSave {
  id?: JdyId;
  number?: string;
  name?: string;
  base_unit_id?: JdyId;
  parent_id?: JdyId;
  parent_number?: string;
  brand_id?: JdyId;
  brand_number?: string;
  model?: string;
  barcode?: string;
  enable?: Enable;
  remark?: string;
  ignore_warn?: boolean;
  price_entity?: JdyMaterialPriceInput[];
}

// ---- brands, units, warehouses, employees ----

export interface JdyBrandRow extends Timestamps {
  number: string;
  name: string;
  enable: Enable;
}

export interface JdyBrandSave {
  id?: JdyId;
  number?: string;
  name?: string;
  enable?: Enable;
}

export interface JdyUnitRow extends Timestamps {
  number: string;
  name: string;
  precision: number;
  /** Present only when the unit belongs to a unit group (§5.5). */
  group_id?: string;
  group_number?: string;
  group_name?: string;
}

export interface JdyUnitSave {
  id?: JdyId;
  number?: string;
  name?: string;
  precision?: number;
}

export interface JdyStoreRow extends Timestamps {
  number: string;
  name: string;
  enable: Enable;
}

export interface JdyStoreDetail extends JdyStoreRow {
  address: string;
  remark: string;
}

export interface JdyStoreSave {
  id?: JdyId;
  number?: string;
  name?: string;
  enable?: Enable;
  address?: string;
  remark?: string;
}

export interface JdyEmployeeRow extends Timestamps {
  number: string;
  name: string;
  enable: Enable;
  mobile: string;
}

export interface JdyEmployeeDetail extends JdyEmployeeRow {
  email: string;
  remark: string;
}

export interface JdyEmployeeSave {
  id?: JdyId;
  number?: string;
  name?: string;
  mobile?: string;
  email?: string;
  remark?: string;
}

// ---- sales orders and outbounds ----

export interface JdyAttachmentUrl {
  url: string;
}

export type ScmBillStatus = 'Z' | 'C';
export type DeliveryTypeId = '6' | '8' | '9';

interface BillHeaderRow extends Timestamps {
  bill_no: string;
  bill_date: DateText;
  audit_date: string;
  customer_id: string;
  customer_number: string;
  customer_name: string;
  emp_id: string;
  emp_number: string;
  emp_name: string;
  total_amount: Dec;
}

export interface JdySalesOrderRow extends BillHeaderRow {
  bill_status: ScmBillStatus;
  bill_close_state: 'C' | 'S' | 'H';
  io_status: 'A' | 'Z' | 'C';
  real_io_status: 'A' | 'Z' | 'C';
}

export interface JdySalesOrderLine {
  id: JdyId;
  seq: number;
  material_id: string;
  material_number: string;
  material_name: string;
  unit_id: string;
  unit_number: string;
  unit_name: string;
  qty: Dec;
  price: Dec;
  amount: Dec;
  is_free: boolean;
  stock_id: string;
  stock_number: string;
  stock_name: string;
  delivery_date: string;
  comment: string;
  out_qty: Dec;
  un_out_qty: Dec;
  real_out_qty: Dec;
  real_un_out_qty: Dec;
}

interface ScmDetailExtras {
  dept_id: string;
  delivery_type_id: string;
  contact_linkman: string;
  contact_phone: string;
  contact_address: string;
  remark: string;
  attachments: number;
  attachments_url: JdyAttachmentUrl[];
  audit_time: string;
}

export interface JdySalesOrderDetail extends JdySalesOrderRow, ScmDetailExtras {
  material_entity: JdySalesOrderLine[];
}

interface ScmSaveHeader {
  id?: JdyId;
  bill_no?: string;
  bill_date?: DateText;
  customer_id?: JdyId;
  customer_number?: string;
  emp_id?: JdyId;
  emp_number?: string;
  dept_id?: string;
  delivery_type_id?: DeliveryTypeId;
  contact_linkman?: string;
  contact_phone?: string;
  contact_address?: string;
  remark?: string;
  attachments_url?: JdyAttachmentUrl[];
  operation_key?: 'audit' | 'submit';
}

export interface JdySalesOrderLineInput {
  id?: JdyId;
  material_id?: JdyId;
  material_number?: string;
  unit_id?: JdyId;
  unit_number?: string;
  qty: Dec;
  price: Dec;
  is_free: boolean;
  stock_id?: JdyId;
  stock_number?: string;
  delivery_date?: DateText;
  comment?: string;
}

export interface JdySalesOrderSave extends ScmSaveHeader {
  material_entity?: JdySalesOrderLineInput[];
}

export interface JdyOutboundRow extends BillHeaderRow {
  bill_status: ScmBillStatus;
  settle_status: 'A' | 'B' | 'C';
}

export interface JdyOutboundLine {
  id: JdyId;
  seq: number;
  material_id: string;
  material_number: string;
  material_name: string;
  unit_id: string;
  unit_number: string;
  unit_name: string;
  stock_id: string;
  stock_number: string;
  stock_name: string;
  qty: Dec;
  price: Dec;
  amount: Dec;
  is_free: boolean;
  comment: string;
  src_bill_type_id: string;
  src_inter_id: string;
  src_entry_id: string;
  src_bill_no: string;
  src_seq: number | null;
}

export interface JdyOutboundDetail extends JdyOutboundRow, ScmDetailExtras {
  total_un_settle_amount: Dec;
  material_entity: JdyOutboundLine[];
}

export interface JdyOutboundLineInput {
  id?: JdyId;
  material_id?: JdyId;
  material_number?: string;
  unit_id?: JdyId;
  unit_number?: string;
  stock_id?: JdyId;
  stock_number?: string;
  qty: Dec;
  price: Dec;
  is_free?: boolean;
  comment?: string;
  /** All three source fields or none. */
  src_bill_type_id?: 'sal_bill_order';
  src_inter_id?: JdyId;
  src_entry_id?: JdyId;
}

export interface JdyOutboundSave extends ScmSaveHeader {
  material_entity?: JdyOutboundLineInput[];
}

// ---- receipts and pre-receipts ----

export type ArapBillStatus = 'A' | 'C';

export interface JdyPayLine {
  id: JdyId;
  seq: number;
  amount: Dec;
  settle_account_id: string;
  comment: string;
}

export interface JdyPayLineInput {
  id?: JdyId;
  amount: Dec;
  settle_account_id: string;
  comment?: string;
}

export interface JdyReceiptRow extends BillHeaderRow {
  bill_status: ArapBillStatus;
  total_settle_amount: Dec;
  total_discount_amount: Dec;
  remark: string;
}

export interface JdyReceiptSourceLine {
  id: JdyId;
  seq: number;
  src_bill_type_id: string;
  src_bill_id: string;
  src_bill_no: string;
  src_bill_amount: Dec;
  settle_amount: Dec;
  un_settle_amount: Dec;
  cur_settle_amount: Dec;
  src_comment: string;
}

export interface JdyReceiptDetail extends JdyReceiptRow {
  dept_id: string;
  audit_time: string;
  attachments_url_list: JdyAttachmentUrl[];
  pay_entry_list: JdyPayLine[];
  source_bill_entry_list: JdyReceiptSourceLine[];
}

export interface JdyReceiptSourceInput {
  id?: JdyId;
  src_bill_type_id: 'sal_bill_outbound';
  src_bill_id: JdyId;
  cur_settle_amount: Dec;
  src_comment?: string;
}

export interface JdyReceiptSave {
  id?: JdyId;
  bill_no?: string;
  bill_date?: DateText;
  customer_id?: JdyId;
  emp_id?: JdyId;
  dept_id?: string;
  total_discount_amount?: Dec;
  remark?: string;
  attachments_url_list?: JdyAttachmentUrl[];
  operate_type?: 'audit';
  pay_entry_list?: JdyPayLineInput[];
  source_bill_entry_list?: JdyReceiptSourceInput[];
}

export interface JdyPreReceiptRow extends BillHeaderRow {
  bill_status: ArapBillStatus;
  remark: string;
}

export interface JdyPreReceiptSourceLine {
  id: JdyId;
  seq: number;
  src_bill_type_id: string;
  src_inter_id: string;
  src_bill_no: string;
  src_bill_amount: Dec;
  cur_settle_amount: Dec;
}

export interface JdyPreReceiptDetail extends JdyPreReceiptRow {
  dept_id: string;
  audit_time: string;
  pay_entry_list: JdyPayLine[];
  sel_bill_info_entry: JdyPreReceiptSourceLine[];
}

export interface JdyPreReceiptSourceInput {
  id?: JdyId;
  src_bill_type_id: 'sal_bill_order';
  src_inter_id: JdyId;
  cur_settle_amount: Dec;
}

export interface JdyPreReceiptSave {
  id?: JdyId;
  /** Required on create: pre-receipts are not auto-numbered. */
  bill_no?: string;
  bill_date?: DateText;
  customer_id?: JdyId;
  dept_id?: string;
  emp_id?: JdyId;
  remark?: string;
  operate_type?: 'audit';
  pay_entry_list?: JdyPayLineInput[];
  sel_bill_info_entry?: JdyPreReceiptSourceInput[];
}

// ---- inventory, deletions ----

export interface JdyInventoryRow {
  material_id: string;
  material_number: string;
  material_name: string;
  stock_id: string;
  stock_number: string;
  stock_name: string;
  qty: Dec;
  valid_qty: Dec;
  modify_time: Dt;
}

export interface JdyDeletedRow {
  entity_number: JdyEntityNumber;
  id: JdyId;
  /** The bill_no for bills. */
  number: string;
  delete_time: Dt;
}
