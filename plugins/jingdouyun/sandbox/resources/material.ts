import type { MaterialRec, PriceLine } from '../state.js';
import { FieldReader, err, lineId, targetOf, type Json } from '../validate.js';
import {
  asciiFold,
  autoNumber,
  byNumber,
  checkName,
  checkUnique,
  enableFilter,
  findForDetail,
  listPage,
  listParams,
  queryRecords,
  recordId,
  refName,
  refNumber,
  stamp,
  times,
  type Ctx,
  type Query,
  type SaveOpts,
} from './common.js';

const LABEL = '商品';
const PRICE_FIELDS = [
  'price_retail_price',
  'price_trade_price',
  'price_purchase_price',
  'price_min_sales_price',
] as const;

export function saveMaterial(ctx: Ctx, body: Json, opts: SaveOpts = {}): MaterialRec {
  const { books } = ctx;
  const target = targetOf(body, books.material, LABEL);
  const id = recordId(ctx, target, opts);
  const r = new FieldReader(body, '', !target);
  const number = r.str('number');
  const name = r.str('name', true);
  const baseUnit = r.ref('base_unit_id', null, books.unit, '计量单位', true);
  const parent = r.ref('parent_id', 'parent_number', books.materialGroup, '商品分类');
  const brand = r.ref('brand_id', 'brand_number', books.brand, '品牌');
  const model = r.str('model');
  const barcode = r.str('barcode');
  const enable = r.oneOf('enable', ['1', '0']);
  const remark = r.str('remark');
  const ignoreWarn = r.bool('ignore_warn') ?? false;
  const rawPrices = r.lines('price_entity');
  const baseUnitId = baseUnit?.id ?? target?.base_unit_id ?? '';
  const known = new Set(target?.prices.map((p) => p.id) ?? []);
  const usedUnits = new Set<string>();
  const prices = rawPrices?.map((line, i): Omit<PriceLine, 'id'> & { id: string | null } => {
    const lr = new FieldReader(line, `price_entity[${i}].`, true);
    const lid = lineId(lr, known);
    const unitId = lr.ref('price_unit_id', null, books.unit, '计量单位')?.id ?? baseUnitId;
    if (usedUnits.has(unitId)) throw err.format(lr.name('price_unit_id'));
    usedUnits.add(unitId);
    const values = PRICE_FIELDS.map((f) => lr.dec(f, { scale: 4 }) ?? '0');
    return {
      id: lid,
      price_unit_id: unitId,
      price_retail_price: values[0]!,
      price_trade_price: values[1]!,
      price_purchase_price: values[2]!,
      price_min_sales_price: values[3]!,
    };
  });
  if (number !== undefined) checkUnique(books.material, number, target?.id ?? null, false);
  checkName(books.material, name, target?.id ?? null, ignoreWarn);
  const rec: MaterialRec = {
    ...stamp(ctx, target, id, number ?? target?.number ?? autoNumber(ctx, 'bd_material', books.material)),
    name: name ?? target!.name,
    model: model ?? target?.model ?? '',
    barcode: barcode ?? target?.barcode ?? '',
    enable: enable ?? target?.enable ?? '1',
    base_unit_id: baseUnitId,
    parent_id: parent?.id ?? target?.parent_id ?? '',
    brand_id: brand?.id ?? target?.brand_id ?? '',
    remark: remark ?? target?.remark ?? '',
    prices: prices ? prices.map((p) => ({ ...p, id: p.id ?? ctx.state.nextId() })) : (target?.prices ?? []),
  };
  books.material.put(rec);
  return rec;
}

function row(ctx: Ctx, m: MaterialRec): Json {
  const { books } = ctx;
  return {
    id: m.id,
    number: m.number,
    name: m.name,
    model: m.model,
    barcode: m.barcode,
    enable: m.enable,
    base_unit_id: m.base_unit_id,
    base_unit_number: refNumber(books.unit, m.base_unit_id),
    base_unit_name: refName(books.unit, m.base_unit_id),
    parent_id: m.parent_id,
    parent_number: refNumber(books.materialGroup, m.parent_id),
    parent_name: refName(books.materialGroup, m.parent_id),
    brand_id: m.brand_id,
    brand_number: refNumber(books.brand, m.brand_id),
    brand_name: refName(books.brand, m.brand_id),
    ...times(m),
  };
}

export function materialDetail(ctx: Ctx, m: MaterialRec): Json {
  const { books } = ctx;
  return {
    ...row(ctx, m),
    remark: m.remark,
    price_entity: m.prices.map((p) => ({
      id: p.id,
      price_unit_id: p.price_unit_id,
      price_unit_number: refNumber(books.unit, p.price_unit_id),
      price_unit_name: refName(books.unit, p.price_unit_id),
      price_retail_price: p.price_retail_price,
      price_trade_price: p.price_trade_price,
      price_purchase_price: p.price_purchase_price,
      price_min_sales_price: p.price_min_sales_price,
    })),
  };
}

export function listMaterials(ctx: Ctx, q: Query): Json {
  const p = listParams(q);
  const enable = enableFilter(q, '1');
  const search = q.first('search');
  const needle = search ? asciiFold(search) : null;
  const parents = q.has('parent') ? new Set(q.all('parent')) : null;
  const ids = q.has('ids') ? new Set(q.all('ids')) : null;
  const key = JSON.stringify([enable, needle, parents && [...parents], ids && [...ids]]);
  const rows = queryRecords(ctx.books.material, p, byNumber, key, (m) => {
    if (enable !== null && m.enable !== enable) return false;
    if (parents && !parents.has(m.parent_id)) return false;
    if (ids && !ids.has(m.id)) return false;
    return !needle || asciiFold(m.name).includes(needle) || asciiFold(m.number).includes(needle);
  });
  return listPage(rows, p, true, (m) => row(ctx, m));
}

export const materialDetailQuery = (ctx: Ctx, q: Query): Json =>
  materialDetail(ctx, findForDetail(ctx.books.material, q, LABEL));
