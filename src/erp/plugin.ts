/**
 * What an ERP plugin provides to the host. The host (src/) knows the CRM, the database, the
 * scheduler and the sync engine; a plugin (plugins/<erp>/) knows one ERP's API and speaks to the
 * host only through these ERP-neutral types. Adding another ERP (K3 Cloud, U8…) = another folder
 * that exports an ErpPlugin, registered in src/erp/registry.ts; nothing in the engine changes.
 */

import type {
  ErpCategory,
  ErpCustomer,
  ErpCustomerInput,
  ErpDelivery,
  ErpOrderInput,
  ErpPayment,
  ErpProduct,
  ErpRef,
  ErpStock,
  ErpUnit,
  ErpWarehouse,
} from './records.js';

/** An account set (账套) the signed-in ERP user can see. */
export interface ErpAccountSet {
  accountId: string;
  accountName: string;
  groupName: string;
  serviceId: string;
  /** The account set itself is enabled in the ERP. */
  enabled: boolean;
  /** The plugin's app is authorised on it (connecting needs both). */
  authorised: boolean;
}

/** The result of an ERP login: the account sets, and an opaque state the connect step needs. */
export interface ErpLogin {
  accountSets: ErpAccountSet[];
  /** Opaque to the host; holds short-lived credentials, so the host seals it at rest. */
  state: string;
}

/** A live connection to one account set. `secrets` is opaque to the host and sealed at rest. */
export interface ErpConnection {
  accountId: string;
  accountName: string;
  secrets: string;
}

/** An ERP employee (职员), bound one-to-one to a CRM user by the admin. */
export interface ErpEmployee {
  id: string;
  number: string;
  name: string;
  /** As the ERP stores it; the host normalises before comparing. */
  mobile: string;
  enabled: boolean;
}

/**
 * Given to a plugin at construction: persists refreshed connection secrets (e.g. a rotated app
 * secret) so every process uses them; the host stores them sealed.
 */
export type SecretsChanged = (accountId: string, secrets: string) => Promise<void>;

/** The connection part of an ERP plugin: login, account sets, connect, employees. */
export interface ErpConnector {
  /** How the ERP wants its login written, checked before any call (null = acceptable). */
  checkLogin(login: string): string | null;
  login(login: string, password: string): Promise<ErpLogin>;
  connect(login: ErpLogin, accountId: string): Promise<ErpConnection>;
  employees(connection: ErpConnection): AsyncIterable<ErpEmployee>;
}

/** One page of changes: records changed after the cursor, deletions, and the cursor to keep. */
export interface ErpChangePage<T> {
  records: T[];
  deleted: ErpRef[];
  /** Opaque to the host; passed back to `changes` to continue after this page. */
  cursor: string;
}

/** Reading one kind of ERP record. */
export interface ErpReader<T> {
  /** Changes after `cursor` (null: everything), page by page, in the ERP's modify order. */
  changes(cursor: string | null): AsyncIterable<ErpChangePage<T>>;
  /** The current record, or null when it no longer exists. */
  get(id: string): Promise<T | null>;
}

/** Reading a kind of ERP record also known on the CRM side by its number (a product's 产品编码). */
export interface ErpNumberedReader<T> extends ErpReader<T> {
  /** The current record with that number, or null. */
  byNumber(number: string): Promise<T | null>;
}

/** Creating and updating one kind of ERP record, with the lookup that makes creates safe. */
export interface ErpWriter<I> {
  findByNumber(number: string): Promise<ErpRef | null>;
  create(input: I): Promise<ErpRef>;
  update(id: string, input: I): Promise<ErpRef>;
}

/** Everything the sync objects need from one connected account set. */
export interface ErpSyncAdapter {
  customerCategories: ErpReader<ErpCategory>;
  productCategories: ErpReader<ErpCategory>;
  units: ErpReader<ErpUnit>;
  products: ErpNumberedReader<ErpProduct>;
  warehouses: ErpReader<ErpWarehouse>;
  customers: ErpReader<ErpCustomer> & ErpWriter<ErpCustomerInput>;
  /** Sales orders are written only; `update` refuses (data error) once the order is audited. */
  salesOrders: ErpWriter<ErpOrderInput>;
  /** Audited payments; un-audited or deleted ones come back with audited false / in `deleted`. */
  payments: ErpReader<ErpPayment>;
  /** Audited deliveries (sales outbounds). */
  deliveries: ErpReader<ErpDelivery>;
  /** Stock per (product, warehouse); records are keyed "<productId>:<warehouseId>". */
  stock: ErpReader<ErpStock>;
  /** Uploads a file and answers the URL to put on an order. */
  uploadAttachment(content: Buffer, filename: string): Promise<string>;
}

export interface ErpPlugin {
  /** Stable id stored with every connection ("jingdouyun"). */
  id: string;
  /** The ERP's name as users know it (金蝶精斗云). */
  displayName: string;
  connector: ErpConnector;
  /** The sync side of a connection. */
  sync(connection: ErpConnection): ErpSyncAdapter;
}
