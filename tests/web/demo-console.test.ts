/**
 * The demo console (src/demo/console.ts) against both seeded sandboxes: each action changes the
 * sandbox it names, answers what happened and where to look, and a refusal is said in Chinese.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startDemoConsole, type RunningDemoConsole } from '../../src/demo/console.js';
import type { ConsoleOptions } from '../../src/demo/console-actions.js';
import { DEMO_ADMIN, startSeededSandboxes, type SeededSandboxes } from '../../src/demo/sandboxes.js';
import { FX_TENANTS, JDY_ACCOUNT_SETS } from '../../src/demo/story.js';

type Row = Record<string, unknown>;

let sandboxes: SeededSandboxes;
let demoConsole: RunningDemoConsole;
let options: ConsoleOptions;

async function act(action: string, body: unknown): Promise<{ status: number; json: Row }> {
  const res = await fetch(`${demoConsole.url}/api/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Row };
}

async function crm(objectApiName: string): Promise<Row[]> {
  const q = new URLSearchParams({ corpId: FX_TENANTS.main.corpId, objectApiName });
  return ((await (await fetch(`${sandboxes.fx.url}/__sandbox/records?${q}`)).json()) as { records: Row[] })
    .records;
}

async function jdy(entity: string): Promise<Row[]> {
  const q = new URLSearchParams({ account_id: JDY_ACCOUNT_SETS.main.accountId, entity });
  return ((await (await fetch(`${sandboxes.jdy.url}/__sandbox/records?${q}`)).json()) as { rows: Row[] })
    .rows;
}

const orderId = (billNo: string) => options.jdyOrders.find((o) => o.billNo === billNo)!.id;

before(async () => {
  sandboxes = await startSeededSandboxes({ pluginUrl: 'http://127.0.0.1:9' });
  demoConsole = await startDemoConsole({
    port: 0,
    jdyUrl: sandboxes.jdy.url,
    fxUrl: sandboxes.fx.url,
    adminLink: sandboxes.ssoLink(DEMO_ADMIN.openUserId),
  });
  options = (await (await fetch(`${demoConsole.url}/api/options`)).json()) as ConsoleOptions;
});

after(async () => {
  await demoConsole.close();
  await sandboxes.close();
});

describe('the demo console', () => {
  test('serves its page (Chinese, a form per action, the admin link) and the choices from both sandboxes', async () => {
    const res = await fetch(demoConsole.url);
    const html = await res.text();
    for (const label of [
      '在纷享新建客户',
      '在纷享新建销售订单',
      '在精斗云修改商品',
      '在精斗云审核出库单',
      '在精斗云新增收款',
      '在精斗云调整库存',
    ]) {
      assert.ok(html.includes(label), label);
    }
    assert.ok(html.includes(sandboxes.ssoLink(DEMO_ADMIN.openUserId).replace(/&/g, '&amp;')));
    assert.equal(options.jdyProducts.length, 30);
    assert.ok(options.crmProducts.some((p) => p.code === 'JD0001'));
    assert.ok(options.jdyOrders.some((o) => o.billNo === 'XSDD-20250312-00001' && !o.audited));
    assert.ok(options.crmUsers.some((u) => u.name === DEMO_ADMIN.name));
  });

  test('在纷享新建客户 with a deal: the CRM has the customer (已成交) and its first order', async () => {
    const r = await act('crmCustomer', {
      name: '演示新客户有限公司',
      tel: '0571-1234 5678',
      ownerId: '',
      deal: true,
      productId: '',
    });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.match(String(r.json.message), /已在纷享新建客户“演示新客户有限公司”（客户编号 KH\d+）/);
    assert.match(String(r.json.hint), /同步日志/);
    const account = (await crm('AccountObj')).find((a) => a.name === '演示新客户有限公司');
    assert.ok(account);
    assert.match(String(account.account_no), /^KH\d+$/);
    assert.equal(account.deal_status, '2');
    assert.equal((await crm('SalesOrderObj')).filter((o) => o.account_id === account._id).length, 1);
  });

  test('在纷享新建销售订单: one line of the chosen product', async () => {
    const customer = options.crmCustomers.find((c) => c.name === '北京京客隆商业集团')!;
    const product = options.crmProducts.find((p) => p.code === 'JD0001')!;
    const r = await act('crmOrder', {
      customerId: customer.id,
      productId: product.id,
      quantity: 3,
      price: '120.50',
    });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const orders = (await crm('SalesOrderObj')).filter((o) => o.account_id === customer.id);
    assert.equal(orders.length, 1);
    assert.equal(orders[0]!.order_amount, '361.50');
  });

  test('在精斗云修改商品: the retail price and the category change in Jingdouyun', async () => {
    const material = options.jdyProducts.find((p) => p.number === 'JD0030')!;
    assert.equal(material.category, '');
    const category = options.jdyCategories.find((g) => g.number === 'MG04')!;
    const r = await act('jdyProduct', {
      materialId: material.id,
      retailPrice: '6.5',
      categoryId: category.id,
    });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.match(String(r.json.message), /JD0030 醇香酒业 定制礼品袋 的零售价改为 ¥6\.5，商品类别改为“饮料”/);
    const row = (await jdy('bd_material')).find((m) => m.number === 'JD0030')!;
    assert.equal(row.parent_number, 'MG04');
    assert.equal((row.price_entity as Row[])[0]!.price_retail_price, '6.5');
  });

  test('在精斗云审核出库单: an unaudited order is audited, pushed to an outbound, and the outbound audited', async () => {
    const before = (await jdy('sal_bill_outbound')).length;
    const r = await act('jdyOutbound', { orderId: orderId('XSDD-20250312-00001') });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.match(String(r.json.message), /审核销售订单并把 XSDD-20250312-00001 下推为出库单 XSCK-/);
    const outbounds = await jdy('sal_bill_outbound');
    assert.equal(outbounds.length, before + 1);
    assert.equal(outbounds.at(-1)!.bill_status, 'C');
    const order = (await jdy('sal_bill_order')).find((o) => o.bill_no === 'XSDD-20250312-00001')!;
    assert.equal(order.bill_status, 'C');
    assert.equal(order.io_status, 'C');
  });

  test('在精斗云新增收款: an audited pre-receipt for the order', async () => {
    const r = await act('jdyReceipt', { orderId: orderId('XSDD-20250310-00001'), amount: '800' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const receipt = (await jdy('ar_precreditbill')).find((p) => String(p.bill_no).startsWith('YSKD-DEMO-'));
    assert.ok(receipt);
    assert.equal(receipt.bill_status, 'C');
    assert.equal(receipt.total_amount, '800');
  });

  test('调整库存: the stock of the product in the warehouse is set', async () => {
    const r = await act('jdyStock', { materialNumber: 'JD0002', stockNumber: 'WH03', qty: '321' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const row = (await jdy('inventory')).find(
      (i) => i.material_number === 'JD0002' && i.stock_number === 'WH03',
    );
    assert.equal(row?.qty, '321');
  });

  test('refusals: bad input is named in Chinese (400); what Jingdouyun refuses is said as it came (422)', async () => {
    const bad = await act('jdyStock', { materialNumber: 'JD0002', stockNumber: 'WH03', qty: '-1' });
    assert.equal(bad.status, 400);
    assert.match(String(bad.json.error), /库存数量 格式不正确/);
    const nothing = await act('jdyProduct', {
      materialId: options.jdyProducts[0]!.id,
      retailPrice: '',
      categoryId: '',
    });
    assert.equal(nothing.status, 422);
    assert.match(String(nothing.json.error), /请填写新的零售价或选择商品类别/);
    // XSDD-20250314-00001 has lines without a warehouse: Jingdouyun refuses to push it.
    const refused = await act('jdyOutbound', { orderId: orderId('XSDD-20250314-00001') });
    assert.equal(refused.status, 422);
    assert.match(String(refused.json.error), /^精斗云拒绝了这次修改：/);
  });
});
