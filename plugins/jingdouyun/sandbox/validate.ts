import { Decimal } from '../../../src/lib/decimal.js';
import { isDate } from './time.js';
import type { BaseRec, EntityStore } from './state.js';

/** A G3 business failure (HTTP 200, errcode ≠ 0). */
export class ApiError extends Error {
  constructor(
    readonly errcode: number,
    readonly description: string,
  ) {
    super(`${errcode} ${description}`);
  }
}

export const err = {
  missing: (field: string) => new ApiError(1030002000, `${field}不能为空`),
  type: (field: string) => new ApiError(1030002001, `${field}类型不正确`),
  format: (field: string) => new ApiError(1030002006, `${field}格式不正确`),
  notFound: (label: string, value: string) => new ApiError(1030002003, `${label}[${value}]不存在`),
  disabled: (label: string, value: string) => new ApiError(1030002003, `${label}[${value}]已停用`),
  lineNotFound: (id: string) => new ApiError(1030002003, `分录[${id}]不存在`),
  tooManyLines: (array: string) => new ApiError(1030002005, `${array}行数超出限制，最多500`),
  source: (text: string) => new ApiError(2016043010, text),
};

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

type Presence = { kind: 'absent' } | { kind: 'empty' } | { kind: 'value'; value: unknown };

/** §1.3 hygiene: null = omitted, a blank string = omitted (optional) or missing (required). */
function presence(obj: Json, key: string): Presence {
  const value = obj[key];
  if (value === undefined || value === null) return { kind: 'absent' };
  if (typeof value === 'string' && value.trim() === '') return { kind: 'empty' };
  return { kind: 'value', value };
}

const DEC_RE = /^-?\d+(\.\d+)?$/;
export const MAX_LINES = 500;

/** Length limits of §1.3 by field name. */
function maxLength(key: string): number {
  if (key === 'number' || key === 'bill_no') return 80;
  if (key === 'name') return 200;
  if (key === 'url') return 1000;
  return 500;
}

export interface DecOpts {
  req?: boolean;
  positive?: boolean;
  /** Negative values allowed (seeded inventory quantities). */
  signed?: boolean;
  scale: 2 | 4;
}

/** Reads one object's fields in the order they are asked for; the first failure throws (§3.2). */
export class FieldReader {
  constructor(
    readonly obj: Json,
    private readonly prefix: string,
    private readonly creating: boolean,
  ) {}

  name(key: string): string {
    return this.prefix + key;
  }

  has(key: string): boolean {
    return presence(this.obj, key).kind === 'value';
  }

  private take(key: string, req: boolean): unknown {
    const p = presence(this.obj, key);
    if (p.kind === 'value') return p.value;
    if (req && (p.kind === 'empty' || this.creating)) throw err.missing(this.name(key));
    return undefined;
  }

  str(key: string, req = false): string | undefined {
    const v = this.take(key, req);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw err.type(this.name(key));
    if (Array.from(v).length > maxLength(key)) throw err.format(this.name(key));
    return v;
  }

  /** An `id`-typed value (type check only). */
  id(key: string, req = false): string | undefined {
    const v = this.take(key, req);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw err.type(this.name(key));
    return v;
  }

  dec(key: string, opts: DecOpts): string | undefined {
    const v = this.take(key, opts.req ?? false);
    if (v === undefined) return undefined;
    let d: Decimal;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw err.format(this.name(key));
      d = new Decimal(v);
    } else if (typeof v === 'string') {
      if (!DEC_RE.test(v)) throw err.format(this.name(key));
      d = new Decimal(v);
    } else throw err.type(this.name(key));
    if (d.decimalPlaces() > opts.scale) throw err.format(this.name(key));
    if (opts.positive ? d.lte(0) : !opts.signed && d.lt(0)) throw err.format(this.name(key));
    return d.isZero() ? '0' : d.toFixed();
  }

  int(key: string, req = false): number | undefined {
    const v = this.take(key, req);
    if (v === undefined) return undefined;
    if (typeof v !== 'number') throw err.type(this.name(key));
    if (!Number.isSafeInteger(v)) throw err.format(this.name(key));
    return v;
  }

  bool(key: string, req = false): boolean | undefined {
    const v = this.take(key, req);
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') throw err.type(this.name(key));
    return v;
  }

  date(key: string, req = false): string | undefined {
    const v = this.take(key, req);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw err.type(this.name(key));
    if (!isDate(v)) throw err.format(this.name(key));
    return v;
  }

  oneOf(key: string, values: readonly string[], req = false): string | undefined {
    const v = this.take(key, req);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw err.type(this.name(key));
    if (!values.includes(v)) throw err.format(this.name(key));
    return v;
  }

  /**
   * `x_id|x_number` reference (§1.3, §3.2): x_id wins; texts name x_id. Unknown → 1030002003 (or
   * `notFoundCode` for customers on bills); disabled → 1030002003 `<label>[<value>]已停用`.
   */
  ref<T extends BaseRec & { enable?: string }>(
    idKey: string,
    numberKey: string | null,
    store: EntityStore<T>,
    label: string,
    req = false,
    notFoundCode = 1030002003,
  ): T | undefined {
    const idPresent = presence(this.obj, idKey);
    const numPresent: Presence = numberKey ? presence(this.obj, numberKey) : { kind: 'absent' };
    let rec: T | undefined;
    let shown: string;
    if (idPresent.kind === 'value') {
      if (typeof idPresent.value !== 'string') throw err.type(this.name(idKey));
      shown = idPresent.value;
      rec = store.get(shown);
    } else if (numPresent.kind === 'value') {
      if (typeof numPresent.value !== 'string') throw err.type(this.name(idKey));
      shown = numPresent.value;
      rec = store.byNumber.get(shown);
    } else {
      const empty = idPresent.kind === 'empty' || numPresent.kind === 'empty';
      if (req && (empty || this.creating)) throw err.missing(this.name(idKey));
      return undefined;
    }
    if (!rec) throw new ApiError(notFoundCode, `${label}[${shown}]不存在`);
    if (rec.enable === '0') throw err.disabled(label, shown);
    return rec;
  }

  /** A line array: not an array → type; present but empty and required → missing; > 500 → 1030002005. */
  lines(key: string, req = false): Json[] | undefined {
    const v = this.take(key, req);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) throw err.type(this.name(key));
    if (v.length === 0) {
      if (req) throw err.missing(this.name(key));
      return [];
    }
    if (v.length > MAX_LINES) throw err.tooManyLines(this.name(key));
    v.forEach((line, i) => {
      if (!isObject(line)) throw err.type(`${this.name(key)}[${i}]`);
    });
    return v as Json[];
  }

  /** `[{url}]` attachment lists (§7): any URL string is accepted. */
  urls(key: string): string[] | undefined {
    const list = this.lines(key);
    return list?.map((item, i) => new FieldReader(item, `${this.name(key)}[${i}].`, true).str('url', true)!);
  }
}

/** Step 1 of §3.2 for any record: `id` type, existence. */
export function targetOf<T extends BaseRec>(body: Json, store: EntityStore<T>, label: string): T | null {
  const p = presence(body, 'id');
  if (p.kind !== 'value') return null;
  if (typeof p.value !== 'string') throw err.type('id');
  const rec = store.get(p.value);
  if (!rec) throw err.notFound(label, p.value);
  return rec;
}

/** A line's `id` must name a stored line of this record (§3.2 step 3). */
export function lineId(r: FieldReader, existing: ReadonlySet<string>): string | null {
  const id = r.id('id');
  if (id === undefined) return null;
  if (!existing.has(id)) throw err.lineNotFound(id);
  return id;
}

export const dec = (v: string): Decimal => new Decimal(v);
export const canon = (d: Decimal): string => (d.isZero() ? '0' : d.toFixed());
export const round2 = (d: Decimal): Decimal => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
