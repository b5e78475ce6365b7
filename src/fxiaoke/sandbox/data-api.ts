/** The data API of §5: create, update, get, invalid, delete, recover (query lives in query.ts). */
import { NEEDS_ROWS, isCustomApiName, type FieldDef, type ObjectDef } from './describes.js';
import { deriveMaster, deriveRow, recomputeAccounts } from './derived.js';
import { fail, isObject, type Json } from './errors.js';
import { isEmpty, storeOf, type Rec, type SandboxState, type Tenant } from './state.js';
import { convertValue, present } from './values.js';
import { Decimal } from '../../lib/decimal.js';

export type EventKind = 'created' | 'updated' | 'invalidated' | 'deleted' | 'recovered';

export interface PendingEvent {
  event: EventKind;
  objectApiName: string;
  objectId: string;
  operatorId: string;
  timestamp: number;
}

export interface WriteCtx {
  st: SandboxState;
  tenant: Tenant;
  actor: string;
  now: number;
  events: PendingEvent[];
  emit(event: EventKind, objectApiName: string, objectId: string, timestamp: number, operator?: string): void;
}

/** A write context; `sendEvents` false (triggerWorkFlow:false, seeds) records no events at all. */
export function writeCtx(st: SandboxState, tenant: Tenant, actor: string, sendEvents: boolean): WriteCtx {
  const events: PendingEvent[] = [];
  return {
    st,
    tenant,
    actor,
    now: st.now(),
    events,
    emit(event, objectApiName, objectId, timestamp, operator) {
      if (sendEvents)
        events.push({ event, objectApiName, objectId, operatorId: operator ?? actor, timestamp });
    },
  };
}

/** 'preset' and 'custom' are the two path families; 'any' is for the sandbox's own UI calls. */
export type Family = 'preset' | 'custom' | 'any';

export function resolveObject(tenant: Tenant, api: string, family: Family, write: boolean): ObjectDef {
  const obj = tenant.objects.get(api);
  if (!obj) return fail(32001, `对象[${api}]不存在`);
  if (family !== 'any' && isCustomApiName(api) !== (family === 'custom'))
    return fail(32001, 'apiName与接口不匹配');
  if (write && obj.master) return fail(32001, `对象[${api}]是从对象，只能随主对象写入`);
  if (write && obj.readOnly) return fail(32001, `对象[${api}]只读`);
  return obj;
}

const requireString = (v: unknown, name: string): string =>
  typeof v === 'string' && v !== '' ? v : fail(10006, `the parameter ${name} is missing or illegal`);

/** Detail objects whose master is `obj`, in describe order. */
export function detailsOf(tenant: Tenant, obj: ObjectDef): ObjectDef[] {
  return [...tenant.objects.values()].filter((o) => o.master?.objectApiName === obj.api_name);
}

type KeyMode = 'create' | 'update';

function checkKeys(obj: ObjectDef, input: Json, mode: KeyMode, skip: string[]): void {
  for (const key of Object.keys(input)) {
    if (skip.includes(key)) continue;
    const f = obj.fields.get(key);
    if (!f || f.is_readonly || (mode === 'update' && f.createOnly)) fail(32003, `字段[${key}]不存在或不可写`);
  }
}

interface DetailInput {
  obj: ObjectDef;
  rows: Json[];
}

/** Create rule 4: `details` keyed by this master's detail objects, arrays of at most 200 rows. */
function parseDetails(tenant: Tenant, obj: ObjectDef, raw: unknown, update: boolean): DetailInput[] {
  if (raw === undefined) return [];
  if (!isObject(raw)) return fail(10006, 'the parameter details is missing or illegal');
  const mine = new Map(detailsOf(tenant, obj).map((d) => [d.api_name, d]));
  const out: DetailInput[] = [];
  for (const [api, rows] of Object.entries(raw)) {
    const d = mine.get(api);
    if (!d) return fail(32001, `对象[${api}]不是[${obj.api_name}]的从对象`);
    if (!Array.isArray(rows)) return fail(10006, `the parameter details.${api} is missing or illegal`);
    out.push({ obj: d, rows: rows as Json[] });
  }
  for (const { obj: d, rows } of out) {
    if (rows.length > 200) fail(32000, `从对象[${d.display_name}]最多200行`);
    for (const row of rows) {
      if (!isObject(row)) return fail(10006, `the parameter details.${d.api_name} is missing or illegal`);
      const existing = update && row._id !== undefined;
      checkKeys(d, row, existing ? 'update' : 'create', update ? ['_id'] : []);
    }
  }
  return out;
}

function applyDefaults(obj: ObjectDef, input: Json, actor: string): void {
  if (obj.fields.has('owner') && (input.owner === undefined || input.owner === null)) input.owner = [actor];
  for (const f of obj.fields.values()) {
    if (
      f.default_value !== undefined &&
      !f.is_readonly &&
      (input[f.api_name] === undefined || input[f.api_name] === null)
    ) {
      input[f.api_name] = f.default_value;
    }
  }
}

const missing = (f: FieldDef): never => fail(32002, `字段[${f.label}]为必填项`);

/** Required writable fields; `onlySent` checks just the keys present (update). */
function checkRequired(obj: ObjectDef, input: Json, onlySent: boolean): void {
  for (const f of obj.fields.values()) {
    if (!f.is_required || f.is_readonly) continue;
    if (onlySent && !(f.api_name in input)) continue;
    if (isEmpty(input[f.api_name])) missing(f);
  }
}

/** Converts the sent keys in describe order; the result maps each sent key to its stored value or undefined. */
function convertAll(tenant: Tenant, obj: ObjectDef, input: Json): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const f of obj.fields.values()) {
    if (!(f.api_name in input) || f.api_name === '_id') continue;
    out.set(f.api_name, convertValue(tenant, obj, f, input[f.api_name]));
  }
  return out;
}

function merge(base: Rec, changes: Map<string, unknown>): Rec {
  const rec: Rec = { ...base };
  for (const [k, v] of changes) {
    if (v === undefined) delete rec[k];
    else rec[k] = v;
  }
  return rec;
}

/** Server-set fields of a new record (create rule 10). */
function newSystem(ctx: WriteCtx, obj: ObjectDef, rec: Rec, underReview: boolean): void {
  rec._id = ctx.st.newId();
  if (obj.fields.get('name')?.type === 'auto_number') rec.name = ctx.st.autoNumber(ctx.tenant, obj.api_name);
  rec.created_by = [ctx.actor];
  rec.last_modified_by = [ctx.actor];
  rec.create_time = ctx.now;
  rec.last_modified_time = ctx.now;
  rec.life_status = underReview ? 'under_review' : 'normal';
  rec.lock_status = underReview ? '1' : '0';
  rec.is_deleted = false;
  rec.record_type = 'default__c';
  rec.version = '1';
  rec.object_describe_api_name = obj.api_name;
}

function touch(ctx: WriteCtx, rec: Rec): void {
  rec.version = String(Number(rec.version ?? '0') + 1);
  rec.last_modified_time = ctx.now;
  rec.last_modified_by = [ctx.actor];
}

function rowsOf(tenant: Tenant, detail: ObjectDef, masterId: string): Rec[] {
  const link = detail.master?.linkField ?? '';
  return storeOf(tenant, detail.api_name)
    .find(link, 'master_detail', masterId)
    .sort((a, b) => (String(a._id) < String(b._id) ? -1 : 1));
}

/** Object rules of §7 on the would-be state: rows needed (32002), payment sums and accounts (32000). */
function checkRules(ctx: WriteCtx, obj: ObjectDef, master: Rec, rowsByDetail: Map<string, Rec[]>): void {
  for (const d of detailsOf(ctx.tenant, obj)) {
    if (NEEDS_ROWS.has(obj.api_name) && (rowsByDetail.get(d.api_name) ?? []).length === 0) {
      fail(32002, `字段[${d.display_name}]为必填项`);
    }
  }
  if (obj.api_name === 'PaymentObj') {
    const rows = rowsByDetail.get('OrderPaymentObj') ?? [];
    if (rows.length === 0) return;
    const orders = storeOf(ctx.tenant, 'SalesOrderObj');
    for (const r of rows) {
      if (orders.byId.get(String(r.order_id))?.account_id !== master.account_id) {
        fail(32000, '回款明细的销售订单不属于回款的客户');
      }
    }
    const sum = rows.reduce((acc, r) => acc.plus(String(r.payment_amount ?? '0')), new Decimal(0));
    if (!sum.equals(String(master.payment_amount ?? '0'))) fail(32000, '回款金额必须等于回款明细金额之和');
  }
}

/** Uniqueness among records that are not invalid: UnitInfoObj.name and the StockObj pair (32006). */
function checkUnique(ctx: WriteCtx, obj: ObjectDef, rec: Rec, alsoTaken: Rec[] = []): void {
  const store = storeOf(ctx.tenant, obj.api_name);
  const live = (r: Rec) => r._id !== rec._id && r.life_status !== 'invalid';
  let dupes: Rec[] = [];
  if (obj.api_name === 'UnitInfoObj' && typeof rec.name === 'string') {
    dupes = [...store.find('name', 'text', rec.name), ...alsoTaken].filter(
      (r) => live(r) && r.name === rec.name,
    );
  } else if (obj.api_name === 'StockObj' && typeof rec.product_id === 'string') {
    dupes = [...store.find('product_id', 'object_reference', rec.product_id), ...alsoTaken].filter(
      (r) => live(r) && r.product_id === rec.product_id && r.warehouse_id === rec.warehouse_id,
    );
  }
  if (dupes.length > 0) {
    fail(32006, '存在重复数据', {
      data: { duplicates: dupes.map((r) => ({ _id: r._id, name: r.name ?? null })) },
    });
  }
}

/** DeliveryNoteObj.account_id is copied from its order at create (§7.11). */
function copyOnCreate(ctx: WriteCtx, obj: ObjectDef, master: Rec): void {
  if (obj.api_name !== 'DeliveryNoteObj') return;
  const order = storeOf(ctx.tenant, 'SalesOrderObj').byId.get(String(master.sales_order_id));
  if (order && typeof order.account_id === 'string') master.account_id = order.account_id;
}

const allRows = (m: Map<string, Rec[]>): Rec[] => [...m.values()].flat();

function objectData(data: Json): Json {
  const od = data.object_data;
  return isObject(od) ? od : fail(10006, 'the parameter object_data is missing or illegal');
}

export function createRecord(
  ctx: WriteCtx,
  family: Family,
  data: Json,
  approvalFlow: boolean,
): { dataId: string; detailIds: Record<string, string[]> } {
  const od = objectData(data);
  const obj = resolveObject(
    ctx.tenant,
    requireString(od.dataObjectApiName, 'dataObjectApiName'),
    family,
    true,
  );
  checkKeys(obj, od, 'create', ['dataObjectApiName']);
  const details = parseDetails(ctx.tenant, obj, data.details, false);

  const input: Json = { ...od };
  delete input.dataObjectApiName;
  applyDefaults(obj, input, ctx.actor);
  const rowInputs = details.map((d) => ({
    obj: d.obj,
    rows: d.rows.map((r) => {
      const row = { ...r };
      applyDefaults(d.obj, row, ctx.actor);
      return row;
    }),
  }));
  checkRequired(obj, input, false);
  for (const d of rowInputs) for (const row of d.rows) checkRequired(d.obj, row, false);

  const master = merge({}, convertAll(ctx.tenant, obj, input));
  const converted = rowInputs.map((d) => ({
    obj: d.obj,
    rows: d.rows.map((r) => convertAll(ctx.tenant, d.obj, r)),
  }));
  copyOnCreate(ctx, obj, master);
  const rowsByDetail = new Map<string, Rec[]>();
  for (const d of converted) {
    rowsByDetail.set(
      d.obj.api_name,
      d.rows.map((vals) => {
        const rec = merge({}, vals);
        deriveRow(ctx.tenant, d.obj.api_name, rec, master);
        return rec;
      }),
    );
  }
  checkRules(ctx, obj, master, rowsByDetail);
  checkUnique(ctx, obj, master);

  const underReview = approvalFlow && ctx.tenant.approvalObjects.includes(obj.api_name);
  newSystem(ctx, obj, master, underReview);
  const detailIds: Record<string, string[]> = {};
  for (const d of converted) {
    const ids: string[] = [];
    for (const rec of rowsByDetail.get(d.obj.api_name) ?? []) {
      newSystem(ctx, d.obj, rec, underReview);
      rec[d.obj.master?.linkField ?? ''] = master._id;
      storeOf(ctx.tenant, d.obj.api_name).put(rec);
      ids.push(rec._id as string);
    }
    detailIds[d.obj.api_name] = ids;
  }
  deriveMaster(obj.api_name, master, allRows(rowsByDetail));
  storeOf(ctx.tenant, obj.api_name).put(master);
  const id = master._id as string;
  ctx.emit('created', obj.api_name, id, ctx.now);
  if (obj.api_name === 'SalesOrderObj') recomputeAccounts(ctx, [master.account_id]);
  return { dataId: id, detailIds };
}

export function updateRecord(ctx: WriteCtx, family: Family, data: Json): { dataId: string } {
  const od = objectData(data);
  const obj = resolveObject(
    ctx.tenant,
    requireString(od.dataObjectApiName, 'dataObjectApiName'),
    family,
    true,
  );
  const id = requireString(od._id, '_id');
  const store = storeOf(ctx.tenant, obj.api_name);
  const old = store.byId.get(id) ?? fail(32004, '数据不存在');
  if (old.life_status === 'invalid' || old.lock_status === '1') fail(32005, '数据已作废或已锁定');
  checkKeys(obj, od, 'update', ['dataObjectApiName', '_id']);
  const details = parseDetails(ctx.tenant, obj, data.details, true);
  const current = new Map(details.map((d) => [d.obj.api_name, rowsOf(ctx.tenant, d.obj, id)]));
  for (const d of details) {
    const ids = new Set((current.get(d.obj.api_name) ?? []).map((r) => r._id));
    for (const row of d.rows) if (row._id !== undefined && !ids.has(row._id)) fail(32004, '从对象数据不存在');
  }

  const input: Json = { ...od };
  delete input.dataObjectApiName;
  delete input._id;
  checkRequired(obj, input, true);
  const rowInputs = details.map((d) => ({
    obj: d.obj,
    rows: d.rows.map((r) => {
      const row = { ...r };
      delete row._id;
      if (r._id === undefined) applyDefaults(d.obj, row, ctx.actor);
      checkRequired(d.obj, row, r._id !== undefined);
      return { id: r._id as string | undefined, row };
    }),
  }));
  const merged = merge(old, convertAll(ctx.tenant, obj, input));
  const rowsByDetail = new Map<string, Rec[]>();
  for (const d of detailsOf(ctx.tenant, obj)) rowsByDetail.set(d.api_name, rowsOf(ctx.tenant, d, id));
  const fresh = new Set<Rec>();
  for (const d of rowInputs) {
    const byId = new Map((current.get(d.obj.api_name) ?? []).map((r) => [r._id as string, r]));
    const list = d.rows.map(({ id: rowId, row }) => {
      const rec = merge(
        rowId !== undefined ? (byId.get(rowId) as Rec) : {},
        convertAll(ctx.tenant, d.obj, row),
      );
      if (rowId === undefined) fresh.add(rec);
      deriveRow(ctx.tenant, d.obj.api_name, rec, merged);
      return rec;
    });
    rowsByDetail.set(d.obj.api_name, list);
  }
  checkRules(ctx, obj, merged, rowsByDetail);
  checkUnique(ctx, obj, merged);

  touch(ctx, merged);
  for (const d of rowInputs) {
    const dStore = storeOf(ctx.tenant, d.obj.api_name);
    const keep = new Set<unknown>();
    for (const rec of rowsByDetail.get(d.obj.api_name) ?? []) {
      if (fresh.has(rec)) {
        newSystem(ctx, d.obj, rec, false);
        rec[d.obj.master?.linkField ?? ''] = id;
      } else touch(ctx, rec);
      keep.add(rec._id);
      dStore.put(rec);
    }
    for (const r of current.get(d.obj.api_name) ?? []) if (!keep.has(r._id)) dStore.remove(r._id as string);
  }
  deriveMaster(obj.api_name, merged, allRows(rowsByDetail));
  store.put(merged);
  ctx.emit('updated', obj.api_name, id, ctx.now);
  if (obj.api_name === 'SalesOrderObj') recomputeAccounts(ctx, [old.account_id, merged.account_id]);
  return { dataId: id };
}

export function getRecord(tenant: Tenant, family: Family, data: Json, includeNull: boolean): Rec {
  const api = requireString(data.dataObjectApiName, 'dataObjectApiName');
  const id = requireString(data.objectDataId, 'objectDataId');
  const obj = resolveObject(tenant, api, family, false);
  const rec = storeOf(tenant, obj.api_name).byId.get(id) ?? fail(32004, '数据不存在');
  return present(tenant, obj, rec, includeNull);
}

/** Applies `change` to the master and its rows, bumping version and last_modified_* on each. */
function changeWithRows(ctx: WriteCtx, obj: ObjectDef, rec: Rec, change: (r: Rec) => void): void {
  for (const d of detailsOf(ctx.tenant, obj)) {
    const dStore = storeOf(ctx.tenant, d.api_name);
    for (const row of rowsOf(ctx.tenant, d, rec._id as string)) {
      const next = { ...row };
      change(next);
      touch(ctx, next);
      dStore.put(next);
    }
  }
  const next = { ...rec };
  change(next);
  touch(ctx, next);
  storeOf(ctx.tenant, obj.api_name).put(next);
}

export function invalidRecord(ctx: WriteCtx, family: Family, data: Json): void {
  const api = requireString(data.dataObjectApiName, 'dataObjectApiName');
  const id = requireString(data.object_data_id, 'object_data_id');
  const obj = resolveObject(ctx.tenant, api, family, true);
  const rec = storeOf(ctx.tenant, obj.api_name).byId.get(id) ?? fail(32004, '数据不存在');
  if (rec.life_status === 'invalid' || rec.lock_status === '1') fail(32005, '数据已作废或已锁定');
  changeWithRows(ctx, obj, rec, (r) => {
    r.life_status_before_invalid = r.life_status ?? 'normal';
    r.life_status = 'invalid';
    r.lock_status = '0';
  });
  ctx.emit('invalidated', obj.api_name, id, ctx.now);
  if (obj.api_name === 'SalesOrderObj') recomputeAccounts(ctx, [rec.account_id]);
}

/** Shared checks of delete and recover: idList, object, every id known (32004) and invalid (32005). */
function invalidTargets(ctx: WriteCtx, family: Family, data: Json): { obj: ObjectDef; recs: Rec[] } {
  const api = requireString(data.dataObjectApiName, 'dataObjectApiName');
  const list = data.idList;
  if (
    !Array.isArray(list) ||
    list.length < 1 ||
    list.length > 100 ||
    list.some((v) => typeof v !== 'string' || v === '') ||
    new Set(list).size !== list.length
  ) {
    return fail(10006, 'the parameter idList is missing or illegal');
  }
  const obj = resolveObject(ctx.tenant, api, family, true);
  const store = storeOf(ctx.tenant, obj.api_name);
  const recs = (list as string[]).map((id) => store.byId.get(id) ?? fail(32004, `数据[${id}]不存在`));
  for (const r of recs) if (r.life_status !== 'invalid') fail(32005, `数据[${String(r._id)}]未作废`);
  return { obj, recs };
}

export function deleteRecords(ctx: WriteCtx, family: Family, data: Json): void {
  const { obj, recs } = invalidTargets(ctx, family, data);
  for (const rec of recs) {
    const id = rec._id as string;
    for (const d of detailsOf(ctx.tenant, obj)) {
      const dStore = storeOf(ctx.tenant, d.api_name);
      for (const row of rowsOf(ctx.tenant, d, id)) dStore.remove(row._id as string);
    }
    storeOf(ctx.tenant, obj.api_name).remove(id);
    ctx.emit('deleted', obj.api_name, id, ctx.now);
  }
  if (obj.api_name === 'SalesOrderObj')
    recomputeAccounts(
      ctx,
      recs.map((r) => r.account_id),
    );
}

export function recoverRecords(ctx: WriteCtx, family: Family, data: Json): void {
  const { obj, recs } = invalidTargets(ctx, family, data);
  recs.forEach((rec, i) =>
    checkUnique(
      ctx,
      obj,
      { ...rec, life_status: 'normal' },
      recs.slice(0, i).map((r) => ({ ...r, life_status: 'normal' })),
    ),
  );
  for (const rec of recs) {
    changeWithRows(ctx, obj, rec, (r) => {
      r.life_status = r.life_status_before_invalid ?? 'normal';
      delete r.life_status_before_invalid;
      r.lock_status = r.life_status === 'under_review' ? '1' : '0';
    });
    ctx.emit('recovered', obj.api_name, rec._id as string, ctx.now);
  }
  if (obj.api_name === 'SalesOrderObj')
    recomputeAccounts(
      ctx,
      recs.map((r) => r.account_id),
    );
}

/** §5.12: a person passes or rejects a record under review; always an `updated` event. */
export function approveRecord(ctx: WriteCtx, obj: ObjectDef, id: string, pass: boolean): void {
  const rec = storeOf(ctx.tenant, obj.api_name).byId.get(id) ?? fail(32004, '数据不存在');
  if (rec.life_status !== 'under_review') fail(32005, '数据不在审核中');
  changeWithRows(ctx, obj, rec, (r) => {
    r.life_status = pass ? 'normal' : 'ineffective';
    r.lock_status = '0';
  });
  ctx.emit('updated', obj.api_name, id, ctx.now);
  if (obj.api_name === 'SalesOrderObj') recomputeAccounts(ctx, [rec.account_id]);
}

/** Seeds store values without checks (§11.2) but normalise decimals so reads and indexes stay uniform. */
function seedValues(obj: ObjectDef, input: Json): Rec {
  const rec: Rec = {};
  for (const f of obj.fields.values()) {
    const v = input[f.api_name];
    if (v === undefined || v === null) continue;
    if ((f.type === 'number' || f.type === 'currency') && (typeof v === 'number' || typeof v === 'string')) {
      try {
        rec[f.api_name] = new Decimal(v)
          .toDecimalPlaces(f.decimal_places ?? 2, Decimal.ROUND_HALF_UP)
          .toFixed(f.decimal_places ?? 2);
      } catch {
        rec[f.api_name] = v;
      }
    } else rec[f.api_name] = v;
  }
  return rec;
}

function fillSystem(ctx: WriteCtx, obj: ObjectDef, rec: Rec): void {
  const given = { ...rec };
  newSystem(ctx, obj, rec, false);
  for (const [k, v] of Object.entries(given)) rec[k] = v;
  if (obj.fields.has('owner') && rec.owner === undefined) rec.owner = [ctx.actor];
  for (const f of obj.fields.values()) {
    if (f.default_value !== undefined && rec[f.api_name] === undefined) rec[f.api_name] = f.default_value;
  }
}

export function seedRecord(
  ctx: WriteCtx,
  obj: ObjectDef,
  record: Json,
  details: Json | undefined,
): { _id: string; detailIds: Record<string, string[]> } {
  const master = seedValues(obj, record);
  const store = storeOf(ctx.tenant, obj.api_name);
  if (typeof master._id === 'string' && store.byId.has(master._id))
    throw new Error(`record ${master._id} exists`);
  copyOnCreate(ctx, obj, master);
  fillSystem(ctx, obj, master);
  const id = master._id as string;
  const detailIds: Record<string, string[]> = {};
  const rows: Rec[] = [];
  const mine = new Map(detailsOf(ctx.tenant, obj).map((d) => [d.api_name, d]));
  for (const [api, list] of Object.entries(details ?? {})) {
    const d = mine.get(api);
    if (!d || !Array.isArray(list)) throw new Error(`${api} is not a detail object of ${obj.api_name}`);
    detailIds[api] = list.map((raw) => {
      if (!isObject(raw)) throw new Error(`bad ${api} row`);
      const row = seedValues(d, raw);
      deriveRow(ctx.tenant, api, row, master);
      fillSystem(ctx, d, row);
      row[d.master?.linkField ?? ''] = id;
      storeOf(ctx.tenant, api).put(row);
      rows.push(row);
      return row._id as string;
    });
  }
  deriveMaster(obj.api_name, master, rows);
  store.put(master);
  if (obj.api_name === 'SalesOrderObj') recomputeAccounts(ctx, [master.account_id]);
  return { _id: id, detailIds };
}
