/** In-memory state of the sandbox: clock, apps, tenants, records with indexes, tokens, codes, files, logs. */
import { randomBytes } from 'node:crypto';
import { canonical } from '../../lib/decimal.js';
import { shippedObjects, type FieldType, type ObjectDef } from './describes.js';

export type Rec = Record<string, unknown>;

/** Real time plus an offset; when frozen it stands still (§11.1). */
export class SandboxClock {
  private offset = 0;
  private frozenAt: number | null = null;

  now(): number {
    return this.frozenAt ?? Date.now() + this.offset;
  }
  get frozen(): boolean {
    return this.frozenAt !== null;
  }
  set(nowMs: number): void {
    if (this.frozenAt !== null) this.frozenAt = nowMs;
    else this.offset = nowMs - Date.now();
  }
  setFrozen(frozen: boolean): void {
    if (frozen && this.frozenAt === null) this.frozenAt = this.now();
    if (!frozen && this.frozenAt !== null) {
      this.offset = this.frozenAt - Date.now();
      this.frozenAt = null;
    }
  }
}

export const isEmpty = (v: unknown): boolean =>
  v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** Index keys of a stored value: equal keys ⇔ EQ matches (decimals by value, employees per element). */
export function indexKeys(type: FieldType, value: unknown): string[] {
  if (isEmpty(value)) return [];
  switch (type) {
    case 'employee':
      return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    case 'number':
    case 'currency':
      return [canonical(String(value))];
    case 'file_attachment':
      return [];
    default:
      return [String(value)];
  }
}

/** Records of one object in one tenant: by id, ids kept sorted, lazy per-field EQ/IN indexes. */
export class ObjectStore {
  readonly byId = new Map<string, Rec>();
  readonly ids: string[] = [];
  private readonly indexes = new Map<string, { type: FieldType; map: Map<string, Set<string>> }>();

  get size(): number {
    return this.byId.size;
  }

  /** First position whose id is ≥ (or > when `strict`) the given id. */
  lowerBound(id: string, strict = false): number {
    let lo = 0;
    let hi = this.ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const cur = this.ids[mid] as string;
      if (cur < id || (strict && cur === id)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  put(rec: Rec): void {
    const id = rec._id as string;
    const old = this.byId.get(id);
    this.byId.set(id, rec);
    if (!old) {
      const last = this.ids[this.ids.length - 1];
      if (last === undefined || last < id) this.ids.push(id);
      else this.ids.splice(this.lowerBound(id), 0, id);
    }
    for (const [field, idx] of this.indexes) {
      if (old && old[field] === rec[field]) continue;
      if (old) for (const k of indexKeys(idx.type, old[field])) idx.map.get(k)?.delete(id);
      for (const k of indexKeys(idx.type, rec[field])) {
        let set = idx.map.get(k);
        if (!set) idx.map.set(k, (set = new Set()));
        set.add(id);
      }
    }
  }

  remove(id: string): void {
    const old = this.byId.get(id);
    if (!old) return;
    this.byId.delete(id);
    const pos = this.lowerBound(id);
    if (this.ids[pos] === id) this.ids.splice(pos, 1);
    for (const [field, idx] of this.indexes) {
      for (const k of indexKeys(idx.type, old[field])) idx.map.get(k)?.delete(id);
    }
  }

  /** The EQ index of a field, built on first use and maintained by put/remove afterwards. */
  index(field: string, type: FieldType): Map<string, Set<string>> {
    let idx = this.indexes.get(field);
    if (!idx) {
      idx = { type, map: new Map() };
      for (const [id, rec] of this.byId) {
        for (const k of indexKeys(type, rec[field])) {
          let set = idx.map.get(k);
          if (!set) idx.map.set(k, (set = new Set()));
          set.add(id);
        }
      }
      this.indexes.set(field, idx);
    }
    return idx.map;
  }

  /** Ids whose field holds the given value (stored form), via the index. */
  find(field: string, type: FieldType, value: string): Rec[] {
    const set = this.index(field, type).get(value);
    if (!set) return [];
    const out: Rec[] = [];
    for (const id of set) {
      const r = this.byId.get(id);
      if (r) out.push(r);
    }
    return out;
  }
}

export interface User {
  openUserId: string;
  name: string;
  nickName: string;
  mobile: string;
  email: string;
  isStop: boolean;
  gender: string;
  position: string;
  employeeNumber: string;
  mainDepartmentId: number;
  departmentIds: number[];
  attachingDepartmentIds: number[];
  leaderId: string | null;
  createTime: number;
  isCrmAdmin: boolean;
}

export interface Department {
  id: number;
  name: string;
  parentId: number;
  order: number;
  isStop: boolean;
}

export interface FileRec {
  mediaId: string;
  npath: string;
  filename: string;
  ext: string;
  size: number;
  type: 'image' | 'document';
  bytes: Buffer;
}

export interface Hook {
  url: string;
  secret: string;
  objects: string[];
}

export interface Token {
  value: string;
  kind: 'corp' | 'app';
  corpId: string | null;
  appId: string;
  issuedAt: number;
  revoked: boolean;
}

/** Shared bookkeeping of a token issuer (a tenant for corp tokens, an app for app tokens). */
export interface TokenIssuer {
  current: Token | null;
  calls: number[];
  inFlight: number;
}

export interface App {
  appId: string;
  appSecret: string;
  token: string;
  encodingAesKey: string;
  tokens: TokenIssuer;
}

export interface Tenant {
  corpId: string;
  name: string;
  appId: string;
  permanentCode: string;
  callbackUrl: string | null;
  entryUrl: string | null;
  authorized: boolean;
  metadataWritePermission: boolean;
  approvalObjects: string[];
  dailyQuota: number | null;
  quota: { day: string; used: number };
  departments: Map<number, Department>;
  users: Map<string, User>;
  objects: Map<string, ObjectDef>;
  stores: Map<string, ObjectStore>;
  autoNumbers: Map<string, number>;
  files: Map<string, FileRec>;
  filesByNpath: Map<string, FileRec>;
  messages: { msgId: string; at: number; toUser: string[]; content: string }[];
  hook: Hook | null;
  tokens: TokenIssuer;
}

export interface SsoCode {
  code: string;
  appId: string;
  corpId: string;
  openUserId: string;
  issuedAt: number;
  used: boolean;
}

export interface Fault {
  id: string;
  path: string;
  corpId: string | null;
  action: 'error' | 'http_status' | 'delay' | 'lose_response';
  errorCode?: number;
  errorMessage?: string;
  delayMs?: number;
  httpStatus?: number;
  remaining: number;
}

export interface CallEntry {
  seq: number;
  at: number;
  path: string;
  corpId: string | null;
  currentOpenUserId: string | null;
  dataObjectApiName: string | null;
  httpStatus: number | null;
  errorCode: number | null;
  fault: string | null;
  durationMs: number;
  traceId: string;
}

export const hex = (bytes: number, upper = false): string => {
  const s = randomBytes(bytes).toString('hex');
  return upper ? s.toUpperCase() : s;
};

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const alnum = (n: number): string =>
  [...randomBytes(n)].map((b) => ALNUM[b % ALNUM.length] as string).join('');

const GMT8 = 8 * 3600 * 1000;
/** YYYYMMDD of the clock in GMT+8. */
export function dayGmt8(ms: number): string {
  const d = new Date(ms + GMT8);
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
}

export function newTenant(init: {
  corpId: string;
  name: string;
  appId: string;
  permanentCode: string;
  callbackUrl: string | null;
  entryUrl: string | null;
  authorized: boolean;
  metadataWritePermission: boolean;
  approvalObjects: string[];
  dailyQuota: number | null;
}): Tenant {
  const objects = new Map<string, ObjectDef>();
  for (const o of shippedObjects()) objects.set(o.api_name, o);
  return {
    ...init,
    quota: { day: '', used: 0 },
    departments: new Map([[999999, { id: 999999, name: '全公司', parentId: 0, order: 0, isStop: false }]]),
    users: new Map(),
    objects,
    stores: new Map(),
    autoNumbers: new Map(),
    files: new Map(),
    filesByNpath: new Map(),
    messages: [],
    hook: null,
    tokens: { current: null, calls: [], inFlight: 0 },
  };
}

export function storeOf(tenant: Tenant, objectApiName: string): ObjectStore {
  let s = tenant.stores.get(objectApiName);
  if (!s) tenant.stores.set(objectApiName, (s = new ObjectStore()));
  return s;
}

/** §3.6: calls per (corpId, path) in any sliding 20 000 ms window. */
export const PATH_LIMIT = 100;

export class SandboxState {
  readonly clock = new SandboxClock();
  apps = new Map<string, App>();
  tenants = new Map<string, Tenant>();
  tokens = new Map<string, Token>();
  codes = new Map<string, SsoCode>();
  faults: Fault[] = [];
  faultSeq = 0;
  calls: CallEntry[] = [];
  callSeq = 0;
  /** Per (corpId or appId, path) sliding windows of counted call times. */
  windows = new Map<string, number[]>();
  rateLimit = true;
  tokenRateLimit = true;
  /** Calls per (corpId or appId, path) per 20 000 ms window: the contract's 100 unless a benchmark scales it. */
  callsPer20s = PATH_LIMIT;
  /** Record ids never repeat, even across resets. */
  private idCounter = 0n;

  reset(): void {
    this.clock.set(Date.now());
    this.clock.setFrozen(false);
    this.clock.set(Date.now());
    this.apps = new Map();
    this.tenants = new Map();
    this.tokens = new Map();
    this.codes = new Map();
    this.faults = [];
    this.calls = [];
    this.callSeq = 0;
    this.windows = new Map();
    this.rateLimit = true;
    this.tokenRateLimit = true;
    this.callsPer20s = PATH_LIMIT;
  }

  now(): number {
    return this.clock.now();
  }

  newId(): string {
    this.idCounter += 1n;
    const secs = Math.max(0, Math.floor(this.now() / 1000));
    return secs.toString(16).padStart(8, '0').slice(-8) + this.idCounter.toString(16).padStart(16, '0');
  }

  autoNumber(tenant: Tenant, objectApiName: string): string {
    const n = (tenant.autoNumbers.get(objectApiName) ?? 0) + 1;
    tenant.autoNumbers.set(objectApiName, n);
    return `${dayGmt8(this.now())}-${String(n).padStart(6, '0')}`;
  }

  tenant(corpId: unknown): Tenant | undefined {
    return typeof corpId === 'string' ? this.tenants.get(corpId) : undefined;
  }

  tenantByCode(appId: unknown, permanentCode: unknown): Tenant | undefined {
    for (const t of this.tenants.values()) {
      if (t.appId === appId && t.permanentCode === permanentCode) return t;
    }
    return undefined;
  }

  /** Counts a call in a sliding 20 000 ms window; false when the window is full. */
  takeWindow(key: string): boolean {
    if (!this.rateLimit) return true;
    const now = this.now();
    let w = this.windows.get(key);
    if (!w) this.windows.set(key, (w = []));
    while (w.length > 0 && (w[0] as number) <= now - 20000) w.shift();
    if (w.length >= this.callsPer20s) return false;
    w.push(now);
    return true;
  }

  /** Counts a call toward the tenant's GMT+8 daily quota; false when it is used up. */
  takeQuota(tenant: Tenant): boolean {
    const day = dayGmt8(this.now());
    if (tenant.quota.day !== day) tenant.quota = { day, used: 0 };
    if (tenant.dailyQuota !== null && tenant.quota.used >= tenant.dailyQuota) return false;
    tenant.quota.used += 1;
    return true;
  }

  usedToday(tenant: Tenant): number {
    return tenant.quota.day === dayGmt8(this.now()) ? tenant.quota.used : 0;
  }

  tokenValid(t: Token): boolean {
    return !t.revoked && this.now() - t.issuedAt < 7_200_000;
  }

  firstAdmin(tenant: Tenant): User | undefined {
    for (const u of tenant.users.values()) if (u.isCrmAdmin && !u.isStop) return u;
    return undefined;
  }
}
