import { auditBill, isBillEntity } from './rules/bills.js';
import { setInventoryQty } from './rules/inventory.js';
import type { Ctx } from './resources/common.js';
import { saveEntity } from './resources/index.js';
import {
  Books,
  isEntityNumber,
  type AccountSet,
  type Authorization,
  type BaseRec,
  type EntityNumber,
  type SandboxState,
} from './state.js';
import { parseDt } from './time.js';
import { ApiError, FieldReader, isObject, type Json } from './validate.js';

/** A seed failure: HTTP 400 `{"ok":false,"error":{index, errcode, description}}` (§8.2). */
export class SeedError extends Error {
  constructor(
    readonly index: number | null,
    readonly errcode: number | null,
    readonly description: string,
  ) {
    super(description);
  }
}

const fail = (description: string, index: number | null = null): never => {
  throw new SeedError(index, null, description);
};

function str(obj: Json, key: string, where: string, fallback?: string): string {
  const v = obj[key] ?? fallback;
  if (typeof v !== 'string') return fail(`${where}.${key} must be a string`);
  return v;
}

function list(body: Json, key: string): Json[] {
  const v = body[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every(isObject)) return fail(`${key} must be an array of objects`);
  return v as Json[];
}

/** Undoable insertion into a Map owned by the state. */
function mapSet<K, V>(state: SandboxState, map: Map<K, V>, key: K, value: V): void {
  map.set(key, value);
  state.journal.add(() => map.delete(key));
}

/** Applies a seed atomically; returns the record ids in order (null for inventory). */
export function applySeed(state: SandboxState, body: unknown): (string | null)[] {
  if (!isObject(body)) return fail('seed body must be a JSON object');
  return state.atomic(() => {
    seedApps(state, list(body, 'apps'));
    seedUsers(state, list(body, 'users'));
    seedAccountSets(state, list(body, 'account_sets'));
    const ids = list(body, 'records').map((rec, i) => seedRecord(state, rec, i));
    list(body, 'deleted').forEach((row, i) => seedDeleted(state, row, i));
    return ids;
  });
}

function seedApps(state: SandboxState, apps: Json[]): void {
  for (const a of apps) {
    const clientId = str(a, 'client_id', 'apps');
    const secret = str(a, 'client_secret', 'apps');
    if (!/^[\x20-\x7e]{32}$/.test(secret))
      fail(`client_secret of ${clientId} must be exactly 32 ASCII characters`);
    if (!clientId || state.apps.has(clientId)) fail(`duplicate or empty client_id ${clientId}`);
    mapSet(state, state.apps, clientId, { client_id: clientId, client_secret: secret });
  }
}

function seedUsers(state: SandboxState, users: Json[]): void {
  for (const u of users) {
    const uid = u.uid;
    if (typeof uid !== 'number' || !Number.isSafeInteger(uid)) return fail('users.uid must be an integer');
    if (state.users.has(uid)) fail(`duplicate uid ${uid}`);
    mapSet(state, state.users, uid, {
      uid,
      username: str(u, 'username', 'users'),
      password: str(u, 'password', 'users'),
      nickname: str(u, 'nickname', 'users', ''),
    });
  }
}

function seedAccountSets(state: SandboxState, sets: Json[]): void {
  for (const s of sets) {
    const accountId = str(s, 'account_id', 'account_sets');
    if (!accountId || state.accountSets.has(accountId)) fail(`duplicate or empty account_id ${accountId}`);
    const membersRaw = s.members ?? [];
    if (!Array.isArray(membersRaw) || !membersRaw.every((m) => typeof m === 'number')) {
      fail('account_sets.members must be an array of uids');
    }
    const members = membersRaw as number[];
    for (const m of members) if (!state.users.has(m)) fail(`unknown user ${m} in account set ${accountId}`);
    const adminRaw = s.admin_uid ?? members[0] ?? 0;
    if (typeof adminRaw !== 'number') return fail('account_sets.admin_uid must be a uid');
    const enable = str(s, 'enable', 'account_sets', '1');
    if (enable !== '1' && enable !== '0') fail('account_sets.enable must be "1" or "0"');
    const set: AccountSet = {
      account_id: accountId,
      account_name: str(s, 'account_name', 'account_sets'),
      service_id: str(s, 'service_id', 'account_sets'),
      group_id: str(s, 'group_id', 'account_sets'),
      group_name: str(s, 'group_name', 'account_sets'),
      domain: str(s, 'domain', 'account_sets'),
      enable,
      members,
      admin_uid: adminRaw,
      books: new Books(state.journal),
    };
    mapSet(state, state.accountSets, accountId, set);
    const auths = s.authorizations ?? [];
    if (!Array.isArray(auths) || !auths.every(isObject))
      return fail('authorizations must be an array of objects');
    for (const a of auths as Json[]) {
      const clientId = str(a, 'client_id', 'authorizations');
      if (!state.apps.has(clientId)) fail(`unknown client_id ${clientId} in authorizations`);
      const appKey = str(a, 'app_key', 'authorizations');
      if (!appKey || state.authorizations.some((x) => x.app_key === appKey))
        fail(`duplicate or empty app_key ${appKey}`);
      if (state.authorizations.some((x) => x.client_id === clientId && x.account_id === accountId)) {
        fail(`a second authorisation of ${clientId} for ${accountId}`);
      }
      const auth: Authorization = {
        client_id: clientId,
        account_id: accountId,
        app_key: appKey,
        app_secret: str(a, 'app_secret', 'authorizations'),
        status: str(a, 'status', 'authorizations', '1'),
        outer_instance_id: str(a, 'outer_instance_id', 'authorizations', ''),
        agreement_company_name: str(a, 'agreement_company_name', 'authorizations', ''),
      };
      state.authorizations.push(auth);
      state.journal.add(() => void state.authorizations.splice(state.authorizations.indexOf(auth), 1));
    }
  }
}

const ID_RE = /^[1-9]\d{17}$/;
const WITH_ENABLE = new Set<EntityNumber>([
  'bd_customer',
  'bd_material',
  'bd_brand',
  'bd_store',
  'bd_employee',
]);

function seedTime(value: unknown, key: string, index: number): number | null {
  if (value === undefined || value === null) return null;
  const ms = typeof value === 'string' ? parseDt(value) : null;
  if (ms === null) return fail(`${key} must be yyyy-MM-dd HH:mm:ss`, index);
  return ms;
}

function seedRecord(state: SandboxState, rec: Json, index: number): string | null {
  const account = state.accountSets.get(str(rec, 'account_id', 'records'));
  if (!account) return fail(`unknown account_id ${String(rec.account_id)}`, index);
  const entity = str(rec, 'entity', 'records');
  const raw = rec.data;
  if (!isObject(raw)) return fail('records.data must be an object', index);
  const ctx: Ctx = { state, account, books: account.books, now: state.recordNow() };
  try {
    if (entity === 'inventory') {
      seedInventory(ctx, raw, index);
      return null;
    }
    if (!isEntityNumber(entity)) return fail(`unknown entity ${entity}`, index);
    return seedEntity(ctx, entity, raw, index);
  } catch (e) {
    if (e instanceof ApiError) throw new SeedError(index, e.errcode, e.description);
    throw e;
  }
}

function seedEntity(ctx: Ctx, entity: EntityNumber, raw: Json, index: number): string {
  const { state, books } = ctx;
  const data: Json = { ...raw };
  const take = (key: string): unknown => {
    const v = data[key];
    delete data[key];
    return v;
  };
  const presetId = take('id');
  const createTime = seedTime(take('create_time'), 'create_time', index);
  const modifyTime = seedTime(take('modify_time'), 'modify_time', index);
  const billStatus = isBillEntity(entity) ? take('bill_status') : undefined;
  const closeState = entity === 'sal_bill_order' ? take('bill_close_state') : undefined;
  const enable = WITH_ENABLE.has(entity) ? data.enable : undefined;
  if (entity === 'bd_customer' || entity === 'bd_employee') delete data.enable;
  const group =
    entity === 'bd_measureunits_new'
      ? { id: take('group_id'), number: take('group_number'), name: take('group_name') }
      : null;

  if (presetId !== undefined && presetId !== null) {
    if (typeof presetId !== 'string' || !ID_RE.test(presetId))
      return fail('id must be an 18-digit string starting 1-9', index);
    if (idInUse(ctx, presetId)) return fail(`id ${presetId} is already used`, index);
    state.noteSeededId(presetId);
  }
  if (enable !== undefined && enable !== '1' && enable !== '0')
    return fail('enable must be "1" or "0"', index);
  if (closeState !== undefined && !['C', 'S', 'H'].includes(String(closeState))) {
    return fail('bill_close_state must be "C", "S" or "H"', index);
  }
  const audited = isBillEntity(entity) && billStatus === 'C';
  if (billStatus !== undefined && !audited && billStatus !== (entity.startsWith('ar_') ? 'A' : 'Z')) {
    return fail('bill_status is not valid for this entity', index);
  }
  const saved = saveEntity(ctx, entity, data, typeof presetId === 'string' ? { presetId } : {});
  const store = books.storeOf(entity);
  const patch = (fields: Partial<BaseRec> & Json): void => {
    store.put({ ...store.get(saved.id)!, ...fields });
  };
  if (enable !== undefined) patch({ enable });
  if (closeState !== undefined) patch({ bill_close_state: closeState });
  if (group && (group.id !== undefined || group.number !== undefined || group.name !== undefined)) {
    const g = { id: group.id ?? '', number: group.number ?? '', name: group.name ?? '' };
    if (typeof g.id !== 'string' || typeof g.number !== 'string' || typeof g.name !== 'string') {
      return fail('group_id, group_number and group_name must be strings', index);
    }
    patch({ group: g });
  }
  if (audited && isBillEntity(entity)) auditBill(ctx, entity, saved.id);
  if (createTime !== null || modifyTime !== null) {
    const current = store.get(saved.id)!;
    const modify = modifyTime ?? current.modify_time;
    patch({
      create_time: createTime ?? current.create_time,
      modify_time: modify,
      ...(audited ? { audit_time: modify } : {}),
    });
  }
  return saved.id;
}

function idInUse(ctx: Ctx, id: string): boolean {
  const stores: EntityNumber[] = [
    'bd_customer',
    'bd_customergroup',
    'bd_material',
    'bd_materialgroup',
    'bd_brand',
    'bd_measureunits_new',
    'bd_store',
    'bd_employee',
    'sal_bill_order',
    'sal_bill_outbound',
    'ar_creditbill',
    'ar_precreditbill',
  ];
  return (
    stores.some((e) => ctx.books.storeOf(e).get(id) !== undefined) ||
    ctx.books.deleted.some((d) => d.id === id)
  );
}

function seedInventory(ctx: Ctx, data: Json, index: number): void {
  const { books } = ctx;
  const r = new FieldReader(data, '', true);
  const lookup = (
    idKey: string,
    numberKey: string,
    byId: (v: string) => BaseRec | undefined,
    byNumber: (v: string) => BaseRec | undefined,
    label: string,
  ) => {
    const id = r.id(idKey);
    const number = id === undefined ? r.str(numberKey) : undefined;
    if (id === undefined && number === undefined) throw new ApiError(1030002000, `${idKey}不能为空`);
    const found = id !== undefined ? byId(id) : byNumber(number!);
    if (!found) throw new ApiError(1030002003, `${label}[${id ?? number}]不存在`);
    return found;
  };
  const material = lookup(
    'material_id',
    'material_number',
    (v) => books.material.get(v),
    (v) => books.material.byNumber.get(v),
    '商品',
  );
  const stock = lookup(
    'stock_id',
    'stock_number',
    (v) => books.store.get(v),
    (v) => books.store.byNumber.get(v),
    '仓库',
  );
  const qty = r.dec('qty', { req: true, signed: true, scale: 4 })!;
  const modify = seedTime(data.modify_time, 'modify_time', index) ?? ctx.now;
  setInventoryQty(ctx, material.id, stock.id, qty, modify);
}

function seedDeleted(state: SandboxState, row: Json, index: number): void {
  const account = state.accountSets.get(str(row, 'account_id', 'deleted'));
  if (!account) return fail(`unknown account_id ${String(row.account_id)} in deleted`);
  const entity = str(row, 'entity_number', 'deleted');
  if (!isEntityNumber(entity)) return fail(`unknown entity_number ${entity} in deleted`);
  const id = str(row, 'id', 'deleted');
  if (!ID_RE.test(id)) return fail(`deleted[${index}].id must be an 18-digit string starting 1-9`);
  const deleteTime = parseDt(str(row, 'delete_time', 'deleted'));
  if (deleteTime === null) return fail(`deleted[${index}].delete_time must be yyyy-MM-dd HH:mm:ss`);
  state.noteSeededId(id);
  account.books.addDeleted({
    entity_number: entity,
    id,
    number: str(row, 'number', 'deleted'),
    delete_time: deleteTime,
  });
}
