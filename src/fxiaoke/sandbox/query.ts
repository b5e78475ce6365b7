/** The query language of §6: validation, filters, ordering, projection, totals and the offset cap. */
import { Decimal, canonical } from '../../lib/decimal.js';
import type { FieldDef, FieldType, ObjectDef } from './describes.js';
import { resolveObject, type Family } from './data-api.js';
import { fail, isObject, type Json } from './errors.js';
import { indexKeys, isEmpty, storeOf, type Rec, type Tenant } from './state.js';
import { present } from './values.js';

const STRING_TYPES = new Set<FieldType>([
  'text',
  'long_text',
  'auto_number',
  'select_one',
  'object_reference',
  'master_detail',
]);
const NUMERIC = new Set<FieldType>(['number', 'currency']);
const INTEGER = new Set<FieldType>(['date', 'date_time']);
const COMPARE_OPS = new Set(['GT', 'GTE', 'LT', 'LTE', 'BETWEEN', 'NBETWEEN']);
const STRING_OPS = new Set(['LIKE', 'NLIKE', 'STARTWITH', 'ENDWITH']);
const EMPLOYEE_OPS = new Set(['CONTAINS', 'HASANYOF', 'NHASANYOF']);
/** Operators an empty value satisfies (§6.2). */
const EMPTY_MATCHES = new Set(['N', 'NLIKE', 'NIN', 'NBETWEEN', 'NHASANYOF', 'IS']);
const DECIMAL_RE = /^-?\d+(\.\d+)?$/;
const INTEGER_RE = /^-?\d+$/;

const badQuery = (why: string): never => fail(32007, `查询条件不合法: ${why}`);

function allowed(type: FieldType, op: string): boolean {
  if (type === 'file_attachment') return op === 'IS' || op === 'ISN';
  if (['EQ', 'N', 'IS', 'ISN'].includes(op)) return true;
  if (op === 'IN' || op === 'NIN') return type !== 'true_or_false';
  if (COMPARE_OPS.has(op)) return type !== 'true_or_false' && type !== 'employee';
  if (STRING_OPS.has(op)) return STRING_TYPES.has(type);
  if (EMPLOYEE_OPS.has(op)) return type === 'employee';
  return false;
}

function countOk(op: string, n: number): boolean {
  if (op === 'IS' || op === 'ISN') return true;
  if (op === 'IN' || op === 'NIN') return n >= 1 && n <= 500;
  if (op === 'BETWEEN' || op === 'NBETWEEN') return n === 2;
  if (EMPLOYEE_OPS.has(op)) return n >= 1;
  return n === 1;
}

function parses(type: FieldType, v: string): boolean {
  if (NUMERIC.has(type)) return DECIMAL_RE.test(v);
  if (INTEGER.has(type)) return INTEGER_RE.test(v);
  if (type === 'true_or_false') return v === 'true' || v === 'false';
  return true;
}

/** Compares two non-empty values of a field's type. */
function compare(type: FieldType, a: unknown, b: unknown): number {
  if (NUMERIC.has(type)) return new Decimal(String(a)).cmp(String(b));
  if (INTEGER.has(type)) return Number(a) - Number(b);
  if (type === 'true_or_false')
    return (a === true || a === 'true' ? 1 : 0) - (b === true || b === 'true' ? 1 : 0);
  const sa = type === 'employee' && Array.isArray(a) ? String(a[0]) : String(a);
  const sb = type === 'employee' && Array.isArray(b) ? String(b[0]) : String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Orders two stored values: empty first (ascending). */
function orderValues(type: FieldType, a: unknown, b: unknown): number {
  const ea = isEmpty(a);
  const eb = isEmpty(b);
  if (ea || eb) return ea === eb ? 0 : ea ? -1 : 1;
  return compare(type, a, b);
}

interface Filter {
  field: FieldDef;
  op: string;
  values: string[];
  test(v: unknown): boolean;
}

const normKey = (type: FieldType, v: string): string => (NUMERIC.has(type) ? canonical(v) : v);

function compileFilter(obj: ObjectDef, raw: unknown): Filter {
  if (!isObject(raw)) return badQuery('filter');
  const keys = Object.keys(raw).sort();
  if (keys.join(',') !== 'field_name,field_values,operator') return badQuery('filter keys');
  const { field_name, operator, field_values } = raw;
  const field = typeof field_name === 'string' ? obj.fields.get(field_name) : undefined;
  if (!field) return badQuery(`unknown field ${String(field_name)}`);
  if (typeof operator !== 'string' || !allowed(field.type, operator))
    return badQuery(`operator ${String(operator)}`);
  if (!Array.isArray(field_values) || field_values.some((v) => typeof v !== 'string'))
    return badQuery('field_values');
  const values = field_values as string[];
  if (!countOk(operator, values.length)) return badQuery('field_values count');
  const type = field.type;
  if (
    operator !== 'IS' &&
    operator !== 'ISN' &&
    type !== 'employee' &&
    values.some((v) => !parses(type, v))
  ) {
    return badQuery(`value for ${field.api_name}`);
  }
  const one = values[0] ?? '';
  const keySet = new Set(values.map((v) => normKey(type, v)));
  const has = (v: unknown): boolean =>
    type === 'employee'
      ? Array.isArray(v) && v.some((e) => keySet.has(String(e)))
      : indexKeys(type, v).some((k) => keySet.has(k));
  const cmp = (v: unknown, w: string) => compare(type, v, w);
  const inner = (v: unknown): boolean => {
    switch (operator) {
      case 'EQ':
        return has(v);
      case 'N':
        return !has(v);
      case 'GT':
        return cmp(v, one) > 0;
      case 'GTE':
        return cmp(v, one) >= 0;
      case 'LT':
        return cmp(v, one) < 0;
      case 'LTE':
        return cmp(v, one) <= 0;
      case 'BETWEEN':
        return cmp(v, one) >= 0 && cmp(v, values[1] ?? '') <= 0;
      case 'NBETWEEN':
        return !(cmp(v, one) >= 0 && cmp(v, values[1] ?? '') <= 0);
      case 'LIKE':
        return String(v).includes(one);
      case 'NLIKE':
        return !String(v).includes(one);
      case 'STARTWITH':
        return String(v).startsWith(one);
      case 'ENDWITH':
        return String(v).endsWith(one);
      case 'IS':
        return false;
      case 'ISN':
        return true;
      case 'IN':
      case 'HASANYOF':
        return has(v);
      case 'NIN':
      case 'NHASANYOF':
        return !has(v);
      case 'CONTAINS':
        return Array.isArray(v) && values.every((x) => v.includes(x));
      default:
        return false;
    }
  };
  return {
    field,
    op: operator,
    values,
    test: (v) => (isEmpty(v) ? EMPTY_MATCHES.has(operator) : inner(v)),
  };
}

interface Order {
  field: FieldDef;
  asc: boolean;
}

function compileOrder(obj: ObjectDef, raw: unknown): Order {
  if (!isObject(raw) || Object.keys(raw).sort().join(',') !== 'fieldName,isAsc')
    return badQuery('order keys');
  const field = typeof raw.fieldName === 'string' ? obj.fields.get(raw.fieldName) : undefined;
  if (!field) return badQuery(`unknown order field ${String(raw.fieldName)}`);
  if (typeof raw.isAsc !== 'boolean') return badQuery('isAsc');
  if (field.type === 'file_attachment') return badQuery('file fields cannot be ordered');
  return { field, asc: raw.isAsc };
}

const asInt = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : null);

export function queryRecords(
  tenant: Tenant,
  family: Family,
  data: Json,
  includeNull: boolean,
): { dataList: Rec[]; total: number; offset: number; limit: number } {
  const api = data.dataObjectApiName;
  if (typeof api !== 'string' || api === '')
    return fail(10006, 'the parameter dataObjectApiName is missing or illegal');
  const obj = resolveObject(tenant, api, family, false);
  const sqi = data.search_query_info;
  if (!isObject(sqi)) return fail(10006, 'the parameter search_query_info is missing or illegal');
  const limit = asInt(sqi.limit);
  if (limit === null || limit < 1 || limit > 100) return badQuery('limit');
  if (typeof sqi.offset === 'number' && sqi.offset > 10000) return fail(10013, 'offset out of range 10000');
  const offset = sqi.offset === undefined ? 0 : asInt(sqi.offset);
  if (offset === null || offset < 0 || offset % limit !== 0) return badQuery('offset');
  for (const key of ['filters', 'orders', 'fieldProjection'] as const) {
    if (sqi[key] !== undefined && !Array.isArray(sqi[key])) badQuery(`${key} must be an array`);
  }
  const filters = ((sqi.filters as unknown[] | undefined) ?? []).map((f) => compileFilter(obj, f));
  const orders = ((sqi.orders as unknown[] | undefined) ?? []).map((o) => compileOrder(obj, o));
  let projection: Set<string> | undefined;
  if (sqi.fieldProjection !== undefined) {
    projection = new Set();
    for (const p of sqi.fieldProjection as unknown[]) {
      if (typeof p !== 'string' || !obj.fields.has(p))
        return badQuery(`unknown projection field ${String(p)}`);
      projection.add(p);
    }
  }
  const withTotal = data.find_explicit_total_num !== false;
  const idField = obj.fields.get('_id') as FieldDef;
  const effective: Order[] =
    orders.length > 0
      ? [...orders, { field: idField, asc: true }]
      : [
          { field: obj.fields.get('create_time') as FieldDef, asc: false },
          { field: idField, asc: true },
        ];
  const byIdOrder = effective[0]?.field.api_name === '_id' && effective[0].asc;

  const store = storeOf(tenant, obj.api_name);
  // Candidates: the smallest EQ/IN index hit, else the `_id` range of the sorted id list.
  let candidates: string[] | null = null;
  for (const f of filters) {
    if ((f.op !== 'EQ' && f.op !== 'IN') || f.field.type === 'file_attachment') continue;
    const ids = new Set<string>();
    if (f.field.api_name === '_id') {
      for (const v of f.values) if (store.byId.has(v)) ids.add(v);
    } else {
      const idx = store.index(f.field.api_name, f.field.type);
      for (const v of f.values) for (const id of idx.get(normKey(f.field.type, v)) ?? []) ids.add(id);
    }
    if (candidates === null || ids.size < candidates.length) candidates = [...ids];
  }
  let lo = 0;
  let hi = store.ids.length;
  const rest: Filter[] = [];
  for (const f of filters) {
    if (f.field.api_name !== '_id' || candidates !== null) {
      rest.push(f);
      continue;
    }
    const v = f.values[0] ?? '';
    if (f.op === 'GT') lo = Math.max(lo, store.lowerBound(v, true));
    else if (f.op === 'GTE') lo = Math.max(lo, store.lowerBound(v));
    else if (f.op === 'LT') hi = Math.min(hi, store.lowerBound(v));
    else if (f.op === 'LTE') hi = Math.min(hi, store.lowerBound(v, true));
    else rest.push(f);
  }
  const ordered = candidates === null || byIdOrder;
  const ids = candidates === null ? null : candidates.sort();
  const at = (i: number): string => (ids ? (ids[i] as string) : (store.ids[lo + i] as string));
  const count = ids ? ids.length : Math.max(0, hi - lo);
  const matches = (rec: Rec) => rest.every((f) => f.test(rec[f.field.api_name]));

  let page: Rec[];
  let total: number;
  if (byIdOrder && ordered) {
    page = [];
    if (rest.length === 0) {
      total = count;
      for (let i = offset; i < Math.min(count, offset + limit); i++) page.push(store.byId.get(at(i)) as Rec);
    } else {
      total = 0;
      for (let i = 0; i < count; i++) {
        const rec = store.byId.get(at(i)) as Rec;
        if (!matches(rec)) continue;
        if (total >= offset && total < offset + limit) page.push(rec);
        total += 1;
        if (!withTotal && total >= offset + limit) break;
      }
    }
  } else {
    const all: Rec[] = [];
    for (let i = 0; i < count; i++) {
      const rec = store.byId.get(at(i)) as Rec;
      if (matches(rec)) all.push(rec);
    }
    all.sort((a, b) => {
      for (const o of effective) {
        const c = orderValues(o.field.type, a[o.field.api_name], b[o.field.api_name]);
        if (c !== 0) return o.asc ? c : -c;
      }
      return 0;
    });
    total = all.length;
    page = all.slice(offset, offset + limit);
  }
  return {
    dataList: page.map((r) => present(tenant, obj, r, includeNull, projection)),
    total: withTotal ? total : 0,
    offset,
    limit,
  };
}
