import { employees, stores, type JdyEmployees, type JdyStores } from './basics.js';
import {
  commonOperate,
  deleteRecords,
  outbounds,
  preReceipts,
  pushOrdersToOutbounds,
  receipts,
  salesOrders,
  type JdyDeleteOutcome,
  type JdyOperateTarget,
  type JdyOperateType,
  type JdyOutbounds,
  type JdyPreReceipts,
  type JdyPushOutcome,
  type JdyReceipts,
  type JdySalesOrders,
} from './bills.js';
import { customerGroups, customers, type JdyCustomerGroups, type JdyCustomers } from './customers.js';
import { uploadAttachment } from './files.js';
import { inventory, type JdyInventory } from './inventory.js';
import { readDeletions, type JdyWindowBatch, type WindowOptions } from './list.js';
import {
  brands,
  materialGroups,
  materials,
  units,
  type JdyBrands,
  type JdyMaterialGroups,
  type JdyMaterials,
  type JdyUnits,
} from './products.js';
import type { JdySession } from './transport.js';
import type { JdyAttachmentUrl, JdyDeletedRow, JdyEntityNumber, JdyId, JdySaveResult } from './types.js';

/** Every operation the product needs on one account set. */
export class JdyClient {
  readonly customers: JdyCustomers;
  readonly customerGroups: JdyCustomerGroups;
  readonly materials: JdyMaterials;
  readonly materialGroups: JdyMaterialGroups;
  readonly brands: JdyBrands;
  readonly units: JdyUnits;
  readonly stores: JdyStores;
  readonly employees: JdyEmployees;
  readonly salesOrders: JdySalesOrders;
  readonly outbounds: JdyOutbounds;
  readonly receipts: JdyReceipts;
  readonly preReceipts: JdyPreReceipts;
  readonly inventory: JdyInventory;

  constructor(readonly session: JdySession) {
    this.customers = customers(session);
    this.customerGroups = customerGroups(session);
    this.materials = materials(session);
    this.materialGroups = materialGroups(session);
    this.brands = brands(session);
    this.units = units(session);
    this.stores = stores(session);
    this.employees = employees(session);
    this.salesOrders = salesOrders(session);
    this.outbounds = outbounds(session);
    this.receipts = receipts(session);
    this.preReceipts = preReceipts(session);
    this.inventory = inventory(session);
  }

  operate(entity: JdyEntityNumber, type: JdyOperateType, target: JdyOperateTarget): Promise<JdySaveResult> {
    return commonOperate(this.session, entity, type, target);
  }

  delete(entity: JdyEntityNumber, target: JdyOperateTarget): Promise<JdyDeleteOutcome> {
    return deleteRecords(this.session, entity, target);
  }

  pushOrdersToOutbounds(orderIds: readonly JdyId[], mergePush = false): Promise<JdyPushOutcome> {
    return pushOrdersToOutbounds(this.session, orderIds, mergePush);
  }

  deletions(
    entity: JdyEntityNumber,
    options: WindowOptions = {},
  ): AsyncGenerator<JdyWindowBatch<JdyDeletedRow>> {
    return readDeletions(this.session, entity, options);
  }

  upload(content: Buffer, filename: string, contentType?: string): Promise<JdyAttachmentUrl> {
    return uploadAttachment(this.session, content, filename, contentType);
  }
}

export * from './types.js';
export * from './errors.js';
export {
  JdyTransport,
  JdySession,
  MemoryTokenStore,
  sharedJdyLimiter,
  DEFAULT_RATE_PER_MINUTE,
} from './transport.js';
export type {
  JdyClientConfig,
  JdyConnection,
  JdyToken,
  JdyTokenStore,
  ConnectionChangeHandler,
  JdyAuthorizationRow,
  JdyTransportOptions,
} from './transport.js';
export {
  login,
  connectAccountSet,
  MOBILE_RE,
  type JdyPassportLogin,
  type JdyAccountSetInfo,
} from './connect.js';
export { contactsForSave } from './customers.js';
export type { JdyCreateOutcome } from './resource.js';
export type { JdyPage, JdyWindowBatch, WindowOptions } from './list.js';
export { dtToMs, msToDt } from './parse.js';
export { decryptPersonal } from './privacy.js';
