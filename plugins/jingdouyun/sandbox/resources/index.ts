import type {
  BaseRec,
  CustomerRec,
  EmpRec,
  EntityNumber,
  GroupRec,
  MaterialRec,
  OrderRec,
  OutboundRec,
  PreReceiptRec,
  ReceiptRec,
  StoreRec,
  UnitRec,
  BrandRec,
} from '../state.js';
import type { Json } from '../validate.js';
import { billPush } from './bill_push.js';
import { commonOperate } from './common_operate.js';
import { saveData, type Ctx, type Query, type SaveOpts } from './common.js';
import { customerDetail, customerDetailQuery, listCustomers, saveCustomer } from './customer.js';
import { listDeleted } from './deleted_log.js';
import { groupRow, listGroups, materialGroupDetail, saveGroup } from './group.js';
import { listInventory } from './inventory.js';
import { listMaterials, materialDetail, materialDetailQuery, saveMaterial } from './material.js';
import { listOrders, orderDetail, orderDetailQuery, saveOrder } from './sal_order.js';
import { listOutbounds, outboundDetail, outboundDetailQuery, saveOutbound } from './sal_out_bound.js';
import { listReceipts, receiptDetail, receiptDetailQuery, saveReceipt } from './ar_credit.js';
import { listPreReceipts, preReceiptDetail, preReceiptDetailQuery, savePreReceipt } from './ar_pre_credit.js';
import {
  brandDetail,
  brandRow,
  empDetail,
  empDetailQuery,
  listBrands,
  listEmps,
  listStores,
  listUnits,
  saveBrand,
  saveEmp,
  saveStore,
  saveUnit,
  storeDetail,
  storeDetailQuery,
  unitDetail,
  unitRow,
} from './simple.js';

/** Creates or updates one record of an entity through the save rules (§5, §6; also used by seeds). */
export function saveEntity(ctx: Ctx, entity: EntityNumber, body: Json, opts: SaveOpts = {}): BaseRec {
  switch (entity) {
    case 'bd_customer':
      return saveCustomer(ctx, body, opts);
    case 'bd_customergroup':
    case 'bd_materialgroup':
      return saveGroup(ctx, entity, body, opts);
    case 'bd_material':
      return saveMaterial(ctx, body, opts);
    case 'bd_brand':
      return saveBrand(ctx, body, opts);
    case 'bd_measureunits_new':
      return saveUnit(ctx, body, opts);
    case 'bd_store':
      return saveStore(ctx, body, opts);
    case 'bd_employee':
      return saveEmp(ctx, body, opts);
    case 'sal_bill_order':
      return saveOrder(ctx, body, opts);
    case 'sal_bill_outbound':
      return saveOutbound(ctx, body, opts);
    case 'ar_creditbill':
      return saveReceipt(ctx, body, opts);
    case 'ar_precreditbill':
      return savePreReceipt(ctx, body, opts);
  }
}

/** Detail shape of any record (control inspection, §8.6). */
export function renderDetail(ctx: Ctx, entity: EntityNumber, rec: BaseRec): Json {
  switch (entity) {
    case 'bd_customer':
      return customerDetail(ctx, rec as CustomerRec);
    case 'bd_customergroup':
      return groupRow(ctx.books.customerGroup, rec as GroupRec);
    case 'bd_materialgroup':
      return groupRow(ctx.books.materialGroup, rec as GroupRec);
    case 'bd_material':
      return materialDetail(ctx, rec as MaterialRec);
    case 'bd_brand':
      return brandRow(rec as BrandRec);
    case 'bd_measureunits_new':
      return unitRow(rec as UnitRec);
    case 'bd_store':
      return storeDetail(rec as StoreRec);
    case 'bd_employee':
      return empDetail(rec as EmpRec);
    case 'sal_bill_order':
      return orderDetail(ctx, rec as OrderRec);
    case 'sal_bill_outbound':
      return outboundDetail(ctx, rec as OutboundRec);
    case 'ar_creditbill':
      return receiptDetail(ctx, rec as ReceiptRec);
    case 'ar_precreditbill':
      return preReceiptDetail(ctx, rec as PreReceiptRec);
  }
}

export type BusinessHandler =
  | { kind: 'read'; run: (ctx: Ctx, q: Query) => Json }
  | { kind: 'write'; run: (ctx: Ctx, body: Json) => Json }
  | { kind: 'upload' };

const save = (entity: EntityNumber): BusinessHandler => ({
  kind: 'write',
  run: (ctx, body) => saveData([saveEntity(ctx, entity, body)]),
});
const read = (run: (ctx: Ctx, q: Query) => Json): BusinessHandler => ({ kind: 'read', run });

/** Every `/jdy/v2` method + path of the contract (§5, §7). */
export const BUSINESS_ROUTES = new Map<string, BusinessHandler>([
  ['GET /jdy/v2/bd/customer', read(listCustomers)],
  ['GET /jdy/v2/bd/customer_detail', read(customerDetailQuery)],
  ['POST /jdy/v2/bd/customer', save('bd_customer')],
  ['GET /jdy/v2/bd/customer_group', read((ctx, q) => listGroups(ctx, 'bd_customergroup', q))],
  ['POST /jdy/v2/bd/customer_group', save('bd_customergroup')],
  ['GET /jdy/v2/bd/material', read(listMaterials)],
  ['GET /jdy/v2/bd/material_detail', read(materialDetailQuery)],
  ['POST /jdy/v2/bd/material', save('bd_material')],
  ['GET /jdy/v2/bd/material_group', read((ctx, q) => listGroups(ctx, 'bd_materialgroup', q))],
  ['GET /jdy/v2/bd/material_group_detail', read(materialGroupDetail)],
  ['POST /jdy/v2/bd/material_group', save('bd_materialgroup')],
  ['GET /jdy/v2/bd/material_brand', read(listBrands)],
  ['GET /jdy/v2/bd/material_brand_detail', read(brandDetail)],
  ['POST /jdy/v2/bd/material_brand', save('bd_brand')],
  ['GET /jdy/v2/bd/measure_unit', read(listUnits)],
  ['GET /jdy/v2/bd/measure_unit_detail', read(unitDetail)],
  ['POST /jdy/v2/bd/measure_unit', save('bd_measureunits_new')],
  ['GET /jdy/v2/bd/store', read(listStores)],
  ['GET /jdy/v2/bd/store_detail', read(storeDetailQuery)],
  ['POST /jdy/v2/bd/store', save('bd_store')],
  ['GET /jdy/v2/bd/emp', read(listEmps)],
  ['GET /jdy/v2/bd/emp_detail', read(empDetailQuery)],
  ['POST /jdy/v2/bd/emp', save('bd_employee')],
  ['GET /jdy/v2/scm/sal_order', read(listOrders)],
  ['GET /jdy/v2/scm/sal_order_detail', read(orderDetailQuery)],
  ['POST /jdy/v2/scm/sal_order', save('sal_bill_order')],
  ['GET /jdy/v2/scm/sal_out_bound', read(listOutbounds)],
  ['GET /jdy/v2/scm/sal_out_bound_detail', read(outboundDetailQuery)],
  ['POST /jdy/v2/scm/sal_out_bound', save('sal_bill_outbound')],
  ['GET /jdy/v2/scm/inventory', read(listInventory)],
  ['GET /jdy/v2/arap/ar_credit', read(listReceipts)],
  ['GET /jdy/v2/arap/ar_credit_detail', read(receiptDetailQuery)],
  ['POST /jdy/v2/arap/ar_credit', save('ar_creditbill')],
  ['GET /jdy/v2/arap/ar_pre_credit', read(listPreReceipts)],
  ['GET /jdy/v2/arap/ar_pre_credit_detail', read(preReceiptDetailQuery)],
  ['POST /jdy/v2/arap/ar_pre_credit', save('ar_precreditbill')],
  ['GET /jdy/v2/sys/deleted_log', read(listDeleted)],
  ['POST /jdy/v2/sys/common_operate', { kind: 'write', run: (ctx, body) => commonOperate(ctx, body) }],
  ['POST /jdy/v2/sys/bill_push', { kind: 'write', run: (ctx, body) => billPush(ctx, body) }],
  ['POST /jdy/v2/sys/attachment_upload', { kind: 'upload' }],
]);
