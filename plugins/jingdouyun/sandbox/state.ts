import { randomBytes } from 'node:crypto';
import { toSecond } from './time.js';

/** Undo log: every mutation inside `atomic` registers its inverse, so a failed save/seed/operate keeps nothing. */
export class Journal {
  private stack: (() => void)[] | null = null;
  add(undo: () => void): void {
    this.stack?.push(undo);
  }
  atomic<R>(fn: () => R): R {
    if (this.stack) return fn();
    const undos: (() => void)[] = [];
    this.stack = undos;
    try {
      const result = fn();
      this.stack = null;
      return result;
    } catch (err) {
      this.stack = null;
      for (let i = undos.length - 1; i >= 0; i--) undos[i]!();
      throw err;
    }
  }
}

export type EntityNumber =
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

export interface EntityMeta {
  label: string;
  prefix: string | null;
  bill: boolean;
}

export const ENTITIES: Record<EntityNumber, EntityMeta> = {
  bd_customer: { label: '客户', prefix: 'CUST', bill: false },
  bd_customergroup: { label: '客户分类', prefix: 'CUSTGRP', bill: false },
  bd_material: { label: '商品', prefix: 'MAT', bill: false },
  bd_materialgroup: { label: '商品分类', prefix: 'MATGRP', bill: false },
  bd_brand: { label: '品牌', prefix: 'BRAND', bill: false },
  bd_measureunits_new: { label: '计量单位', prefix: 'UNIT', bill: false },
  bd_store: { label: '仓库', prefix: 'STOCK', bill: false },
  bd_employee: { label: '职员', prefix: 'EMP', bill: false },
  sal_bill_order: { label: '销售订单', prefix: 'XSDD', bill: true },
  sal_bill_outbound: { label: '销售出库单', prefix: 'XSCK', bill: true },
  ar_creditbill: { label: '收款单', prefix: 'SKD', bill: true },
  ar_precreditbill: { label: '预收款单', prefix: null, bill: true },
};

export const isEntityNumber = (v: string): v is EntityNumber => Object.hasOwn(ENTITIES, v);

/** `number` holds the bill_no on bills; decimals are stored as canonical strings. */
export interface BaseRec {
  id: string;
  number: string;
  create_time: number;
  modify_time: number;
}
export interface GroupRec extends BaseRec {
  name: string;
  parent_id: string;
  remark: string;
}
export interface ContactLine {
  id: string;
  contact_person: string;
  mobile: string;
  phone: string;
  email: string;
  contact_address: string;
  /** Detail form: "1" male, "0" female, "" unknown. */
  gender: string;
  is_default_linkman: boolean;
}
export interface CustomerRec extends BaseRec {
  name: string;
  enable: string;
  group_id: string;
  saler_id: string;
  addr: string;
  taxpayer_no: string;
  bank: string;
  bank_account: string;
  remark: string;
  contacts: ContactLine[];
}
export interface PriceLine {
  id: string;
  price_unit_id: string;
  price_retail_price: string;
  price_trade_price: string;
  price_purchase_price: string;
  price_min_sales_price: string;
}
export interface MaterialRec extends BaseRec {
  name: string;
  model: string;
  barcode: string;
  enable: string;
  base_unit_id: string;
  parent_id: string;
  brand_id: string;
  remark: string;
  prices: PriceLine[];
}
export interface BrandRec extends BaseRec {
  name: string;
  enable: string;
}
export interface UnitGroup {
  id: string;
  number: string;
  name: string;
}
export interface UnitRec extends BaseRec {
  name: string;
  precision: number;
  group: UnitGroup | null;
}
export interface StoreRec extends BaseRec {
  name: string;
  enable: string;
  address: string;
  remark: string;
}
export interface EmpRec extends BaseRec {
  name: string;
  enable: string;
  mobile: string;
  email: string;
  remark: string;
}
export interface BillHeader extends BaseRec {
  bill_date: string;
  bill_status: string;
  audit_time: number | null;
  customer_id: string;
  emp_id: string;
  dept_id: string;
}
export interface ScmHeader extends BillHeader {
  delivery_type_id: string;
  contact_linkman: string;
  contact_phone: string;
  contact_address: string;
  remark: string;
  attachments_url: string[];
  total_amount: string;
}
export interface OrderLine {
  id: string;
  material_id: string;
  unit_id: string;
  qty: string;
  price: string;
  amount: string;
  is_free: boolean;
  stock_id: string;
  delivery_date: string;
  comment: string;
  /** Σ qty of lines of audited outbounds linked to this line (§6.4). */
  out_qty: string;
}
export interface OrderRec extends ScmHeader {
  bill_close_state: string;
  lines: OrderLine[];
}
export interface OutLine {
  id: string;
  material_id: string;
  unit_id: string;
  stock_id: string;
  qty: string;
  price: string;
  amount: string;
  is_free: boolean;
  comment: string;
  /** Source link; '' when the line has none. */
  src_inter_id: string;
  src_entry_id: string;
}
export interface OutboundRec extends ScmHeader {
  lines: OutLine[];
  /** cur_settle_amount sums of audited receipts, by receipt id (§6.5). */
  settled: Record<string, string>;
}
export interface PayLine {
  id: string;
  amount: string;
  settle_account_id: string;
  comment: string;
}
export interface SrcLine {
  id: string;
  src_bill_id: string;
  cur_settle_amount: string;
  src_comment: string;
}
export interface ReceiptRec extends BillHeader {
  total_discount_amount: string;
  remark: string;
  attachments_url_list: string[];
  pays: PayLine[];
  srcs: SrcLine[];
}
export interface SelLine {
  id: string;
  src_inter_id: string;
  cur_settle_amount: string;
}
export interface PreReceiptRec extends BillHeader {
  remark: string;
  pays: PayLine[];
  sels: SelLine[];
}
export interface InvRec {
  material_id: string;
  stock_id: string;
  qty: string;
  valid_qty: string;
  modify_time: number;
}
export interface DeletedRow {
  entity_number: EntityNumber;
  id: string;
  number: string;
  delete_time: number;
}

/** Numeric order of opaque digit ids without converting them to JS numbers. */
export function cmpId(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

export function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const CACHE_LIMIT = 32;

/** Method syntax keeps stores of concrete records usable as stores of BaseRec. */
interface NameOf<T> {
  of(r: T): string | null;
}

/** One entity of one account set: O(1) by id/number/name, sorted views cached until the next change. */
export class EntityStore<T extends BaseRec> {
  readonly byId = new Map<string, T>();
  readonly byNumber = new Map<string, T>();
  private readonly byName = new Map<string, Set<string>>();
  private cache = new Map<string, T[]>();

  constructor(
    private readonly journal: Journal,
    private readonly nameOf: NameOf<T>,
  ) {}

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  put(rec: T): void {
    const prev = this.byId.get(rec.id);
    this.swap(prev, rec);
    this.journal.add(() => this.swap(rec, prev));
  }

  remove(id: string): void {
    const prev = this.byId.get(id);
    if (!prev) return;
    this.swap(prev, undefined);
    this.journal.add(() => this.swap(undefined, prev));
  }

  /** Another live record with exactly this name (§6.1 duplicate-name warning). */
  nameTaken(name: string, exceptId: string | null): boolean {
    const ids = this.byName.get(name);
    if (!ids) return false;
    return ids.size > (exceptId !== null && ids.has(exceptId) ? 1 : 0);
  }

  cached(key: string, build: () => T[]): T[] {
    let hit = this.cache.get(key);
    if (!hit) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      hit = build();
      this.cache.set(key, hit);
    }
    return hit;
  }

  private swap(oldRec: T | undefined, newRec: T | undefined): void {
    this.cache.clear();
    if (oldRec) {
      this.byId.delete(oldRec.id);
      if (this.byNumber.get(oldRec.number) === oldRec) this.byNumber.delete(oldRec.number);
      const name = this.nameOf.of(oldRec);
      if (name !== null) {
        const ids = this.byName.get(name);
        ids?.delete(oldRec.id);
        if (ids?.size === 0) this.byName.delete(name);
      }
    }
    if (newRec) {
      this.byId.set(newRec.id, newRec);
      this.byNumber.set(newRec.number, newRec);
      const name = this.nameOf.of(newRec);
      if (name !== null) {
        let ids = this.byName.get(name);
        if (!ids) this.byName.set(name, (ids = new Set()));
        ids.add(newRec.id);
      }
    }
  }
}

export const pairKey = (materialId: string, stockId: string): string => `${materialId}|${stockId}`;

export class InventoryStore {
  readonly byPair = new Map<string, InvRec>();
  private cache = new Map<string, InvRec[]>();
  constructor(private readonly journal: Journal) {}

  get(materialId: string, stockId: string): InvRec | undefined {
    return this.byPair.get(pairKey(materialId, stockId));
  }

  put(rec: InvRec): void {
    const key = pairKey(rec.material_id, rec.stock_id);
    const prev = this.byPair.get(key);
    this.set(key, rec);
    this.journal.add(() => this.set(key, prev));
  }

  cached(key: string, build: () => InvRec[]): InvRec[] {
    let hit = this.cache.get(key);
    if (!hit) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      hit = build();
      this.cache.set(key, hit);
    }
    return hit;
  }

  private set(key: string, rec: InvRec | undefined): void {
    this.cache.clear();
    if (rec) this.byPair.set(key, rec);
    else this.byPair.delete(key);
  }
}

/** The business data of one account set. */
export class Books {
  readonly customer: EntityStore<CustomerRec>;
  readonly customerGroup: EntityStore<GroupRec>;
  readonly material: EntityStore<MaterialRec>;
  readonly materialGroup: EntityStore<GroupRec>;
  readonly brand: EntityStore<BrandRec>;
  readonly unit: EntityStore<UnitRec>;
  readonly store: EntityStore<StoreRec>;
  readonly emp: EntityStore<EmpRec>;
  readonly order: EntityStore<OrderRec>;
  readonly outbound: EntityStore<OutboundRec>;
  readonly receipt: EntityStore<ReceiptRec>;
  readonly preReceipt: EntityStore<PreReceiptRec>;
  readonly inventory: InventoryStore;
  readonly deleted: DeletedRow[] = [];
  private readonly counters = new Map<string, number>();
  /** Virtual times of accepted business calls in the rate window (§3.4). */
  rate: number[] = [];

  constructor(private readonly journal: Journal) {
    const named = { of: (r: { name: string }): string => r.name };
    const unnamed = { of: (): null => null };
    this.customer = new EntityStore<CustomerRec>(journal, named);
    this.customerGroup = new EntityStore<GroupRec>(journal, named);
    this.material = new EntityStore<MaterialRec>(journal, named);
    this.materialGroup = new EntityStore<GroupRec>(journal, named);
    this.brand = new EntityStore<BrandRec>(journal, named);
    this.unit = new EntityStore<UnitRec>(journal, named);
    this.store = new EntityStore<StoreRec>(journal, named);
    this.emp = new EntityStore<EmpRec>(journal, named);
    this.order = new EntityStore<OrderRec>(journal, unnamed);
    this.outbound = new EntityStore<OutboundRec>(journal, unnamed);
    this.receipt = new EntityStore<ReceiptRec>(journal, unnamed);
    this.preReceipt = new EntityStore<PreReceiptRec>(journal, unnamed);
    this.inventory = new InventoryStore(journal);
  }

  storeOf(entity: EntityNumber): EntityStore<BaseRec> {
    const map: Record<EntityNumber, EntityStore<BaseRec>> = {
      bd_customer: this.customer,
      bd_customergroup: this.customerGroup,
      bd_material: this.material,
      bd_materialgroup: this.materialGroup,
      bd_brand: this.brand,
      bd_measureunits_new: this.unit,
      bd_store: this.store,
      bd_employee: this.emp,
      sal_bill_order: this.order,
      sal_bill_outbound: this.outbound,
      ar_creditbill: this.receipt,
      ar_precreditbill: this.preReceipt,
    };
    return map[entity];
  }

  addDeleted(row: DeletedRow): void {
    this.deleted.push(row);
    this.journal.add(() => void this.deleted.splice(this.deleted.lastIndexOf(row), 1));
  }

  /** Counters as entries, for snapshots. */
  counterEntries(): [string, number][] {
    return [...this.counters];
  }

  counter(key: string): number {
    return this.counters.get(key) ?? 1;
  }

  setCounter(key: string, value: number): void {
    const prev = this.counters.get(key);
    this.counters.set(key, value);
    this.journal.add(() => (prev === undefined ? this.counters.delete(key) : this.counters.set(key, prev)));
  }
}

export interface App {
  client_id: string;
  client_secret: string;
}
export interface User {
  uid: number;
  username: string;
  password: string;
  nickname: string;
}
export interface Authorization {
  client_id: string;
  account_id: string;
  app_key: string;
  app_secret: string;
  status: string;
  outer_instance_id: string;
  agreement_company_name: string;
}
export interface AccountSet {
  account_id: string;
  account_name: string;
  service_id: string;
  group_id: string;
  group_name: string;
  domain: string;
  enable: string;
  members: number[];
  admin_uid: number;
  books: Books;
}
export interface PassportToken {
  uid: number;
  expires: number;
}
export interface AppToken {
  client_id: string;
  app_key: string;
  account_id: string;
  uid: number;
  expires: number;
  revoked: boolean;
}
export interface Settings {
  rate_limit_enabled: boolean;
  rate_limit_per_minute: number;
  app_token_ttl_ms: number;
  passport_token_ttl_s: number;
  privacy_encryption: boolean;
}
export const defaultSettings = (): Settings => ({
  rate_limit_enabled: true,
  rate_limit_per_minute: 500,
  app_token_ttl_ms: 86_400_000,
  passport_token_ttl_s: 7200,
  privacy_encryption: false,
});

export interface Fault {
  fault_id: string;
  path: string;
  method: string | null;
  mode: 'http' | 'business' | 'delay' | 'commit_then_drop';
  http_status: number | null;
  errcode: number | null;
  description: string | null;
  retry_after_s: number | null;
  delay_ms: number | null;
  remaining: number;
}

export interface CallEntry {
  seq: number;
  at: number;
  method: string;
  path: string;
  query: Record<string, string[]>;
  headers: Record<string, string>;
  body: unknown;
  status: number;
  errcode: number | string | null;
  account_id: string | null;
  fault_id: string | null;
  duration_ms: number;
}

export interface StoredFile {
  file_id: string;
  account_id: string;
  filename: string;
  size: number;
  content_type: string;
  data: Buffer;
}

const CALL_LOG_LIMIT = 10_000;
const FIRST_ID = 100000000000000000n;

export class SandboxState {
  readonly journal = new Journal();
  readonly apps = new Map<string, App>();
  readonly users = new Map<number, User>();
  readonly accountSets = new Map<string, AccountSet>();
  /** Authorisations in seed order (§2.4). */
  readonly authorizations: Authorization[] = [];
  readonly passportTokens = new Map<string, PassportToken>();
  readonly appTokens = new Map<string, AppToken>();
  /** Accepted (client_id, nonce, timestamp) → real time of acceptance (§2.8 step 7). */
  readonly nonces = new Map<string, number>();
  faults: Fault[] = [];
  faultSeq = 0;
  calls: CallEntry[] = [];
  callSeq = 0;
  settings: Settings = defaultSettings();
  clockOffset = 0;
  readonly files = new Map<string, StoredFile>();
  private lastId = FIRST_ID;

  /** Virtual now in ms (§8.3). */
  now(): number {
    return Date.now() + this.clockOffset;
  }

  /** Record times have whole-second precision (§1.3). */
  recordNow(): number {
    return toSecond(this.now());
  }

  atomic<R>(fn: () => R): R {
    return this.journal.atomic(fn);
  }

  nextId(): string {
    const prev = this.lastId;
    this.lastId = prev + 1n;
    this.journal.add(() => (this.lastId = prev));
    return this.lastId.toString();
  }

  get lastIssuedId(): string {
    return this.lastId.toString();
  }

  /** Restores the generator from a snapshot. */
  restoreLastId(id: string): void {
    this.lastId = BigInt(id);
  }

  /** Seeded ids move the generator past them (§8.2). */
  noteSeededId(id: string): void {
    const value = BigInt(id);
    const prev = this.lastId;
    if (value > prev) {
      this.lastId = value;
      this.journal.add(() => (this.lastId = prev));
    }
  }

  authByKey(appKey: string): Authorization | undefined {
    return this.authorizations.find((a) => a.app_key === appKey);
  }

  logCall(entry: Omit<CallEntry, 'seq'>): void {
    this.calls.push({ seq: ++this.callSeq, ...entry });
    if (this.calls.length > CALL_LOG_LIMIT) this.calls.splice(0, this.calls.length - CALL_LOG_LIMIT);
  }
}

export const randomToken = (bytes = 24): string => randomBytes(bytes).toString('hex');
