import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ErpDelivery, ErpPayment, ErpProduct } from '../../src/erp/records.js';
import {
  crmDate,
  dateToCrm,
  gmt8Midnight,
  mapCustomerToCrm,
  mapCustomerToErp,
  mapDeliveryNote,
  mapOrderToErp,
  mapPayment,
  mapProduct,
  mapProductCategory,
  mapStock,
  mapUnit,
  pickWarehouse,
} from '../../src/sync/objects/mapping.js';

const product: ErpProduct = {
  id: 'm1',
  number: 'JD0001',
  name: '飞天茅台 53度 500ml',
  categoryId: 'g1',
  unitId: 'u1',
  retailPrice: '1499',
  brandName: '茅台',
  enabled: true,
};

test('product: name is code + space + name, price from the retail price, 上下架 from enabled, brand with the preset', () => {
  const r = mapProduct(product, { categoryId: 'C1', unitId: 'U1', brandPreset: true });
  assert.ok(r.ok);
  assert.deepEqual(r.value, {
    product_code: 'JD0001',
    name: 'JD0001 飞天茅台 53度 500ml',
    category: 'C1',
    unit: 'U1',
    price: '1499.00',
    product_status: { label: '已上架' },
    brand: '茅台',
  });
  const off = mapProduct(
    { ...product, enabled: false, retailPrice: null },
    { categoryId: 'C1', unitId: 'U1', brandPreset: false },
  );
  assert.ok(off.ok);
  assert.equal(off.value.price, '0.00');
  assert.deepEqual(off.value.product_status, { label: '已下架' });
  assert.equal('brand' in off.value, false);
});

test('product: no category fails with that reason; unsynced unit fails', () => {
  const noCat = mapProduct(
    { ...product, categoryId: null },
    { categoryId: null, unitId: 'U1', brandPreset: false },
  );
  assert.ok(!noCat.ok);
  assert.equal(noCat.error.status, 'failed');
  assert.match(noCat.error.reason, /商品类别/);
  const noUnit = mapProduct(product, { categoryId: 'C1', unitId: null, brandPreset: false });
  assert.ok(!noUnit.ok);
  assert.match(noUnit.error.reason, /计量单位/);
});

test('unit label is 组-单位 with a unit group, else the unit name', () => {
  assert.deepEqual(mapUnit({ id: 'u', number: 'U1', name: '支', groupName: '酒' }), {
    ok: true,
    value: { name: '酒-支', unit_code: 'U1' },
  });
  assert.deepEqual(mapUnit({ id: 'u', number: 'U5', name: '件', groupName: null }), {
    ok: true,
    value: { name: '件', unit_code: 'U5' },
  });
});

test('product category: code and name, parent by mapping; an unmapped parent fails, a bad code fails', () => {
  const cat = { id: 'g2', number: 'BJ01', name: '酱香型', parentId: 'g1', remark: '' };
  assert.deepEqual(mapProductCategory(cat, 'P1'), {
    ok: true,
    value: { code: 'BJ01', name: '酱香型', pid: 'P1' },
  });
  assert.equal(mapProductCategory(cat, null).ok, false);
  assert.equal(mapProductCategory({ ...cat, number: '白酒 01', parentId: null }, null).ok, false);
});

test('customer, first run: 详细地址/电话/邮件/备注/负责人 from the ERP customer', () => {
  const r = mapCustomerToCrm(
    {
      id: 'c1',
      number: 'C001',
      name: '上海华联超市有限公司',
      categoryId: 'k1',
      salespersonId: 'e1',
      address: '上海市',
      mobile: '13900000001',
      email: 'a@b.cn',
      remark: '老客户',
    },
    { ownerId: 'FSUID_1', categoryId: 'K1', categoryPreset: true },
  );
  assert.deepEqual(r, {
    ok: true,
    value: {
      name: '上海华联超市有限公司',
      account_no: 'C001',
      address: '上海市',
      tel: '13900000001',
      email: 'a@b.cn',
      remark: '老客户',
      owner: 'FSUID_1',
      categoryId: 'K1',
    },
  });
});

test('stock: 可用库存 ← 可用量, 实际库存 ← 即时库存; skipped until product and warehouse are synced', () => {
  const s = { productId: 'm1', warehouseId: 's1', available: '10.5', actual: '12' };
  assert.deepEqual(mapStock(s, { productId: 'P', warehouseId: 'W' }), {
    ok: true,
    value: { product_id: 'P', warehouse_id: 'W', available_stock: '10.50', real_stock: '12.00' },
  });
  const r = mapStock(s, { productId: null, warehouseId: 'W' });
  assert.ok(!r.ok);
  assert.equal(r.error.status, 'skipped');
});

test('payment: one line per CRM order, amounts to the cent, date = the GMT+8 day it was audited', () => {
  const p: ErpPayment = {
    id: 'r1',
    number: 'SKD-1',
    kind: 'receipt',
    audited: true,
    customerId: 'c1',
    salespersonId: null,
    modifiedAt: Date.parse('2026-03-01T17:30:00Z'), // 01:30 on 2 March in Shanghai
    lines: [
      { orderId: 'o1', orderNumber: 'A', amount: '33.33' },
      { orderId: 'o2', orderNumber: 'B', amount: '66.67' },
      { orderId: 'o3', orderNumber: 'JDY-only', amount: '10' },
    ],
  };
  const r = mapPayment(p, {
    accountId: 'ACC',
    ownerId: 'U',
    crmOrderIds: new Map([
      ['o1', 'X1'],
      ['o2', 'X2'],
    ]),
  });
  assert.ok(r.ok);
  assert.equal(r.value.payment_amount, '100.00');
  assert.deepEqual(r.value.lines, [
    { order_id: 'X1', payment_amount: '33.33' },
    { order_id: 'X2', payment_amount: '66.67' },
  ]);
  assert.equal(r.value.payment_time, Date.parse('2026-03-02T00:00:00+08:00'));
  const none = mapPayment(p, { accountId: 'ACC', ownerId: 'U', crmOrderIds: new Map() });
  assert.ok(!none.ok);
  assert.equal(none.error.status, 'skipped');
});

test('delivery note: the lines of one CRM order, with 发货日期 from the outbound date', () => {
  const d: ErpDelivery = {
    id: 'ob1',
    number: 'XSCK-1',
    audited: true,
    date: '2026-03-05',
    customerId: 'c1',
    salespersonId: 'e1',
    remark: '合并发货',
    lines: [
      { orderId: 'o1', orderNumber: 'A', productId: 'm1', qty: '2', amount: '2998' },
      { orderId: 'o2', orderNumber: 'B', productId: 'm2', qty: '1', amount: '50.5' },
      { orderId: 'o1', orderNumber: 'A', productId: 'm2', qty: '3', amount: '151.5' },
    ],
  };
  const r = mapDeliveryNote(d, 'o1', {
    crmOrderId: 'X1',
    ownerId: 'U',
    crmProductIds: new Map([
      ['m1', 'P1'],
      ['m2', 'P2'],
    ]),
  });
  assert.ok(r.ok);
  assert.equal(r.value.lines.length, 2);
  assert.equal(r.value.total, '3149.5');
  assert.equal(r.value.delivery_date, dateToCrm('2026-03-05'));
});

test('customer to the ERP: waits for a deal; number from 客户编号; the contact is named after the customer', () => {
  const a = { _id: 'A1', name: '杭州联华华商集团', account_no: 'KH0001', tel: '0571-1', email: 'x@y.cn' };
  const waiting = mapCustomerToErp(a, { dealLabel: '未成交', salespersonId: null, categoryId: null });
  assert.ok(!waiting.ok);
  assert.equal(waiting.error.status, 'waiting');
  const r = mapCustomerToErp(a, { dealLabel: '已成交', salespersonId: 'e1', categoryId: null });
  assert.ok(r.ok);
  assert.equal(r.value.number, 'KH0001');
  assert.deepEqual(r.value.contact, { name: '杭州联华华商集团', mobile: '0571-1', email: 'x@y.cn' });
});

test('order to the ERP: approval waits, CRM-only products fail by name, dates in GMT+8', () => {
  const order = {
    _id: 'O1',
    name: '20260301-000001',
    order_time: dateToCrm('2026-03-01'),
    delivery_date: dateToCrm('2026-03-08'),
  };
  const lines = [
    {
      productName: 'JD0001 飞天茅台',
      erpProductId: 'm1',
      quantity: '2.00',
      salesPrice: '1499.00',
      erpWarehouseId: 's1',
    },
  ];
  const refs = {
    lifeStatus: 'normal',
    erpCustomerId: 'c1',
    salespersonId: null,
    deliveryMethod: '客户自提' as const,
    audit: false,
  };
  const r = mapOrderToErp(order, lines, refs);
  assert.ok(r.ok);
  assert.equal(r.value.number, '20260301-000001');
  assert.equal(r.value.date, '2026-03-01');
  assert.deepEqual(r.value.lines[0], {
    productId: 'm1',
    qty: '2',
    price: '1499',
    warehouseId: 's1',
    deliveryDate: '2026-03-08',
  });
  assert.equal(mapOrderToErp(order, lines, { ...refs, lifeStatus: 'under_review' }).ok, false);
  const foreign = mapOrderToErp(
    order,
    [
      ...lines,
      {
        productName: '纷享自建产品',
        erpProductId: null,
        quantity: '1',
        salesPrice: '1',
        erpWarehouseId: null,
      },
    ],
    refs,
  );
  assert.ok(!foreign.ok);
  assert.match(foreign.error.reason, /纷享自建产品/);
});

test('warehouse by name, else the first by lowest code; CRM dates are GMT+8 midnights', () => {
  const ws = [
    { id: 'w3', number: 'CK03', name: '温州分仓', enabled: true },
    { id: 'w1', number: 'CK01', name: '杭州总仓', enabled: true },
  ];
  assert.equal(pickWarehouse('温州分仓', ws), 'w3');
  assert.equal(pickWarehouse('不存在', ws), 'w1');
  assert.equal(pickWarehouse(null, ws), 'w1');
  assert.equal(gmt8Midnight(Date.parse('2026-01-01T16:00:00Z')), Date.parse('2026-01-02T00:00:00+08:00'));
  assert.equal(crmDate(Date.parse('2026-01-01T15:59:59Z')), '2026-01-01');
});
