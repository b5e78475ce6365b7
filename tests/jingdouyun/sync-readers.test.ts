/** The Jingdouyun sync readers on the demo account set (sandbox seeded with demoSeed()). */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal } from '../../src/lib/decimal.js';
import { JDY_APP, JDY_ACCOUNT_SETS } from '../../src/demo/story.js';
import { MemoryTokenStore } from '../../plugins/jingdouyun/client/index.js';
import { jingdouyunPlugin } from '../../plugins/jingdouyun/index.js';
import { DEMO_CONNECTION, readAll, startJdySyncFixture, type JdySyncFixture } from '../helpers/jdy-sync.js';

let fx: JdySyncFixture;

before(async () => {
  fx = await startJdySyncFixture();
});
after(() => fx.close());

const byNumber = <T extends { number: string }>(rows: T[], number: string): T => {
  const row = rows.find((r) => r.number === number);
  assert.ok(row, `${number} not read`);
  return row;
};

test('customer and product categories come with their parents', async () => {
  const customer = (await readAll(fx.adapter.customerCategories.changes(null))).records;
  assert.equal(customer.length, 5);
  assert.deepEqual(byNumber(customer, 'CG0101'), {
    id: await fx.idOf('bd_customergroup', 'CG0101'),
    number: 'CG0101',
    name: '一级经销商',
    parentId: await fx.idOf('bd_customergroup', 'CG01'),
    remark: '',
  });
  assert.equal(byNumber(customer, 'CG01').parentId, null);

  const product = (await readAll(fx.adapter.productCategories.changes(null))).records;
  assert.equal(product.length, 10);
  assert.equal(byNumber(product, 'MG0402').parentId, await fx.idOf('bd_materialgroup', 'MG04'));
  assert.equal(byNumber(product, 'MG03').parentId, null);
  const one = byNumber(product, 'MG0101');
  assert.deepEqual(await fx.adapter.productCategories.get(one.id), one);
  assert.deepEqual(
    await fx.adapter.customerCategories.get(byNumber(customer, 'CG03').id),
    byNumber(customer, 'CG03'),
  );
  assert.equal(await fx.adapter.customerCategories.get('100000000000099999'), null);
});

test('units carry their unit group name (酒-支), or none', async () => {
  const units = (await readAll(fx.adapter.units.changes(null))).records;
  assert.equal(units.length, 6);
  assert.deepEqual(units.map((u) => [u.number, u.name, u.groupName]).sort(), [
    ['U01', '支', '酒'],
    ['U02', '箱', '酒'],
    ['U03', '瓶', '饮料'],
    ['U04', '箱', '饮料'],
    ['U05', '件', null],
    ['U06', '个', null],
  ]);
});

test('products: retail price of the base unit, brand, category, unit, enabled; one detail call each', async () => {
  const before = await fx.control<{ calls: Array<{ seq: number }> }>('GET', '/__sandbox/calls?limit=1');
  const since = before.calls.at(-1)?.seq ?? 0;
  const products = (await readAll(fx.adapter.products.changes(null))).records;
  assert.equal(products.length, 30);
  const details = await fx.control<{ calls: unknown[] }>(
    'GET',
    `/__sandbox/calls?since=${since}&path=${encodeURIComponent('/jdy/v2/bd/material_detail')}`,
  );
  assert.equal(details.calls.length, 30);

  assert.deepEqual(byNumber(products, 'JD0001'), {
    id: await fx.idOf('bd_material', 'JD0001'),
    number: 'JD0001',
    name: '贵州茅台酒 飞天 53度 500ml',
    categoryId: await fx.idOf('bd_materialgroup', 'MG0101'),
    unitId: await fx.idOf('bd_measureunits_new', 'U01'),
    retailPrice: '2999',
    brandName: '茅台',
    enabled: true,
  });
  assert.equal(byNumber(products, 'JD0020').retailPrice, '2');
  assert.equal(byNumber(products, 'JD0022').retailPrice, '6.5');
  const disabled = byNumber(products, 'JD0029');
  assert.equal(disabled.enabled, false);
  const bag = byNumber(products, 'JD0030');
  assert.equal(bag.categoryId, null);
  assert.equal(bag.brandName, null);
  assert.equal(bag.unitId, await fx.idOf('bd_measureunits_new', 'U06'));
  assert.deepEqual(await fx.adapter.products.get(disabled.id), disabled);
  assert.equal(await fx.adapter.products.get('100000000000099999'), null);
});

test('warehouses', async () => {
  const warehouses = (await readAll(fx.adapter.warehouses.changes(null))).records;
  assert.deepEqual(warehouses.map((w) => [w.number, w.name, w.enabled]).sort(), [
    ['WH01', '杭州总仓', true],
    ['WH02', '宁波分仓', true],
    ['WH03', '温州分仓', true],
  ]);
  assert.deepEqual(await fx.adapter.warehouses.get(warehouses[0]!.id), warehouses[0]);
});

test('customers: address, default contact mobile/email, salesperson, category', async () => {
  const customers = (await readAll(fx.adapter.customers.changes(null))).records;
  assert.equal(customers.length, 20);
  assert.deepEqual(byNumber(customers, 'KH0001'), {
    id: await fx.idOf('bd_customer', 'KH0001'),
    number: 'KH0001',
    name: customers.find((c) => c.number === 'KH0001')!.name,
    categoryId: await fx.idOf('bd_customergroup', 'CG02'),
    salespersonId: await fx.idOf('bd_employee', 'EMP003'),
    address: '上海市黄浦区南京东路800号',
    mobile: '13601600001',
    email: 'kh0001@example.cn',
    remark: '',
  });
  assert.equal(byNumber(customers, 'KH0019').salespersonId, null);
  const kh3 = byNumber(customers, 'KH0003');
  assert.deepEqual(await fx.adapter.customers.get(kh3.id), kh3);
});

test('deliveries: the merged outbound gives lines of two orders with their order numbers', async () => {
  const deliveries = (await readAll(fx.adapter.deliveries.changes(null))).records;
  assert.equal(deliveries.length, 1);
  const [delivery] = deliveries;
  const o1 = await fx.idOf('sal_bill_order', 'XSDD-20250303-00001');
  const o2 = await fx.idOf('sal_bill_order', 'XSDD-20250305-00001');
  assert.deepEqual(delivery, {
    id: await fx.idOf('sal_bill_outbound', 'XSCK-20250306-00001'),
    number: 'XSCK-20250306-00001',
    audited: true,
    date: '2025-03-06',
    customerId: await fx.idOf('bd_customer', 'KH0001'),
    salespersonId: await fx.idOf('bd_employee', 'EMP003'),
    remark: '合并出库：XSDD-20250303-00001、XSDD-20250305-00001',
    lines: [
      {
        orderId: o1,
        orderNumber: 'XSDD-20250303-00001',
        productId: await fx.idOf('bd_material', 'JD0001'),
        qty: '6',
        amount: '16194',
      },
      {
        orderId: o1,
        orderNumber: 'XSDD-20250303-00001',
        productId: await fx.idOf('bd_material', 'JD0011'),
        qty: '24',
        amount: '1728',
      },
      {
        orderId: o2,
        orderNumber: 'XSDD-20250305-00001',
        productId: await fx.idOf('bd_material', 'JD0021'),
        qty: '50',
        amount: '1440',
      },
      {
        orderId: o2,
        orderNumber: 'XSDD-20250305-00001',
        productId: await fx.idOf('bd_material', 'JD0020'),
        qty: '24',
        amount: '0',
      },
    ],
  });
  assert.deepEqual(await fx.adapter.deliveries.get(delivery!.id), delivery);
});

test('payments: the receipt split over the orders to the cent, the pre-receipt per order', async () => {
  const payments = (await readAll(fx.adapter.payments.changes(null))).records;
  assert.equal(payments.length, 2);
  const receipt = byNumber(payments, 'SKD-20250315-00001');
  // 10000 settled on an outbound of 17922 (order 1) + 1440 (order 2): 10000 × 17922 / 19362 = 9256.275…
  assert.deepEqual(receipt, {
    id: await fx.idOf('ar_creditbill', 'SKD-20250315-00001'),
    number: 'SKD-20250315-00001',
    kind: 'receipt',
    audited: true,
    customerId: await fx.idOf('bd_customer', 'KH0001'),
    salespersonId: await fx.idOf('bd_employee', 'EMP003'),
    modifiedAt: Date.parse('2025-03-15T10:00:00+08:00'),
    lines: [
      {
        orderId: await fx.idOf('sal_bill_order', 'XSDD-20250303-00001'),
        orderNumber: 'XSDD-20250303-00001',
        amount: '9256.28',
      },
      {
        orderId: await fx.idOf('sal_bill_order', 'XSDD-20250305-00001'),
        orderNumber: 'XSDD-20250305-00001',
        amount: '743.72',
      },
    ],
  });
  const total = receipt.lines.reduce((sum, l) => sum.plus(l.amount), new Decimal(0));
  assert.equal(total.toFixed(), '10000');

  const pre = byNumber(payments, 'YSKD-20250311-00001');
  assert.equal(pre.kind, 'preReceipt');
  assert.equal(pre.audited, true);
  assert.deepEqual(pre.lines, [
    {
      orderId: await fx.idOf('sal_bill_order', 'XSDD-20250310-00001'),
      orderNumber: 'XSDD-20250310-00001',
      amount: '5000',
    },
  ]);
  assert.deepEqual(await fx.adapter.payments.get(receipt.id), receipt);
  assert.deepEqual(await fx.adapter.payments.get(pre.id), pre);
  assert.equal(await fx.adapter.payments.get('100000000000099999'), null);
});

test('stock rows keyed by product and warehouse: available = valid_qty, actual = qty', async () => {
  const stock = (await readAll(fx.adapter.stock.changes(null))).records;
  const rows = await fx.records<{ material_id: string; stock_id: string; qty: string; valid_qty: string }>(
    'inventory',
  );
  assert.equal(stock.length, rows.length);
  const jd1 = await fx.idOf('bd_material', 'JD0001');
  const wh1 = await fx.idOf('bd_store', 'WH01');
  // Seeded 60, 6 out on the audited outbound; 4 still reserved by the audited order 1.
  const row = { productId: jd1, warehouseId: wh1, available: '50', actual: '54' };
  assert.deepEqual(
    stock.find((s) => s.productId === jd1 && s.warehouseId === wh1),
    row,
  );
  assert.deepEqual(await fx.adapter.stock.get(`${jd1}:${wh1}`), row);
  assert.equal(await fx.adapter.stock.get(`${jd1}:100000000000099999`), null);
});

test('the plugin hands out the adapter of a connection', async () => {
  const plugin = jingdouyunPlugin(
    {
      baseUrl: fx.url,
      clientId: JDY_APP.clientId,
      clientSecret: JDY_APP.clientSecret,
      rateLimitPerMinute: 480,
    },
    new MemoryTokenStore(),
    async () => {},
  );
  const adapter = plugin.sync({
    accountId: DEMO_CONNECTION.accountId,
    accountName: JDY_ACCOUNT_SETS.main.accountName,
    secrets: JSON.stringify(DEMO_CONNECTION),
  });
  const id = await fx.idOf('bd_customer', 'KH0001');
  assert.deepEqual(await adapter.customers.findByNumber('KH0001'), { id, number: 'KH0001' });
  assert.equal((await adapter.customers.get(id))?.mobile, '13601600001');
});
