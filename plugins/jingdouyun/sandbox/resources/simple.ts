import type { BaseRec, BrandRec, EmpRec, EntityNumber, EntityStore, StoreRec, UnitRec } from '../state.js';
import { ENTITIES } from '../state.js';
import { FieldReader, err, targetOf, type Json } from '../validate.js';
import {
  asciiFold,
  autoNumber,
  byNumber,
  checkUnique,
  enableFilter,
  findForDetail,
  listPage,
  listParams,
  queryRecords,
  recordId,
  stamp,
  times,
  type Ctx,
  type Query,
  type SaveOpts,
} from './common.js';

/** Brand, unit, warehouse and employee: flat bd objects without lines (§5.4–§5.7). */

function begin<T extends BaseRec>(
  ctx: Ctx,
  entity: EntityNumber,
  store: EntityStore<T>,
  body: Json,
  opts: SaveOpts,
) {
  const target = targetOf(body, store, ENTITIES[entity].label);
  const id = recordId(ctx, target, opts);
  const r = new FieldReader(body, '', !target);
  const number = r.str('number');
  const name = r.str('name', true);
  return { target, id, r, number, name };
}

function finish<T extends BaseRec>(
  ctx: Ctx,
  entity: EntityNumber,
  store: EntityStore<T>,
  target: T | null,
  id: string,
  number: string | undefined,
): BaseRec {
  if (number !== undefined) checkUnique(store, number, target?.id ?? null, false);
  return stamp(ctx, target, id, number ?? target?.number ?? autoNumber(ctx, entity, store));
}

export function saveBrand(ctx: Ctx, body: Json, opts: SaveOpts = {}): BrandRec {
  const store = ctx.books.brand;
  const { target, id, r, number, name } = begin(ctx, 'bd_brand', store, body, opts);
  const enable = r.oneOf('enable', ['1', '0']);
  const rec: BrandRec = {
    ...finish(ctx, 'bd_brand', store, target, id, number),
    name: name ?? target!.name,
    enable: enable ?? target?.enable ?? '1',
  };
  store.put(rec);
  return rec;
}

export function saveUnit(ctx: Ctx, body: Json, opts: SaveOpts = {}): UnitRec {
  const store = ctx.books.unit;
  const { target, id, r, number, name } = begin(ctx, 'bd_measureunits_new', store, body, opts);
  const precision = r.int('precision', true);
  if (precision !== undefined && (precision < 0 || precision > 6)) throw err.format('precision');
  const rec: UnitRec = {
    ...finish(ctx, 'bd_measureunits_new', store, target, id, number),
    name: name ?? target!.name,
    precision: precision ?? target!.precision,
    group: target?.group ?? null,
  };
  store.put(rec);
  return rec;
}

export function saveStore(ctx: Ctx, body: Json, opts: SaveOpts = {}): StoreRec {
  const store = ctx.books.store;
  const { target, id, r, number, name } = begin(ctx, 'bd_store', store, body, opts);
  const enable = r.oneOf('enable', ['1', '0']);
  const address = r.str('address');
  const remark = r.str('remark');
  const rec: StoreRec = {
    ...finish(ctx, 'bd_store', store, target, id, number),
    name: name ?? target!.name,
    enable: enable ?? target?.enable ?? '1',
    address: address ?? target?.address ?? '',
    remark: remark ?? target?.remark ?? '',
  };
  store.put(rec);
  return rec;
}

export function saveEmp(ctx: Ctx, body: Json, opts: SaveOpts = {}): EmpRec {
  const store = ctx.books.emp;
  const { target, id, r, number, name } = begin(ctx, 'bd_employee', store, body, opts);
  const mobile = r.str('mobile');
  const email = r.str('email');
  const remark = r.str('remark');
  const rec: EmpRec = {
    ...finish(ctx, 'bd_employee', store, target, id, number),
    name: name ?? target!.name,
    enable: target?.enable ?? '1',
    mobile: mobile ?? target?.mobile ?? '',
    email: email ?? target?.email ?? '',
    remark: remark ?? target?.remark ?? '',
  };
  store.put(rec);
  return rec;
}

export const brandRow = (b: BrandRec): Json => ({
  id: b.id,
  number: b.number,
  name: b.name,
  enable: b.enable,
  ...times(b),
});

export function unitRow(u: UnitRec): Json {
  const group = u.group
    ? { group_id: u.group.id, group_number: u.group.number, group_name: u.group.name }
    : {};
  return { id: u.id, number: u.number, name: u.name, precision: u.precision, ...times(u), ...group };
}

const storeRow = (s: StoreRec): Json => ({
  id: s.id,
  number: s.number,
  name: s.name,
  enable: s.enable,
  ...times(s),
});
export const storeDetail = (s: StoreRec): Json => ({ ...storeRow(s), address: s.address, remark: s.remark });

const empRow = (e: EmpRec): Json => ({
  id: e.id,
  number: e.number,
  name: e.name,
  enable: e.enable,
  mobile: e.mobile,
  ...times(e),
});
export const empDetail = (e: EmpRec): Json => ({ ...empRow(e), email: e.email, remark: e.remark });

function simpleList<T extends BaseRec & { name: string; enable?: string }>(
  store: EntityStore<T>,
  q: Query,
  withEnable: boolean,
  render: (r: T) => Json,
): Json {
  const p = listParams(q);
  const enable = withEnable ? enableFilter(q, '-1') : null;
  const search = q.first('search');
  const needle = search ? asciiFold(search) : null;
  const rows = queryRecords(store, p, byNumber, JSON.stringify([enable, needle]), (r) => {
    if (enable !== null && r.enable !== enable) return false;
    return !needle || asciiFold(r.name).includes(needle) || asciiFold(r.number).includes(needle);
  });
  return listPage(rows, p, true, render);
}

export const listBrands = (ctx: Ctx, q: Query): Json => simpleList(ctx.books.brand, q, true, brandRow);
export const listUnits = (ctx: Ctx, q: Query): Json => simpleList(ctx.books.unit, q, false, unitRow);
export const listStores = (ctx: Ctx, q: Query): Json => simpleList(ctx.books.store, q, true, storeRow);
export const listEmps = (ctx: Ctx, q: Query): Json => simpleList(ctx.books.emp, q, true, empRow);

export const brandDetail = (ctx: Ctx, q: Query): Json => brandRow(findForDetail(ctx.books.brand, q, '品牌'));
export const unitDetail = (ctx: Ctx, q: Query): Json => unitRow(findForDetail(ctx.books.unit, q, '计量单位'));
export const storeDetailQuery = (ctx: Ctx, q: Query): Json =>
  storeDetail(findForDetail(ctx.books.store, q, '仓库'));
export const empDetailQuery = (ctx: Ctx, q: Query): Json =>
  empDetail(findForDetail(ctx.books.emp, q, '职员'));
