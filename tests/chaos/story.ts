/**
 * The chaos story: a generated company large enough to take minutes to sync, covering every sync
 * object. Phase 1 is seeded in Jingdouyun (categories, units, warehouses, products, customers,
 * stock); phase 2 is entered in the CRM after the first run (customers with one order each, whose
 * lines use synced products); phase 3 is entered in Jingdouyun once those orders arrived there
 * (outbounds of some orders, receipts on some outbounds, pre-receipts on other orders).
 */
import { demoSeed } from '../../plugins/jingdouyun/sandbox/seed/demo.js';
import type { SeedBody, SeedRecord } from '../../plugins/jingdouyun/sandbox/seed/types.js';
import { JDY_ACCOUNT_SETS } from '../../src/demo/story.js';

export const MAIN_ACCOUNT = JDY_ACCOUNT_SETS.main.accountId;

export interface StorySize {
  customerCategories: number;
  productCategories: number;
  units: number;
  warehouses: number;
  products: number;
  customers: number;
  /** (product, warehouse) stock rows. */
  stock: number;
  /** CRM customers, each with one order. */
  crmCustomers: number;
  /** Orders that get an outbound; half of those also get a receipt. */
  outbounds: number;
  /** Orders without an outbound that get a pre-receipt. */
  preReceipts: number;
}

/** About `total` source records in all, in the proportions of a small distributor. */
export function storyOfSize(total: number): StorySize {
  const share = (f: number) => Math.max(2, Math.round(total * f));
  return {
    customerCategories: 6,
    productCategories: 12,
    units: 6,
    warehouses: 4,
    products: share(0.3),
    customers: share(0.22),
    stock: share(0.2),
    crmCustomers: share(0.08),
    outbounds: share(0.04),
    preReceipts: share(0.02),
  };
}

/** How many source records a story has, per sync object (phase 3 counts its parts). */
export function recordsOf(s: StorySize): Record<string, number> {
  return {
    customerCategory: s.customerCategories,
    productCategory: s.productCategories,
    unit: s.units,
    warehouse: s.warehouses,
    product: s.products,
    'customer (JDY → CRM)': s.customers,
    inventory: s.stock,
    'customer (CRM → JDY)': s.crmCustomers,
    salesOrder: s.crmCustomers,
    deliveryNote: s.outbounds,
    payment: Math.ceil(s.outbounds / 2) + s.preReceipts,
  };
}

const pad = (n: number, width = 5) => String(n).padStart(width, '0');
export const productNumber = (i: number) => `XP${pad(i)}`;
const warehouseNumber = (i: number) => `XW${pad(i, 2)}`;

/** The demo app, users, account sets and employees, then the phase-1 master data and stock. */
export function phase1Seed(s: StorySize, modifyTime: string): SeedBody[] {
  const base = demoSeed();
  const employees = base.records!.filter((r) => r.entity === 'bd_employee');
  const empNumbers = employees.map((e) => String(e.data.number));
  const records: SeedRecord[] = [];
  const add = (entity: string, data: Record<string, unknown>) =>
    records.push({ account_id: MAIN_ACCOUNT, entity, data: { ...data, modify_time: modifyTime } });
  for (let i = 1; i <= s.customerCategories; i++) {
    add('bd_customergroup', {
      number: `XCG${pad(i, 2)}`,
      name: `混沌客户分类${i}`,
      ...(i > 2 ? { parent_number: `XCG${pad((i % 2) + 1, 2)}` } : {}),
    });
  }
  for (let i = 1; i <= s.productCategories; i++) {
    add('bd_materialgroup', {
      number: `XMG${pad(i, 2)}`,
      name: `混沌商品分类${i}`,
      ...(i > 3 ? { parent_number: `XMG${pad((i % 3) + 1, 2)}` } : {}),
    });
  }
  const unitIds: string[] = [];
  for (let i = 1; i <= s.units; i++) {
    const id = String(175000000000000000n + BigInt(i));
    unitIds.push(id);
    add('bd_measureunits_new', { id, number: `XU${pad(i, 2)}`, name: `混沌单位${i}`, precision: 0 });
  }
  for (let i = 1; i <= s.warehouses; i++)
    add('bd_store', { number: warehouseNumber(i), name: `混沌仓库${i}` });
  for (let i = 1; i <= s.products; i++) {
    add('bd_material', {
      number: productNumber(i),
      name: `混沌商品${pad(i)}`,
      base_unit_id: unitIds[i % unitIds.length],
      parent_number: `XMG${pad((i % s.productCategories) + 1, 2)}`,
      model: `型号${i % 37}`,
      price_entity: [
        { price_retail_price: String((i % 300) + 20), price_trade_price: String((i % 300) + 10) },
      ],
    });
  }
  for (let i = 1; i <= s.customers; i++) {
    add('bd_customer', {
      number: `XC${pad(i)}`,
      name: `混沌客户${pad(i)}有限公司`,
      group_number: `XCG${pad((i % s.customerCategories) + 1, 2)}`,
      ...(i % 3 ? { saler_number: empNumbers[i % empNumbers.length] } : {}),
      addr: `杭州市混沌路${i}号`,
      contact_persons: [
        { contact_person: `联系人${i}`, mobile: `137${pad(i, 8)}`, is_default_linkman: true },
      ],
    });
  }
  for (let i = 0; i < s.stock; i++) {
    const product = (i % s.products) + 1;
    const warehouse = Math.floor(i / s.products) + 1 + (product % s.warehouses);
    records.push({
      account_id: MAIN_ACCOUNT,
      entity: 'inventory',
      data: {
        material_number: productNumber(product),
        stock_number: warehouseNumber(((warehouse - 1) % s.warehouses) + 1),
        qty: String(500 + (i % 400)),
        modify_time: modifyTime,
      },
    });
  }
  const bodies: SeedBody[] = [{ ...base, records: employees }];
  for (let i = 0; i < records.length; i += 2000) bodies.push({ records: records.slice(i, i + 2000) });
  return bodies;
}

/** A JDY sales order as the sandbox stores it (the parts phase 3 needs). */
export interface JdyOrderRow {
  id: string;
  bill_no: string;
  customer_id: string;
  bill_status?: string;
  total_amount?: string;
  material_entity: Array<{
    id: string;
    material_id: string;
    qty: string;
    price: string;
    stock_id?: string;
    unit_id?: string;
  }>;
}

/**
 * Phase 3: for the first `outbounds` orders an audited outbound of all their lines (every other
 * one settled by a receipt of 1.00), for the next `preReceipts` orders an audited pre-receipt of 1.00.
 */
export function phase3Seed(
  s: StorySize,
  orders: readonly JdyOrderRow[],
  billDate: string,
  empId: string,
): SeedBody {
  const records: SeedRecord[] = [];
  const sorted = [...orders].sort((a, b) => (a.bill_no < b.bill_no ? -1 : 1));
  sorted.slice(0, s.outbounds).forEach((o, i) => {
    const outboundId = String(176000000000000000n + BigInt(i) * 100n);
    records.push({
      account_id: MAIN_ACCOUNT,
      entity: 'sal_bill_outbound',
      data: {
        id: outboundId,
        bill_no: `XCK${pad(i + 1)}`,
        bill_date: billDate,
        customer_id: o.customer_id,
        material_entity: o.material_entity.map((l) => ({
          material_id: l.material_id,
          unit_id: l.unit_id,
          qty: l.qty,
          price: l.price,
          stock_id: l.stock_id,
          src_bill_type_id: 'sal_bill_order',
          src_inter_id: o.id,
          src_entry_id: l.id,
        })),
        bill_status: 'C',
      },
    });
    if (i % 2 === 0) {
      records.push({
        account_id: MAIN_ACCOUNT,
        entity: 'ar_creditbill',
        data: {
          bill_no: `XSK${pad(i + 1)}`,
          bill_date: billDate,
          customer_id: o.customer_id,
          emp_id: empId,
          pay_entry_list: [{ amount: '1', settle_account_id: 'ACCT-ICBC-01' }],
          source_bill_entry_list: [
            { src_bill_type_id: 'sal_bill_outbound', src_bill_id: outboundId, cur_settle_amount: '1' },
          ],
          bill_status: 'C',
        },
      });
    }
  });
  sorted.slice(s.outbounds, s.outbounds + s.preReceipts).forEach((o, i) => {
    records.push({
      account_id: MAIN_ACCOUNT,
      entity: 'ar_precreditbill',
      data: {
        bill_no: `XYS${pad(i + 1)}`,
        dept_id: 'DEPT-SALES-01',
        bill_date: billDate,
        customer_id: o.customer_id,
        emp_id: empId,
        pay_entry_list: [{ amount: '1', settle_account_id: 'ACCT-ICBC-01' }],
        sel_bill_info_entry: [
          { src_bill_type_id: 'sal_bill_order', src_inter_id: o.id, cur_settle_amount: '1' },
        ],
        bill_status: 'C',
      },
    });
  });
  return { records };
}
