/** The metadata write API of §8 (also used by seeds and ui/field): field and object definitions. */
import {
  addField,
  buildObject,
  customField,
  fieldJson,
  type FieldDef,
  type FieldType,
  type ObjectDef,
} from './describes.js';
import { fail, isObject, type Json } from './errors.js';
import type { Tenant } from './state.js';
import { optionsOf } from './values.js';

const TYPES = new Set<FieldType>([
  'text',
  'long_text',
  'number',
  'currency',
  'date',
  'date_time',
  'select_one',
  'object_reference',
  'file_attachment',
  'true_or_false',
]);
const FIELD_RE = /^[A-Za-z][A-Za-z0-9_]*__c$/;
const OBJECT_RE = /^object_[A-Za-z0-9_]+__c$/;
const OPTION_RE = /^[A-Za-z0-9_]{1,32}$/;

const invalid = (key: string): never => fail(32010, `元数据定义不合法: ${key}`);
const text = (v: unknown, min: number, max: number): v is string =>
  typeof v === 'string' && v.length >= min && v.length <= max;
const intIn = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** Rule 4: a valid definition; `selfApi` may be a target while its object is being created. */
export function parseFieldDef(tenant: Tenant, raw: unknown, selfApi?: string): FieldDef {
  if (!isObject(raw)) return invalid('field');
  const type = raw.type as FieldType;
  if (typeof raw.type !== 'string' || !TYPES.has(type)) return invalid('type');
  const applies: Record<string, boolean> = {
    api_name: true,
    label: true,
    type: true,
    is_required: true,
    help_text: true,
    options: type === 'select_one',
    target_api_name: type === 'object_reference',
    decimal_places: type === 'number' || type === 'currency',
    max_length: type === 'text' || type === 'long_text',
  };
  for (const key of Object.keys(raw)) if (!applies[key]) invalid(key);
  if (!text(raw.api_name, 1, 50) || !FIELD_RE.test(raw.api_name)) return invalid('api_name');
  if (!text(raw.label, 1, 50)) return invalid('label');
  if (raw.is_required !== undefined && typeof raw.is_required !== 'boolean') invalid('is_required');
  const def: FieldDef = customField({
    api_name: raw.api_name,
    label: raw.label,
    type,
    is_required: raw.is_required === true,
  });
  if (type === 'select_one') {
    const opts = raw.options;
    if (!Array.isArray(opts) || opts.length < 1 || opts.length > 100) return invalid('options');
    const labels = new Set<string>();
    const values = new Set<string>();
    def.options = opts.map((o) => {
      if (!isObject(o) || Object.keys(o).sort().join(',') !== 'label,value') return invalid('options');
      if (!text(o.label, 1, 50) || typeof o.value !== 'string' || !OPTION_RE.test(o.value))
        return invalid('options');
      if (labels.has(o.label) || values.has(o.value)) return invalid('options');
      labels.add(o.label);
      values.add(o.value);
      return { label: o.label, value: o.value };
    });
  }
  if (type === 'object_reference') {
    const t = raw.target_api_name;
    if (typeof t !== 'string' || (!tenant.objects.has(t) && t !== selfApi)) return invalid('target_api_name');
    def.target_api_name = t;
  }
  if (type === 'number' || type === 'currency') {
    if (raw.decimal_places !== undefined && !intIn(raw.decimal_places, 0, 6)) invalid('decimal_places');
    def.decimal_places = (raw.decimal_places as number | undefined) ?? 2;
  }
  if (type === 'text' || type === 'long_text') {
    const max = type === 'text' ? 1000 : 20000;
    if (raw.max_length !== undefined && !intIn(raw.max_length, 1, max)) invalid('max_length');
    def.max_length = (raw.max_length as number | undefined) ?? (type === 'text' ? 255 : 4000);
  }
  if (raw.help_text !== undefined) {
    if (!text(raw.help_text, 0, 200)) invalid('help_text');
    def.help_text = raw.help_text as string;
  }
  return def;
}

function checkFieldDuplicate(obj: ObjectDef, def: FieldDef): void {
  if (obj.fields.has(def.api_name)) fail(32009, `字段[${def.api_name}]已存在`);
  for (const f of obj.fields.values()) if (f.label === def.label) fail(32009, `字段标签[${def.label}]已存在`);
}

/** Rules 4–5 then the effect; the object must exist (callers check 32001 / 404 first). */
export function createField(tenant: Tenant, obj: ObjectDef, raw: unknown): FieldDef {
  const def = parseFieldDef(tenant, raw);
  checkFieldDuplicate(obj, def);
  addField(obj, def);
  return def;
}

export function createObject(tenant: Tenant, data: Json): ObjectDef {
  const { api_name, display_name } = data;
  if (typeof api_name !== 'string' || typeof display_name !== 'string') {
    return fail(10006, 'the parameter api_name or display_name is missing or illegal');
  }
  if (api_name.length > 50 || !OBJECT_RE.test(api_name)) return invalid('api_name');
  if (display_name.length < 1 || display_name.length > 50) return invalid('display_name');
  const rawFields = data.fields ?? [];
  if (!Array.isArray(rawFields) || rawFields.length > 100) return invalid('fields');
  const defs = rawFields.map((f) => parseFieldDef(tenant, f, api_name));
  if (new Set(defs.map((d) => d.api_name)).size !== defs.length) invalid('fields.api_name');
  for (const o of tenant.objects.values()) {
    if (o.api_name === api_name) fail(32009, `对象[${api_name}]已存在`);
    if (o.display_name === display_name) fail(32009, `对象名称[${display_name}]已存在`);
  }
  const obj = buildObject(api_name, display_name, [['name', '名称', 'text', { is_required: true }]], {
    remark: false,
    custom: true,
  });
  for (const def of defs) {
    checkFieldDuplicate(obj, def);
    addField(obj, def);
  }
  tenant.objects.set(api_name, obj);
  return obj;
}

export function describeJson(tenant: Tenant, obj: ObjectDef): Json {
  const fields: Json = {};
  for (const f of obj.fields.values()) fields[f.api_name] = fieldJson(f, optionsOf(tenant, obj, f));
  return {
    api_name: obj.api_name,
    display_name: obj.display_name,
    define_type: obj.define_type,
    is_active: true,
    fields,
  };
}

export const fieldDescribe = (tenant: Tenant, obj: ObjectDef, f: FieldDef): Json =>
  fieldJson(f, optionsOf(tenant, obj, f));
