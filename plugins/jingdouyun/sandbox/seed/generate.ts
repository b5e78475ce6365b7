import { formatDt } from '../time.js';
import type { SeedBody, SeedRecord } from './types.js';

const UNIT_ID = '170000000000000001';

/**
 * Seed bodies for benchmarks: categories, a unit and brands in the first chunk, then `products`
 * products (P000001 …) and `customers` customers (C000001 …), `chunkSize` records per body.
 * The account set must already exist (seed the app/users/account set first, e.g. with demoSeed()).
 * Without `history` every record is created "now" (thousands share one second); with it their
 * create and modify times are spread evenly over [from, to] (epoch ms), like an account set's past.
 */
export function* generateLargeSeed(opts: {
  accountId: string;
  products: number;
  customers: number;
  chunkSize?: number;
  history?: { from: number; to: number };
}): Generator<SeedBody> {
  const chunkSize = opts.chunkSize ?? 2000;
  const { accountId, history } = opts;
  const timeOf = (i: number, n: number): Record<string, string> => {
    if (!history) return {};
    const dt = formatDt(
      history.from + Math.floor(((history.to - history.from) * (i - 1)) / Math.max(1, n - 1)),
    );
    return { create_time: dt, modify_time: dt };
  };
  let chunk: SeedRecord[] = [];
  const push = (entity: string, data: Record<string, unknown>) => {
    chunk.push({ account_id: accountId, entity, data });
  };
  // Numbers and unit names are prefixed so they cannot clash with demo data in the same account set
  // (the CRM matches units by name: a second 件 would be refused as a duplicate link).
  push('bd_measureunits_new', { id: UNIT_ID, number: 'BENCH-U1', name: '压测件', precision: 0 });
  for (let g = 1; g <= 10; g++)
    push('bd_materialgroup', { number: `BENCH-MG${g}`, name: `压测商品分类${g}` });
  for (let g = 1; g <= 5; g++) push('bd_customergroup', { number: `BENCH-CG${g}`, name: `压测客户分类${g}` });
  for (let b = 1; b <= 20; b++) push('bd_brand', { number: `BENCH-B${b}`, name: `压测品牌${b}` });
  yield { records: chunk };
  chunk = [];
  for (let i = 1; i <= opts.products; i++) {
    const n = String(i).padStart(6, '0');
    push('bd_material', {
      number: `P${n}`,
      name: `压测商品${n}`,
      base_unit_id: UNIT_ID,
      parent_number: `BENCH-MG${(i % 10) + 1}`,
      brand_number: `BENCH-B${(i % 20) + 1}`,
      model: `型号-${i % 97}`,
      price_entity: [
        { price_retail_price: String((i % 500) + 9.9), price_trade_price: String((i % 500) + 5) },
      ],
      ...timeOf(i, opts.products),
    });
    if (chunk.length >= chunkSize) {
      yield { records: chunk };
      chunk = [];
    }
  }
  for (let i = 1; i <= opts.customers; i++) {
    const n = String(i).padStart(6, '0');
    push('bd_customer', {
      number: `C${n}`,
      name: `压测客户${n}有限公司`,
      group_number: `BENCH-CG${(i % 5) + 1}`,
      addr: `浙江省杭州市压测路${i}号`,
      contact_persons: [
        {
          contact_person: `联系人${n}`,
          mobile: `139${String(i).padStart(8, '0')}`,
          is_default_linkman: true,
        },
      ],
      ...timeOf(i, opts.customers),
    });
    if (chunk.length >= chunkSize) {
      yield { records: chunk };
      chunk = [];
    }
  }
  if (chunk.length > 0) yield { records: chunk };
}
