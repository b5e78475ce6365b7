/** Per-type value checks of §5.11, dynamic options (§5.10, §7.3) and the record read format. */
import { Decimal, fixed } from '../../lib/decimal.js';
import { SYSTEM_USER, type FieldDef, type FieldOption, type ObjectDef } from './describes.js';
import { fail, isObject } from './errors.js';
import { isEmpty, storeOf, type Rec, type Tenant } from './state.js';

const DECIMAL_RE = /^-?\d+(\.\d+)?$/;
const DAY = 86_400_000;
const GMT8 = 8 * 3600 * 1000;

const bad = (f: FieldDef): never => fail(50009, `数据值[${f.label}]类型不正确`);

/** ProductCategoryObj records, ordered by order_field then id (§5.10). */
export function categories(tenant: Tenant): Rec[] {
  const store = storeOf(tenant, 'ProductCategoryObj');
  return [...store.byId.values()].sort((a, b) => {
    const d = Number(a.order_field ?? 0) - Number(b.order_field ?? 0);
    return d !== 0 ? d : String(a._id) < String(b._id) ? -1 : 1;
  });
}

/** Units that are not invalid, ordered by create_time then id (§7.3). */
function units(tenant: Tenant): Rec[] {
  const store = storeOf(tenant, 'UnitInfoObj');
  return [...store.byId.values()]
    .filter((r) => r.life_status !== 'invalid')
    .sort((a, b) => {
      const d = Number(a.create_time) - Number(b.create_time);
      return d !== 0 ? d : String(a._id) < String(b._id) ? -1 : 1;
    });
}

const isDynamicUnit = (obj: ObjectDef, f: FieldDef) =>
  f.api_name === 'unit' && (obj.api_name === 'ProductObj' || obj.api_name === 'SalesOrderProductObj');
const isDynamicCategory = (obj: ObjectDef, f: FieldDef) =>
  f.api_name === 'category' && obj.api_name === 'ProductObj';

export function optionsOf(tenant: Tenant, obj: ObjectDef, f: FieldDef): FieldOption[] {
  if (isDynamicCategory(obj, f))
    return categories(tenant).map((r) => ({ label: String(r.name), value: String(r._id) }));
  if (isDynamicUnit(obj, f))
    return units(tenant).map((r) => ({ label: String(r.name), value: String(r._id) }));
  return f.options ?? [];
}

function isOption(tenant: Tenant, obj: ObjectDef, f: FieldDef, v: string): boolean {
  if (isDynamicCategory(obj, f)) return storeOf(tenant, 'ProductCategoryObj').byId.has(v);
  if (isDynamicUnit(obj, f)) {
    const u = storeOf(tenant, 'UnitInfoObj').byId.get(v);
    return u !== undefined && u.life_status !== 'invalid';
  }
  if (f.writableOptions) return f.writableOptions.includes(v);
  return (f.options ?? []).some((o) => o.value === v);
}

/** Decimal text with exactly `places` fraction digits; at most 14 integer digits and `places` written decimals. */
export function decimalValue(f: FieldDef, raw: unknown): string {
  const places = f.decimal_places ?? 2;
  let text: string;
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return bad(f);
    text = new Decimal(raw).toFixed();
  } else if (typeof raw === 'string' && DECIMAL_RE.test(raw)) text = raw;
  else return bad(f);
  const [intPart = '', frac = ''] = text.replace('-', '').split('.');
  if (intPart.replace(/^0+(?=\d)/, '').length > 14 || frac.length > places) return bad(f);
  const d = new Decimal(text);
  return fixed(d.isZero() ? 0 : d, places);
}

/**
 * Converts a written value to its stored form; `undefined` means "no value" (cleared or absent).
 * Throws 50009, 30027 or 10007.
 */
export function convertValue(tenant: Tenant, obj: ObjectDef, f: FieldDef, raw: unknown): unknown {
  if (raw === null) return undefined;
  if (raw === '' && f.type !== 'text' && f.type !== 'long_text') return bad(f);
  if (Array.isArray(raw) && raw.length === 0 && f.type !== 'file_attachment') return bad(f);
  switch (f.type) {
    case 'text':
    case 'long_text':
      if (typeof raw !== 'string' || raw.length > (f.max_length ?? 255)) return bad(f);
      return raw === '' ? undefined : raw;
    case 'number':
    case 'currency':
      return decimalValue(f, raw);
    case 'date':
      if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || (((raw + GMT8) % DAY) + DAY) % DAY !== 0) {
        return bad(f);
      }
      return raw;
    case 'date_time':
      if (typeof raw !== 'number' || !Number.isSafeInteger(raw)) return bad(f);
      return raw;
    case 'select_one':
      if (typeof raw !== 'string' || !isOption(tenant, obj, f, raw)) return bad(f);
      return raw;
    case 'object_reference': {
      if (typeof raw !== 'string') return bad(f);
      const target = storeOf(tenant, f.target_api_name ?? '').byId.get(raw);
      if (!target || target.life_status === 'invalid') return bad(f);
      return raw;
    }
    case 'employee': {
      if (!Array.isArray(raw) || raw.length !== 1 || typeof raw[0] !== 'string') return bad(f);
      const u = tenant.users.get(raw[0]);
      if (!u || u.isStop) return fail(30027, `员工[${raw[0]}]不存在`);
      return [raw[0]];
    }
    case 'file_attachment': {
      if (!Array.isArray(raw) || raw.length > 20) return bad(f);
      const files = raw.map((e) => {
        if (!isObject(e)) return bad(f);
        const { filename, ext, path, size } = e;
        if (
          typeof filename !== 'string' ||
          filename === '' ||
          typeof ext !== 'string' ||
          typeof path !== 'string'
        ) {
          return bad(f);
        }
        if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return bad(f);
        return { filename, ext, path, size };
      });
      for (const file of files) {
        if (!tenant.filesByNpath.has(file.path)) fail(10007, 'MATERIAL_NOT_EXISTS');
      }
      return files.length === 0 ? undefined : files;
    }
    case 'true_or_false':
      if (typeof raw !== 'boolean') return bad(f);
      return raw;
    default:
      return bad(f);
  }
}

function userRef(tenant: Tenant, id: unknown): { id: string; name: string } | undefined {
  if (id === SYSTEM_USER) return { id: SYSTEM_USER, name: '系统' };
  const u = typeof id === 'string' ? tenant.users.get(id) : undefined;
  return u ? { id: u.openUserId, name: u.name } : undefined;
}

const clone = (v: unknown): unknown => (Array.isArray(v) ? v.map((e) => (isObject(e) ? { ...e } : e)) : v);

/** A stored record in the §5.11 read format, with `__r` companions. */
export function present(
  tenant: Tenant,
  obj: ObjectDef,
  rec: Rec,
  includeNull: boolean,
  projection?: Set<string>,
): Rec {
  const out: Rec = { _id: rec._id };
  for (const f of obj.fields.values()) {
    const key = f.api_name;
    if (key === '_id' || (projection && !projection.has(key))) continue;
    const v = rec[key];
    if (isEmpty(v)) {
      if (includeNull) out[key] = null;
      continue;
    }
    out[key] = clone(v);
    if (f.type === 'object_reference' || f.type === 'master_detail') {
      const target = tenant.stores.get(f.target_api_name ?? '')?.byId.get(String(v));
      if (target && typeof target.name === 'string') out[`${key}__r`] = target.name;
    } else if (f.type === 'employee' && Array.isArray(v)) {
      const r = userRef(tenant, v[0]);
      if (r) out[`${key}__r`] = r;
    }
  }
  return out;
}
