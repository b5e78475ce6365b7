import type { Clock } from '../../lib/clock.js';
import { fxError } from './errors.js';

export interface FxOption {
  label: string;
  value: string;
}

/** A field of a describe (§5.8); unknown keys of the answer are ignored. */
export interface FxField {
  api_name: string;
  label: string;
  type: string;
  define_type: 'system' | 'package' | 'custom';
  is_required: boolean;
  is_unique: boolean;
  is_readonly: boolean;
  is_active: boolean;
  options?: FxOption[];
  target_api_name?: string;
  decimal_places?: number;
  max_length?: number;
  default_value?: unknown;
  help_text?: string;
}

export interface FxDescribeJson {
  api_name: string;
  display_name: string;
  define_type: string;
  is_active: boolean;
  fields: Record<string, FxField>;
}

/** Fields the server fills or that default (§5.3 rules 5 and 10): never "missing" on create. */
const SERVER_FILLED = new Set(['owner']);

/** One object's describe with the look-ups the sync needs. */
export class FxDescribe {
  constructor(readonly json: FxDescribeJson) {}

  get apiName(): string {
    return this.json.api_name;
  }

  field(apiName: string): FxField | undefined {
    return this.json.fields[apiName];
  }

  /** The option value of a select_one field by its label (§12 item 9), or undefined. */
  findOptionValue(fieldApiName: string, label: string): string | undefined {
    return this.field(fieldApiName)?.options?.find((o) => o.label === label)?.value;
  }

  /** A field made by hand may have any `__c` api name: find it by label and type (§8). */
  findField(label: string, type: string): FxField | undefined {
    return Object.values(this.json.fields).find((f) => f.label === label && f.type === type && f.is_active);
  }

  /** Required writable fields without a value in `data` (null, "" and [] count as missing, §5.3). */
  missingRequired(data: Record<string, unknown>): FxField[] {
    return Object.values(this.json.fields).filter(
      (f) =>
        f.is_required &&
        !f.is_readonly &&
        !SERVER_FILLED.has(f.api_name) &&
        f.default_value === undefined &&
        isEmptyValue(data[f.api_name]),
    );
  }
}

const isEmptyValue = (v: unknown): boolean =>
  v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** "字段「客户名称」(name)", the way messages shown to people name a field. */
export const fieldLabel = (f: Pick<FxField, 'label' | 'api_name'>): string =>
  `字段「${f.label}」(${f.api_name})`;

export function unknownOption(describe: FxDescribe, fieldApiName: string, label: string): Error {
  const field = describe.field(fieldApiName);
  const known = field?.options?.map((o) => o.label).join('、') ?? '';
  return fxError({
    code: 'unknown_option',
    errorClass: 'data',
    message: field
      ? `对象 ${describe.apiName} 的${fieldLabel(field)}没有名为「${label}」的选项${known ? `（现有：${known}）` : ''}`
      : `对象 ${describe.apiName} 没有字段 ${fieldApiName}`,
  });
}

const TTL_MS = 10 * 60_000;

/** Describes per (tenant, object) for 10 minutes (§12 item 8), shared by every client of the process. */
export class DescribeCache {
  private readonly entries = new Map<string, { at: number; value: Promise<FxDescribe> }>();

  constructor(private readonly clock: Clock) {}

  get(tenantId: string, apiName: string, load: () => Promise<FxDescribe>): Promise<FxDescribe> {
    const key = `${tenantId}|${apiName}`;
    const hit = this.entries.get(key);
    if (hit && this.clock.now() - hit.at < TTL_MS) return hit.value;
    const value = load();
    this.entries.set(key, { at: this.clock.now(), value });
    // A failed load is not cached.
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  invalidate(tenantId: string, apiName?: string): void {
    for (const key of [...this.entries.keys()]) {
      if (apiName === undefined ? key.startsWith(`${tenantId}|`) : key === `${tenantId}|${apiName}`) {
        this.entries.delete(key);
      }
    }
  }
}
