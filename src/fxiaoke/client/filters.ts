import { fxUsageError } from './errors.js';

/**
 * The query language of contract §6: filters, orders, projection and paging, checked on our side
 * so a malformed query is a programming error here instead of a 32007/10013 round trip.
 */
export type FilterValue = string | number | boolean;

export type FxOperator =
  | 'EQ'
  | 'N'
  | 'GT'
  | 'GTE'
  | 'LT'
  | 'LTE'
  | 'LIKE'
  | 'NLIKE'
  | 'STARTWITH'
  | 'ENDWITH'
  | 'IS'
  | 'ISN'
  | 'IN'
  | 'NIN'
  | 'BETWEEN'
  | 'NBETWEEN'
  | 'CONTAINS'
  | 'HASANYOF'
  | 'NHASANYOF';

export interface FxFilter {
  field_name: string;
  operator: FxOperator;
  field_values: string[];
}

export interface FxOrder {
  fieldName: string;
  isAsc: boolean;
}

/** `search_query_info` exactly as the CRM reads it (§6.1). */
export interface SearchQueryInfo {
  limit: number;
  offset: number;
  filters?: FxFilter[];
  orders?: FxOrder[];
  fieldProjection?: string[];
}

export const MAX_LIMIT = 100;
export const MAX_OFFSET = 10_000;
export const MAX_IN_VALUES = 500;

/** Values are always strings in an array (§6.2): numbers as decimals, booleans as "true"/"false". */
function text(value: FilterValue): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw fxUsageError(`过滤值 ${value} 不是有限数字`);
    // Plain decimal notation: String(1e21) would be "1e+21", which the CRM does not parse.
    return Number.isInteger(value) ? BigInt(value).toString() : String(value);
  }
  return String(value);
}

function one(field: string, operator: FxOperator, value: FilterValue): FxFilter {
  return { field_name: field, operator, field_values: [text(value)] };
}

function many(field: string, operator: FxOperator, values: readonly FilterValue[], max: number): FxFilter {
  if (values.length < 1 || values.length > max) {
    throw fxUsageError(`${operator} 过滤条件需要 1–${max} 个值，实际 ${values.length} 个`);
  }
  return { field_name: field, operator, field_values: values.map(text) };
}

function range(field: string, operator: FxOperator, lo: FilterValue, hi: FilterValue): FxFilter {
  return { field_name: field, operator, field_values: [text(lo), text(hi)] };
}

/** One builder per operator of §6.2. There is no NE: `n` is "not equal, or empty". */
export const where = {
  eq: (field: string, value: FilterValue) => one(field, 'EQ', value),
  n: (field: string, value: FilterValue) => one(field, 'N', value),
  gt: (field: string, value: FilterValue) => one(field, 'GT', value),
  gte: (field: string, value: FilterValue) => one(field, 'GTE', value),
  lt: (field: string, value: FilterValue) => one(field, 'LT', value),
  lte: (field: string, value: FilterValue) => one(field, 'LTE', value),
  like: (field: string, value: string) => one(field, 'LIKE', value),
  nlike: (field: string, value: string) => one(field, 'NLIKE', value),
  startWith: (field: string, value: string) => one(field, 'STARTWITH', value),
  endWith: (field: string, value: string) => one(field, 'ENDWITH', value),
  // IS/ISN take any number of values and ignore them (§6.2).
  isEmpty: (field: string): FxFilter => ({ field_name: field, operator: 'IS', field_values: [] }),
  isNotEmpty: (field: string): FxFilter => ({ field_name: field, operator: 'ISN', field_values: [] }),
  in: (field: string, values: readonly FilterValue[]) => many(field, 'IN', values, MAX_IN_VALUES),
  nin: (field: string, values: readonly FilterValue[]) => many(field, 'NIN', values, MAX_IN_VALUES),
  between: (field: string, lo: FilterValue, hi: FilterValue) => range(field, 'BETWEEN', lo, hi),
  nbetween: (field: string, lo: FilterValue, hi: FilterValue) => range(field, 'NBETWEEN', lo, hi),
  contains: (field: string, values: readonly string[]) => many(field, 'CONTAINS', values, Infinity),
  hasAnyOf: (field: string, values: readonly string[]) => many(field, 'HASANYOF', values, Infinity),
  nhasAnyOf: (field: string, values: readonly string[]) => many(field, 'NHASANYOF', values, Infinity),
  /** Live records only: invalid (作废) ones stay visible in queries otherwise (§6.2). */
  live: () => one('life_status', 'N', 'invalid'),
};

/** An immutable query: each call returns a new one, so a base query can be shared. */
export class FxQuery {
  private constructor(private readonly info: SearchQueryInfo) {}

  static create(limit = MAX_LIMIT): FxQuery {
    return new FxQuery({ limit: MAX_LIMIT, offset: 0 }).page(limit, 0);
  }

  filter(...filters: FxFilter[]): FxQuery {
    return new FxQuery({ ...this.info, filters: [...(this.info.filters ?? []), ...filters] });
  }

  orderBy(fieldName: string, isAsc = true): FxQuery {
    return new FxQuery({ ...this.info, orders: [...(this.info.orders ?? []), { fieldName, isAsc }] });
  }

  project(...fields: string[]): FxQuery {
    return new FxQuery({ ...this.info, fieldProjection: [...(this.info.fieldProjection ?? []), ...fields] });
  }

  /** limit 1–100; offset a multiple of limit and at most 10 000 (beyond: use FxData.scan). */
  page(limit: number, offset: number): FxQuery {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw fxUsageError(`每页条数 limit 必须是 1–${MAX_LIMIT} 的整数，实际 ${limit}`);
    }
    if (!Number.isInteger(offset) || offset < 0 || offset % limit !== 0) {
      throw fxUsageError(`偏移 offset 必须是 limit 的非负整数倍，实际 ${offset}`);
    }
    if (offset > MAX_OFFSET) {
      throw fxUsageError(`偏移 offset 不能超过 ${MAX_OFFSET}，更深的分页请使用 _id 游标`);
    }
    return new FxQuery({ ...this.info, limit, offset });
  }

  build(): SearchQueryInfo {
    return structuredClone(this.info);
  }
}
