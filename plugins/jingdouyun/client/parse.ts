import { canonical, toDecimal } from '../../../src/lib/decimal.js';

/** Decimal fields of every response shape (§5): normalised to canonical strings whatever was sent. */
const DECIMAL_FIELDS = new Set([
  'qty',
  'valid_qty',
  'price',
  'amount',
  'total_amount',
  'out_qty',
  'un_out_qty',
  'real_out_qty',
  'real_un_out_qty',
  'price_retail_price',
  'price_trade_price',
  'price_purchase_price',
  'price_min_sales_price',
  'total_settle_amount',
  'total_discount_amount',
  'total_un_settle_amount',
  'cur_settle_amount',
  'src_bill_amount',
  'settle_amount',
  'un_settle_amount',
]);

/** Id fields: kept as strings (a number would already have lost digits, but a short one is fine). */
const isIdKey = (key: string): boolean => key === 'id' || key.endsWith('_id') || key === 'ids';

export type Json = Record<string, unknown>;
export const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep copy with decimals as canonical strings and ids as strings. */
export function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (!isRecord(value)) return value;
  const out: Json = {};
  for (const [key, v] of Object.entries(value)) {
    if (DECIMAL_FIELDS.has(key) && (typeof v === 'number' || typeof v === 'string') && v !== '') {
      out[key] = canonical(toDecimal(v));
    } else if (isIdKey(key) && typeof v === 'number') {
      out[key] = String(v);
    } else {
      out[key] = normalize(v);
    }
  }
  return out;
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** `yyyy-MM-dd HH:mm:ss` in UTC+8 → epoch ms (§1.3). */
export function dtToMs(dt: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(dt);
  if (!m) throw new TypeError(`not a Jingdouyun time: ${dt}`);
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s) - SHANGHAI_OFFSET_MS;
}

/** epoch ms → `yyyy-MM-dd HH:mm:ss` in UTC+8. */
export function msToDt(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** `count` is a string on bd lists and an integer elsewhere (§4.2). */
export function toCount(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value.trim());
  return 0;
}
