/**
 * The sync engine proof: the demo story end to end, through the plugin's HTTP API, against both
 * sandboxes and the real database (sync-rules §2, §3, §5, §6).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_ADMIN, demoOpenUserId } from '../../src/demo/sandboxes.js';
import { FX_TENANTS, SHARED_CUSTOMER_NAMES } from '../../src/demo/story.js';
import { msToDt } from '../../plugins/jingdouyun/client/index.js';
import { SYNC_JOBS } from '../../src/sync/service.js';
import { MAIN as JDY_MAIN } from '../helpers/jdy-sync.js';
import { startStack, waitFor, crmUserOfJdyNumber, type Json, type Session, type Stack } from './stack.js';

let s: Stack;
let admin: Session;

const byField = (rows: Json[], field: string, value: unknown): Json => {
  const row = rows.find((r) => r[field] === value);
  assert.ok(row, `no record with ${field} = ${String(value)}`);
  return row;
};
const live = (rows: Json[]) => rows.filter((r) => r.life_status !== 'invalid');

/** CRM ids of synced things, read once after the first run. */
const crm = {
  product: new Map<string, string>(),
  warehouse: new Map<string, string>(),
  account: new Map<string, string>(),
};

async function loadCrmIds(): Promise<void> {
  for (const p of live(await s.fx.records('ProductObj')))
    crm.product.set(String(p.product_code), String(p._id));
  for (const w of live(await s.fx.records('WarehouseObj')))
    crm.warehouse.set(String(w.number), String(w._id));
  for (const a of live(await s.fx.records('AccountObj'))) crm.account.set(String(a.name), String(a._id));
}

/** The value of a select_one option, by label, as the plugin's CRM client reads the describe. */
async function option(apiName: string, field: string, label: string): Promise<string> {
  const tenant = await s.plugin.ctx.repos.tenants.findById(admin.tenantId);
  assert.ok(tenant);
  return s.plugin.ctx.fx.client(tenant, admin.openUserId).data.optionValue(apiName, field, label);
}

/** The sync record of a source record (GET /api/records/:id), or null while there is none. */
async function recordOf(object: string, direction: string, sourceId: string): Promise<RecordDetail | null> {
  const r = await s.api<RecordDetail>(
    admin,
    'GET',
    `/api/records/${encodeURIComponent(`${admin.tenantId}:${object}:${direction}:${sourceId}`)}`,
  );
  if (r.status === 404) return null;
  assert.equal(r.status, 200, `GET record ${sourceId}`);
  return r.json;
}

interface RecordDetail {
  id: string;
  status: string;
  reason: string | null;
  errorClass: string | null;
  targetId: string | null;
  nextRetryAt: string | null;
  attempts: Array<{ request: unknown; error: string | null }>;
}

/** A wait whose timeout says what the sync leases and jobs were doing. */
const explained = <T>(wait: Promise<T>): Promise<T> =>
  wait.catch(async (error: unknown) => {
    throw new Error(`${String(error)} ${await s.diagnose()}`);
  });

const waitRecord = (object: string, direction: string, sourceId: string, status: string) =>
  explained(
    waitFor(`${object} ${sourceId} ${status}`, async () => {
      const r = await recordOf(object, direction, sourceId);
      return r?.status === status ? r : null;
    }),
  );

/** The order's 同步状态 reaching `label` (the plugin writes it in the background). */
const waitSyncStatus = async (orderId: string, label: '已同步' | '未同步') => {
  const value = await option('SalesOrderObj', 'sync_status__c', label);
  return explained(
    waitFor(`order ${orderId} 同步状态 ${label}`, async () => {
      const row = (await s.fx.records('SalesOrderObj')).find((o) => o._id === orderId);
      return row?.sync_status__c === value ? row : null;
    }),
  );
};

/** A CRM order made by a person in the CRM (sends its change event). */
async function crmOrder(
  accountName: string,
  lines: Json[],
  extra: Json = {},
  operatorId?: string,
): Promise<string> {
  const res = await s.fx.ui('create', {
    ...(operatorId ? { operatorId } : {}),
    objectApiName: 'SalesOrderObj',
    object_data: {
      account_id: crm.account.get(accountName),
      order_time: Date.parse('2025-04-01T00:00:00+08:00'),
      ...extra,
    },
    details: { SalesOrderProductObj: lines },
  });
  return String(res.dataId);
}

const line = (code: string, quantity: string, price: string, warehouse?: string): Json => ({
  product_id: crm.product.get(code),
  quantity,
  sales_price: price,
  ...(warehouse ? { warehouse__c: crm.warehouse.get(warehouse) } : {}),
});

const jdyDetail = (entity: string, id: string): Promise<Json> => s.jdy.row(entity, id);

/** CRM order ids synced to JDY by the tests above, for the JDY → CRM bills. */
const orders: string[] = [];

/** The JDY outbound delivering both CRM orders, and the receipt paying it. */
const bills = { outbound: '', receipt: '' };

const MAIN_CORP = FX_TENANTS.main.corpId;
const fxFault = (body: Json) => s.fx.ctl('/faults', { corpId: MAIN_CORP, times: 1, ...body });
const jdyFault = (body: Json) => s.jdy.ctl('POST', '/faults', { count: 1, ...body });

/** Seeds a JDY product (optionally with its modify time) and answers its id. */
async function jdyProduct(number: string, extra: Json = {}): Promise<string> {
  const seeded = await s.jdy.ctl<{ ids: string[] }>('POST', '/seed', {
    records: [
      {
        account_id: JDY_MAIN,
        entity: 'bd_material',
        data: {
          number,
          name: `测试商品 ${number}`,
          base_unit_id: await s.jdy.idOf('bd_measureunits_new', 'U01'),
          parent_number: 'MG03',
          price_entity: [{ price_retail_price: '10' }],
          ...extra,
        },
      },
    ],
  });
  return seeded.ids[0]!;
}

/** Live CRM records per object, to compare before and after. */
async function crmCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const api of [
    'ProductObj',
    'UnitInfoObj',
    'WarehouseObj',
    'AccountObj',
    'DeliveryNoteObj',
    'PaymentObj',
    'StockObj',
    'object_customer_category__c',
  ]) {
    out[api] = live(await s.fx.records(api)).length;
  }
  out.ProductCategoryObj = (await s.fx.records('ProductCategoryObj')).length;
  out.jdyCustomers = (await s.jdy.rows('bd_customer')).length;
  out.jdyOrders = (await s.jdy.rows('sal_bill_order')).length;
  return out;
}

before(async () => {
  s = await startStack('e2e_story');
  admin = await s.signIn(DEMO_ADMIN.openUserId);
  await s.connectJdy(admin);
  // EMP003 张伟 and EMP005 陈静 are bound; the others fall back to the default owner.
  await s.bind(admin, ['EMP003', 'EMP005']);
  const ctx = s.plugin.ctx;
  await ctx.repos.settings.update(
    admin.tenantId,
    { schedule: { mode: 'timed', intervalMinutes: 60, inventoryIntervalMinutes: 60, window: null } },
    new Date(s.clock.now()),
  );
  await ctx.sync.scheduleTenant(admin.tenantId);
  for (const key of ['brand', 'warehouse', 'customerCategory'] as const) {
    assert.equal(await ctx.setup.enablePreset(admin.tenantId, key, admin.openUserId), 'enabled');
  }
  await s.hookEvents(admin);
  // The seeded records become readable once they are older than the readers' 5 s lag.
  await s.advance(10_000);
});

after(async () => {
  await s?.close();
});

describe('first run', () => {
  test('imports categories, units, brands, warehouses, products and customers with the values of the rules', async () => {
    const run = await s.run(admin);
    assert.equal(run.status, 'completed_with_errors', JSON.stringify(run));

    // 产品分类: code = JDY code, parent = the mapped JDY parent; every category, used or not.
    const categories = await s.fx.records('ProductCategoryObj');
    assert.equal(categories.length, 10);
    const mg0101 = byField(categories, 'code', 'MG0101');
    assert.equal(mg0101.name, '酱香型白酒');
    assert.equal(mg0101.pid, byField(categories, 'code', 'MG01')._id);

    // 单位: 单位组-单位, else the unit name; every unit.
    const units = live(await s.fx.records('UnitInfoObj'));
    assert.deepEqual(
      units.map((u) => u.name).sort(),
      ['个', '件', '酒-支', '酒-箱', '饮料-瓶', '饮料-箱'].sort(),
    );

    // 仓库 (preset): 编码, 名称, 启用.
    const warehouses = live(await s.fx.records('WarehouseObj'));
    assert.deepEqual(
      warehouses.map((w) => `${String(w.number)} ${String(w.name)} ${String(w.is_enable)}`).sort(),
      ['WH01 杭州总仓 true', 'WH02 宁波分仓 true', 'WH03 温州分仓 true'],
    );

    // 客户分类 (preset): 编号, 名称, 上级分类.
    const customerCategories = await s.fx.records('object_customer_category__c');
    assert.equal(customerCategories.length, 5);
    const cg0101 = byField(customerCategories, 'category_no__c', 'CG0101');
    assert.equal(cg0101.name, '一级经销商');
    assert.equal(cg0101.parent_id__c, byField(customerCategories, 'category_no__c', 'CG01')._id);

    // 产品: 编码 名称, category, 单位组-单位, retail price, brand; the CRM product with the same code is linked.
    const products = live(await s.fx.records('ProductObj'));
    assert.equal(products.length, 29, 'JD0030 has no category and fails; JD0001 is linked, not duplicated');
    const jd1 = byField(products, 'product_code', 'JD0001');
    assert.equal(jd1.name, 'JD0001 贵州茅台酒 飞天 53度 500ml');
    assert.equal(jd1.price, '2999.00');
    assert.equal(jd1.category, mg0101._id);
    assert.equal(jd1.unit, byField(units, 'name', '酒-支')._id);
    assert.equal(jd1.brand__c, '茅台');
    assert.equal(jd1.product_status, '1', '已上架');
    const jd21 = byField(products, 'product_code', 'JD0021');
    assert.equal(jd21.unit, byField(units, 'name', '饮料-箱')._id);
    assert.equal(jd21.price, '36.00');
    assert.equal(byField(products, 'product_code', 'JD0029').product_status, '2', 'disabled in JDY → 已下架');
    const [noCategory] = await s.records(admin, { object: 'product', status: 'failed' });
    assert.equal(noCategory?.sourceKey, 'JD0030');
    assert.match(noCategory.reason ?? '', /没有商品类别/);
    assert.equal(noCategory.errorClass, 'data');

    // 客户: shared names linked without writing; the others created, owners from the bindings.
    const accounts = live(await s.fx.records('AccountObj'));
    assert.equal(accounts.length, 4 + 18);
    for (const name of SHARED_CUSTOMER_NAMES) {
      const shared = byField(accounts, 'name', name);
      assert.equal(shared.tel, '021-5555 0000', 'a linked CRM customer is not written');
    }
    const kh3 = byField(accounts, 'name', '杭州西湖名酒经营部');
    assert.equal(kh3.account_no, 'KH0003');
    assert.equal(kh3.address, '杭州市西湖区文三路259号');
    assert.equal(kh3.tel, '13857100003');
    assert.equal(kh3.email, 'kh0003@example.cn');
    assert.equal(kh3.customer_category__c, cg0101._id);
    assert.deepEqual(kh3.owner, [DEMO_ADMIN.openUserId], 'EMP004 is not bound: the default owner');
    const kh4 = byField(accounts, 'name', '宁波甬港酒类批发有限公司');
    assert.deepEqual(kh4.owner, [crmUserOfJdyNumber('EMP005').openUserId], 'EMP005 is bound to 陈静');
    const customerRecords = await s.records(admin, { object: 'customer', direction: 'jdy_to_crm' });
    assert.equal(customerRecords.length, 20);
    assert.ok(customerRecords.every((r) => r.status === 'synced'));
    assert.match(
      byField(customerRecords as unknown as Json[], 'sourceKey', 'KH0003').reason as string,
      /默认负责人/,
    );
    assert.equal(byField(customerRecords as unknown as Json[], 'sourceKey', 'KH0004').reason, null);

    // The seeded bills pay and deliver JDY's own orders: logged as skipped with the rule, not dropped.
    const seededBills = await s.records(admin, { status: 'skipped' });
    assert.deepEqual(seededBills.map((r) => `${r.object} ${r.sourceKey} ${String(r.reason)}`).sort(), [
      'deliveryNote XSCK-20250306-00001 出库单中没有来自纷享的销售订单',
      'payment SKD-20250315-00001 该收款没有核销来自纷享的销售订单',
      'payment YSKD-20250311-00001 该收款没有核销来自纷享的销售订单',
    ]);

    // 库存 after products, warehouses and customers: 可用库存 and 实际库存 per (product, warehouse).
    const stock = live(await s.fx.records('StockObj'));
    const jdyStock = await s.jdy.rows('inventory');
    assert.equal(stock.length, jdyStock.length);
  });
});

describe('CRM → JDY', () => {
  const zhangWei = crmUserOfJdyNumber('EMP003').openUserId;
  let newAccountId = '';

  before(loadCrmIds);

  test('a customer without a deal waits, then gets a deal and syncs with its primary contact', async () => {
    const created = await s.fx.ui('create', {
      operatorId: zhangWei,
      objectApiName: 'AccountObj',
      object_data: {
        name: '杭州钱塘新酒行',
        account_no: 'KH9001',
        tel: '13900009001',
        email: 'qt@example.cn',
        address: '杭州市钱塘区1号',
      },
    });
    newAccountId = String(created.dataId);
    const waiting = await waitRecord('customer', 'crm_to_jdy', newAccountId, 'waiting');
    assert.match(waiting.reason ?? '', /等待成交/);
    assert.equal(
      (await s.jdy.rows('bd_customer')).some((c) => c.number === 'KH9001'),
      false,
    );

    // An order gives it a deal (成交状态 is derived by the CRM): the customer syncs, then the order.
    crm.account.set('杭州钱塘新酒行', newAccountId);
    const orderId = await crmOrder('杭州钱塘新酒行', [line('JD0002', '2', '258')], {}, zhangWei);
    const synced = await waitRecord('customer', 'crm_to_jdy', newAccountId, 'synced');
    const customer = await jdyDetail('bd_customer', String(synced.targetId));
    assert.equal(customer.number, 'KH9001');
    assert.equal(customer.name, '杭州钱塘新酒行');
    assert.equal(customer.addr, '杭州市钱塘区1号');
    assert.equal(customer.saler_id, await s.jdy.idOf('bd_employee', 'EMP003'));
    const contacts = customer.bomentity as Json[];
    assert.equal(contacts.length, 1);
    assert.deepEqual(
      [contacts[0]!.contact_person, contacts[0]!.mobile, contacts[0]!.email, contacts[0]!.is_default_linkman],
      ['杭州钱塘新酒行', '13900009001', 'qt@example.cn', true],
    );
    await waitRecord('salesOrder', 'crm_to_jdy', orderId, 'synced');

    // A later CRM edit updates the JDY customer by its id: number kept, the plugin's contact primary again.
    await s.fx.ui('update', {
      objectApiName: 'AccountObj',
      object_data: { _id: newAccountId, tel: '13900009002', name: '杭州钱塘新酒行（总店）' },
    });
    await waitFor('customer update in JDY', async () => {
      const c = await jdyDetail('bd_customer', String(synced.targetId));
      return c.name === '杭州钱塘新酒行（总店）' ? c : null;
    });
    const updated = await jdyDetail('bd_customer', String(synced.targetId));
    assert.equal(updated.number, 'KH9001');
    const updatedContacts = updated.bomentity as Json[];
    assert.equal(updatedContacts.length, 1);
    assert.equal(updatedContacts[0]!.mobile, '13900009002');
    assert.equal(updatedContacts[0]!.is_default_linkman, true);
    assert.equal((await s.jdy.rows('bd_customer')).filter((c) => c.number === 'KH9001').length, 1);
  });

  test('an order with an attachment syncs with the file, its warehouses and delivery method; 同步状态 becomes 已同步', async () => {
    const content = Buffer.from('%PDF-1.4 醇香酒业 购销合同');
    const seeded = await s.fx.ctl<{ files: Array<{ npath: string }> }>('/seed', {
      files: [
        {
          corpId: FX_TENANTS.main.corpId,
          filename: '购销合同.pdf',
          contentBase64: content.toString('base64'),
          type: 'document',
        },
      ],
    });
    const npath = seeded.files[0]!.npath;
    const orderId = await crmOrder(
      '杭州西湖名酒经营部',
      [line('JD0002', '3', '258', 'WH02'), line('JD0011', '12', '72')],
      {
        remark: '清明备货',
        delivery_date: Date.parse('2025-04-05T00:00:00+08:00'),
        delivery_method__c: await option('SalesOrderObj', 'delivery_method__c', '车辆配送'),
        attachment_sync__c: [{ filename: '购销合同.pdf', ext: 'pdf', path: npath, size: content.length }],
      },
      zhangWei,
    );
    const record = await waitRecord('salesOrder', 'crm_to_jdy', orderId, 'synced');
    const [crmOrderRow] = (await s.fx.records('SalesOrderObj')).filter((o) => o._id === orderId);
    const order = await jdyDetail('sal_bill_order', String(record.targetId));
    assert.equal(order.bill_no, crmOrderRow!.name, 'JDY 单据编号 = CRM 销售订单编号');
    assert.equal(order.customer_id, await s.jdy.idOf('bd_customer', 'KH0003'));
    assert.equal(order.emp_id, await s.jdy.idOf('bd_employee', 'EMP003'));
    assert.equal(order.delivery_type_id, '8');
    assert.equal(order.remark, '清明备货');
    assert.equal(order.bill_date, '2025-04-01');
    const lines = order.material_entity as Json[];
    assert.deepEqual(
      lines.map((l) => [l.material_id, l.qty, l.price, l.stock_id, l.delivery_date]),
      [
        [
          await s.jdy.idOf('bd_material', 'JD0002'),
          '3',
          '258',
          await s.jdy.idOf('bd_store', 'WH02'),
          '2025-04-05',
        ],
        [
          await s.jdy.idOf('bd_material', 'JD0011'),
          '12',
          '72',
          await s.jdy.idOf('bd_store', 'WH01'),
          '2025-04-05',
        ],
      ],
    );
    const [attachment] = order.attachments_url as Array<{ url: string }>;
    assert.ok(attachment);
    assert.deepEqual(Buffer.from(await (await fetch(attachment.url)).arrayBuffer()), content);
    await waitSyncStatus(orderId, '已同步');
    orders.push(orderId);
  });

  test('an order with a product that did not come from JDY fails naming the product', async () => {
    const product = await s.fx.ui('create', {
      objectApiName: 'ProductObj',
      object_data: { name: '纷享自建礼盒', price: '99', product_status: '1' },
    });
    crm.product.set('CRM-ONLY', String(product.dataId));
    const orderId = await crmOrder('杭州西湖名酒经营部', [
      line('JD0002', '1', '258'),
      line('CRM-ONLY', '1', '99'),
    ]);
    const failed = await waitRecord('salesOrder', 'crm_to_jdy', orderId, 'failed');
    assert.match(failed.reason ?? '', /纷享自建礼盒/);
    assert.equal(failed.errorClass, 'data');
    await waitSyncStatus(orderId, '未同步');
  });

  test('an order whose JDY product reached the CRM but was never linked links that product first, then syncs', async () => {
    // As after a crash (or a passing failure) between creating the CRM product and storing its link.
    const { mappings } = s.plugin.ctx.repos;
    const erpId = await s.jdy.idOf('bd_material', 'JD0002');
    const crmId = crm.product.get('JD0002')!;
    assert.ok(await mappings.forget(admin.tenantId, 'product', erpId));
    const orderId = await crmOrder('杭州西湖名酒经营部', [line('JD0002', '1', '258')]);
    const record = await waitRecord('salesOrder', 'crm_to_jdy', orderId, 'synced');
    const [orderLine] = (await jdyDetail('sal_bill_order', String(record.targetId)))
      .material_entity as Json[];
    assert.equal(orderLine!.material_id, erpId);
    assert.equal((await mappings.byCrmId(admin.tenantId, 'product', crmId))?.erpId, erpId);
    const products = live(await s.fx.records('ProductObj')).filter((p) => p.product_code === 'JD0002');
    assert.deepEqual(
      products.map((p) => p._id),
      [crmId],
    );
  });

  test('a second order of the same customer syncs; both are ready for one merged outbound', async () => {
    const orderId = await crmOrder('杭州西湖名酒经营部', [line('JD0003', '2', '1199', 'WH02')], {
      delivery_method__c: await option('SalesOrderObj', 'delivery_method__c', '客户自提'),
    });
    const record = await waitRecord('salesOrder', 'crm_to_jdy', orderId, 'synced');
    assert.equal((await jdyDetail('sal_bill_order', String(record.targetId))).delivery_type_id, '9');
    orders.push(orderId);
  });

  test('a warehouse added in JDY after orders went out is found by name on the next order', async () => {
    // The orders above left the JDY warehouse list remembered in the plugin process.
    await s.jdy.ctl('POST', '/seed', {
      records: [{ account_id: JDY_MAIN, entity: 'bd_store', data: { number: 'WH09', name: '滨江新仓' } }],
    });
    await s.advance(6_000);
    await s.run(admin, ['warehouse']);
    await loadCrmIds();
    const orderId = await crmOrder('杭州西湖名酒经营部', [line('JD0002', '1', '258', 'WH09')]);
    const record = await waitRecord('salesOrder', 'crm_to_jdy', orderId, 'synced');
    const [orderLine] = (await jdyDetail('sal_bill_order', String(record.targetId)))
      .material_entity as Json[];
    assert.equal(orderLine!.stock_id, await s.jdy.idOf('bd_store', 'WH09'));
  });
});

describe('JDY → CRM bills', () => {
  before(async () => {
    const jdyOrders = [];
    for (const crmId of orders)
      jdyOrders.push(String((await recordOf('salesOrder', 'crm_to_jdy', crmId))!.targetId));
    await s.jdy.client.operate('sal_bill_order', 'audit', { ids: jdyOrders });
    const pushed = await s.jdy.client.pushOrdersToOutbounds(jdyOrders, true);
    assert.equal(pushed.outboundIds.length, 1, 'one outbound merges both orders');
    bills.outbound = pushed.outboundIds[0]!;
    await s.jdy.client.operate('sal_bill_outbound', 'audit', { ids: [bills.outbound] });
    await s.advance(6_000);
  });

  test('an audited outbound merging two CRM orders → two delivery notes with their lines and totals', async () => {
    // A line's product left unlinked (a crash after its CRM create) is linked first, not failed.
    const jd3 = await s.jdy.idOf('bd_material', 'JD0003');
    assert.ok(await s.plugin.ctx.repos.mappings.forget(admin.tenantId, 'product', jd3));
    const run = await s.run(admin, ['deliveryNote']);
    assert.equal(run.counts.created, 2, JSON.stringify(run));
    const outbound = await jdyDetail('sal_bill_outbound', bills.outbound);
    const notes = live(await s.fx.records('DeliveryNoteObj'));
    assert.equal(notes.length, 2);
    const noteLines = await s.fx.records('DeliveryNoteProductObj');
    const summary = notes
      .map((n) => ({
        order: n.sales_order_id,
        account: n.account_id,
        owner: n.owner,
        date: n.delivery_date,
        total: n.total_delivery_money,
        remark: n.remark,
        lines: noteLines
          .filter((l) => l.delivery_note_id === n._id)
          .map((l) => [l.product_id, l.delivery_num, l.delivery_money])
          .sort(),
      }))
      .sort((a, b) => orders.indexOf(String(a.order)) - orders.indexOf(String(b.order)));
    const common = {
      account: crm.account.get('杭州西湖名酒经营部'),
      owner: [crmUserOfJdyNumber('EMP003').openUserId],
      date: Date.parse(`${String(outbound.bill_date)}T00:00:00+08:00`),
    };
    assert.deepEqual(
      summary.map(({ remark, ...rest }) => rest),
      [
        {
          order: orders[0],
          ...common,
          total: '1638.00',
          lines: [
            [crm.product.get('JD0002'), '3.00', '774.00'],
            [crm.product.get('JD0011'), '12.00', '864.00'],
          ].sort(),
        },
        {
          order: orders[1],
          ...common,
          total: '2398.00',
          lines: [[crm.product.get('JD0003'), '2.00', '2398.00']],
        },
      ],
    );
    assert.ok(summary.every((n) => String(n.remark).includes(String(outbound.bill_no))));
  });

  test('a receipt on that outbound → one CRM payment with a line per order adding up to the cent', async () => {
    const saved = await s.jdy.client.receipts.save({
      bill_date: '2025-04-10',
      customer_id: await s.jdy.idOf('bd_customer', 'KH0003'),
      emp_id: await s.jdy.idOf('bd_employee', 'EMP003'),
      pay_entry_list: [{ amount: '1000.01', settle_account_id: 'ACCT-ICBC-01' }],
      source_bill_entry_list: [
        { src_bill_type_id: 'sal_bill_outbound', src_bill_id: bills.outbound, cur_settle_amount: '1000.01' },
      ],
      operate_type: 'audit',
    });
    bills.receipt = saved.ids[0]!;
    await s.advance(6_000);
    const run = await s.run(admin, ['payment']);
    assert.equal(run.counts.created, 1, JSON.stringify(run));
    const payments = live(await s.fx.records('PaymentObj'));
    assert.equal(payments.length, 1);
    const payment = payments[0]!;
    assert.equal(payment.account_id, crm.account.get('杭州西湖名酒经营部'));
    assert.equal(payment.payment_amount, '1000.01');
    assert.deepEqual(payment.owner, [crmUserOfJdyNumber('EMP003').openUserId]);
    const receipt = await jdyDetail('ar_creditbill', bills.receipt);
    assert.equal(
      payment.payment_time,
      Date.parse(`${String(receipt.modify_time).slice(0, 10)}T00:00:00+08:00`),
    );
    const paymentLines = (await s.fx.records('OrderPaymentObj')).filter((l) => l.payment_id === payment._id);
    // 1000.01 split over 1638 : 2398 → 405.85 (405.8515…) + 594.16 (the remainder, on the last order).
    assert.deepEqual(
      paymentLines.map((l) => [l.order_id, l.payment_amount]).sort(),
      [
        [orders[0], '405.85'],
        [orders[1], '594.16'],
      ].sort(),
    );
  });

  test('un-auditing the receipt voids the CRM payment, with a log entry', async () => {
    await s.jdy.client.operate('ar_creditbill', 'unaudit', { ids: [bills.receipt] });
    await s.advance(6_000);
    await s.run(admin, ['payment']);
    const [payment] = await s.fx.records('PaymentObj');
    assert.equal(payment!.life_status, 'invalid');
    const record = (await recordOf('payment', 'jdy_to_crm', bills.receipt))!;
    assert.equal(record.status, 'synced');
    assert.match(JSON.stringify(record.attempts.at(-1)), /void/);
  });

  test('stock changed by the outbound reaches CRM inventory', async () => {
    const run = await s.run(admin, ['inventory']);
    assert.ok(run.counts.updated >= 3, JSON.stringify(run));
    const stock = live(await s.fx.records('StockObj'));
    const jdyStock = await s.jdy.rows('inventory');
    for (const [code, wh] of [
      ['JD0002', 'WH02'],
      ['JD0011', 'WH01'],
      ['JD0003', 'WH02'],
    ] as const) {
      const productId = await s.jdy.idOf('bd_material', code);
      const storeId = await s.jdy.idOf('bd_store', wh);
      const jdy = jdyStock.find((r) => r.material_id === productId && r.stock_id === storeId)!;
      const row = stock.find(
        (r) => r.product_id === crm.product.get(code) && r.warehouse_id === crm.warehouse.get(wh),
      );
      assert.ok(row, `${code}@${wh} in the CRM`);
      assert.equal(Number(row.real_stock), Number(jdy.qty), `${code}@${wh} 实际库存`);
      assert.equal(Number(row.available_stock), Number(jdy.valid_qty), `${code}@${wh} 可用库存`);
    }
  });

  test('a JDY product disabled, then deleted → 已下架, then voided and deleted in the CRM', async () => {
    const saved = await s.jdy.client.materials.save({
      number: 'JD0031',
      name: '青岛啤酒 奥古特 500ml×12',
      base_unit_id: await s.jdy.idOf('bd_measureunits_new', 'U02'),
      parent_number: 'MG03',
      price_entity: [{ price_retail_price: '118' } as never],
    });
    const id = saved.ids[0]!;
    await s.advance(6_000);
    await s.run(admin, ['product']);
    const crmId = (await recordOf('product', 'jdy_to_crm', id))!.targetId!;
    const status = async () => (await s.fx.records('ProductObj')).find((p) => p._id === crmId);
    assert.equal((await status())!.product_status, '1');
    assert.equal((await status())!.price, '118.00');

    await s.jdy.client.materials.save({ id, enable: '0' });
    await s.advance(6_000);
    await s.run(admin, ['product']);
    assert.equal((await status())!.product_status, '2', '已下架');

    await s.jdy.client.delete('bd_material', { ids: [id] });
    await s.advance(6_000);
    await s.run(admin, ['product']);
    assert.equal(await status(), undefined, 'voided, then deleted');
    assert.equal((await recordOf('product', 'jdy_to_crm', id))!.status, 'synced');
  });

  test('a CRM order changed after it was audited in JDY fails with that reason', async () => {
    const orderId = orders[1]!;
    await s.fx.ui('update', {
      objectApiName: 'SalesOrderObj',
      object_data: { _id: orderId, remark: '改为周五提货' },
    });
    const failed = await waitRecord('salesOrder', 'crm_to_jdy', orderId, 'failed');
    assert.match(failed.reason ?? '', /已审核/);
    assert.equal(failed.errorClass, 'data');
    await waitSyncStatus(orderId, '未同步');
  });
});

describe('idempotency', () => {
  test('every object run again writes nothing and leaves every count as it was', async () => {
    const before = await crmCounts();
    const failedIds = async () =>
      (await s.records(admin, { status: 'failed' })).map((r) => r.sourceKey).sort();
    const failedBefore = await failedIds();
    await s.advance(6_000);
    const run = await s.run(admin);
    assert.equal(run.counts.created, 0, JSON.stringify(run.counts));
    assert.equal(run.counts.updated, 0, JSON.stringify(run.counts));
    assert.deepEqual(await crmCounts(), before);
    // The deleted product is read again from the deletion log (windows overlap): not deleted twice, not failed.
    assert.deepEqual(await failedIds(), failedBefore);
  });

  test('lost responses on every write path leave exactly one target', async () => {
    const before = await crmCounts();
    // JDY → CRM creates: a category, a unit and a product whose answers are lost after the CRM applied them.
    await s.jdy.ctl('POST', '/seed', {
      records: [
        { account_id: JDY_MAIN, entity: 'bd_materialgroup', data: { number: 'MG05', name: '礼品' } },
        {
          account_id: JDY_MAIN,
          entity: 'bd_measureunits_new',
          data: { number: 'U07', name: '盒', precision: 0 },
        },
      ],
    });
    const giftBox = await jdyProduct('JD0060', {
      parent_number: 'MG05',
      base_unit_id: await s.jdy.idOf('bd_measureunits_new', 'U07'),
    });
    for (const path of ['/cgi/crm/data/editProductCategory', '/cgi/crm/v2/data/create']) {
      await fxFault({ path, action: 'lose_response', times: path.endsWith('create') ? 2 : 1 });
    }
    await s.advance(6_000);
    await s.run(admin, ['productCategory', 'unit', 'product']);
    assert.deepEqual((await s.fx.ctl<{ faults: unknown[] }>('/faults')).faults, [], 'every fault fired');
    assert.equal((await s.fx.records('ProductCategoryObj')).filter((c) => c.code === 'MG05').length, 1);
    assert.equal(live(await s.fx.records('UnitInfoObj')).filter((u) => u.name === '盒').length, 1);
    assert.equal(live(await s.fx.records('ProductObj')).filter((p) => p.product_code === 'JD0060').length, 1);
    assert.equal((await recordOf('product', 'jdy_to_crm', giftBox))?.status, 'synced');
    crm.product.set('JD0060', String((await recordOf('product', 'jdy_to_crm', giftBox))!.targetId));

    // CRM → JDY creates: a customer and its order, each committed by JDY whose answer never arrives.
    await jdyFault({ path: '/jdy/v2/bd/customer', method: 'POST', mode: 'commit_then_drop', delay_ms: 50 });
    await jdyFault({ path: '/jdy/v2/scm/sal_order', method: 'POST', mode: 'commit_then_drop', delay_ms: 50 });
    const account = await s.fx.ui('create', {
      objectApiName: 'AccountObj',
      object_data: { name: '宁波北仑酒水超市', account_no: 'KH9002' },
    });
    crm.account.set('宁波北仑酒水超市', String(account.dataId));
    const orderId = await crmOrder('宁波北仑酒水超市', [line('JD0060', '5', '20', 'WH01')]);
    const orderRecord = await waitRecord('salesOrder', 'crm_to_jdy', orderId, 'synced');
    assert.deepEqual(
      (await s.jdy.ctl<{ faults: unknown[] }>('GET', '/faults')).faults,
      [],
      'both drops happened',
    );
    assert.equal((await s.jdy.rows('bd_customer')).filter((c) => c.number === 'KH9002').length, 1);
    const crmName = (await s.fx.records('SalesOrderObj')).find((o) => o._id === orderId)!.name;
    assert.equal((await s.jdy.rows('sal_bill_order')).filter((o) => o.bill_no === crmName).length, 1);

    // JDY → CRM bills: a delivery note, a payment and a new stock row whose creates lose their answers.
    const jdyOrder = String(orderRecord.targetId);
    await s.jdy.client.operate('sal_bill_order', 'audit', { ids: [jdyOrder] });
    const outbound = (await s.jdy.client.pushOrdersToOutbounds([jdyOrder])).outboundIds[0]!;
    await s.jdy.client.operate('sal_bill_outbound', 'audit', { ids: [outbound] });
    const receipt = await s.jdy.client.receipts.save({
      bill_date: '2025-04-12',
      customer_id: String((await recordOf('customer', 'crm_to_jdy', String(account.dataId)))!.targetId),
      pay_entry_list: [{ amount: '100', settle_account_id: 'ACCT-ICBC-01' }],
      source_bill_entry_list: [
        { src_bill_type_id: 'sal_bill_outbound', src_bill_id: outbound, cur_settle_amount: '100' },
      ],
      operate_type: 'audit',
    });
    await fxFault({ path: '/cgi/crm/v2/data/create', action: 'lose_response', times: 3 });
    await s.advance(6_000);
    const run = await s.run(admin, ['payment', 'deliveryNote', 'inventory']);
    assert.deepEqual((await s.fx.ctl<{ faults: unknown[] }>('/faults')).faults, [], 'every fault fired');
    assert.equal(
      run.counts.failed,
      0,
      JSON.stringify(await s.records(admin, { status: 'failed', object: 'inventory' })),
    );
    assert.equal(
      live(await s.fx.records('DeliveryNoteObj')).filter((n) => n.sales_order_id === orderId).length,
      1,
    );
    const paymentRecord = (await recordOf('payment', 'jdy_to_crm', receipt.ids[0]!))!;
    assert.equal(paymentRecord.status, 'synced');
    const payments = live(await s.fx.records('PaymentObj')).filter((p) => p.account_id === account.dataId);
    assert.equal(payments.length, 1);
    const stock = live(await s.fx.records('StockObj')).filter(
      (r) => r.product_id === crm.product.get('JD0060'),
    );
    assert.equal(stock.length, 1, 'the new (product, warehouse) pair once');

    const after = await crmCounts();
    assert.deepEqual(
      Object.fromEntries(Object.keys(after).map((k) => [k, (after[k] ?? 0) - (before[k] ?? 0)])),
      {
        ProductObj: 1,
        UnitInfoObj: 1,
        WarehouseObj: 0,
        AccountObj: 1,
        DeliveryNoteObj: 1,
        PaymentObj: 1,
        StockObj: 1,
        object_customer_category__c: 0,
        ProductCategoryObj: 1,
        jdyCustomers: 1,
        jdyOrders: 1,
      },
    );
  });
});

describe('windows', () => {
  test('records modified exactly at a window edge, or while a run reads, are synced by the next run', async () => {
    // Freeze the plugin's clock so this run's JDY window ends at a known whole second T.
    const edge = Math.floor(s.clock.now() / 1000) * 1000 - 1000;
    const atEdge = await jdyProduct('JD0070', { modify_time: msToDt(edge) });
    const afterEdge = await jdyProduct('JD0071', { modify_time: msToDt(edge + 1000) });
    s.clock.frozenAt = edge + 5000;
    await s.run(admin, ['product']);
    assert.equal(
      (await recordOf('product', 'jdy_to_crm', atEdge))?.status,
      'synced',
      'the window end is inclusive',
    );
    assert.equal(
      await recordOf('product', 'jdy_to_crm', afterEdge),
      null,
      'after the window end: not read yet',
    );
    await s.advance(10_000);
    const next = await s.run(admin, ['product']);
    assert.equal((await recordOf('product', 'jdy_to_crm', afterEdge))?.status, 'synced');
    assert.equal(next.counts.created, 1, 'the overlap re-reads the edge record without writing it');

    // A product changed while a run is reading (its window end is fixed) comes with the next run.
    await jdyFault({ path: '/jdy/v2/bd/material', method: 'GET', mode: 'delay', delay_ms: 1500 });
    const started = await s.api<{ runId: string }>(admin, 'POST', '/api/sync/run', { objects: ['product'] });
    await waitFor(
      'the list call in flight',
      async () => (await s.jdy.ctl<{ faults: unknown[] }>('GET', '/faults')).faults.length === 0,
    );
    const jd15 = await s.jdy.idOf('bd_material', 'JD0015');
    await s.jdy.client.materials.save({ id: jd15, name: '青岛啤酒 经典1903 500ml×12' });
    await waitFor('the run', async () => {
      const r = await s.api<{ status: string }>(admin, 'GET', `/api/sync/runs/${started.json.runId}`);
      return !['queued', 'running'].includes(r.json.status);
    });
    const crmName = async () =>
      (await s.fx.records('ProductObj')).find((p) => p._id === crm.product.get('JD0015'))!.name;
    assert.equal(await crmName(), 'JD0015 青岛啤酒 经典 500ml×12');
    await s.advance(6_000);
    await s.run(admin, ['product']);
    assert.equal(await crmName(), 'JD0015 青岛啤酒 经典1903 500ml×12');
  });
});

describe('retries', () => {
  const detail = (object: string, sourceId: string) => recordOf(object, 'jdy_to_crm', sourceId);
  /** The product's sync record as stored (with its retry step and next retry time). */
  const stored = (sourceId: string) =>
    s.plugin.ctx.repos.syncRecords.findById(
      admin.tenantId,
      `${admin.tenantId}:product:jdy_to_crm:${sourceId}`,
    );
  const sweep = async (sourceId: string, attempts: number) => {
    await s.plugin.ctx.scheduler.now(SYNC_JOBS.retry, { tenantId: admin.tenantId });
    return explained(
      waitFor(`attempt ${attempts} of ${sourceId}`, async () => {
        const r = await stored(sourceId);
        return r && r.attemptCount >= attempts ? r : null;
      }),
    );
  };

  test('a transient failure is retried on the ladder (30 s, 2 min …) and then syncs once', async () => {
    const id = await jdyProduct('JD0080');
    await fxFault({ path: '/cgi/crm/v2/data/create', action: 'http_status', httpStatus: 502, times: 2 });
    await s.advance(6_000);
    await s.run(admin, ['product']);
    let r = await stored(id);
    assert.equal(r?.status, 'pending');
    assert.equal(r.errorClass, 'transient');
    assert.equal(r.nextRetryAt!.getTime() - r.updatedAt.getTime(), 30_000);

    await fxFault({ path: '/cgi/crm/v2/data/create', action: 'http_status', httpStatus: 502, times: 2 });
    await s.advance(20_000);
    await s.plugin.ctx.scheduler.now(SYNC_JOBS.retry, { tenantId: admin.tenantId });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal((await detail('product', id))?.attempts.length, 1, 'not due before 30 s');
    await s.advance(10_000);
    r = await sweep(id, 2);
    assert.equal(r.status, 'pending');
    assert.equal(r.nextRetryAt!.getTime() - r.updatedAt.getTime(), 120_000);
    await s.advance(120_000);
    r = await sweep(id, 3);
    assert.equal(r.status, 'synced');
    assert.equal(live(await s.fx.records('ProductObj')).filter((p) => p.product_code === 'JD0080').length, 1);
  });

  test('the ladder ends in failed after 30 s, 2 min, 10 min, 1 h and 6 h', async () => {
    const id = await jdyProduct('JD0081');
    await fxFault({ path: '/cgi/crm/v2/data/create', action: 'http_status', httpStatus: 503, times: 1000 });
    await s.advance(6_000);
    await s.run(admin, ['product']);
    for (const [i, delay] of [30_000, 120_000, 600_000, 3_600_000, 21_600_000].entries()) {
      await s.advance(delay);
      const r = await sweep(id, i + 2);
      assert.equal(r.status, i < 4 ? 'pending' : 'failed');
    }
    const failed = (await detail('product', id))!;
    assert.match(failed.reason ?? '', /多次重试仍失败/);
    assert.equal(failed.errorClass, 'transient');
    await s.fx.ctl('/faults', undefined, 'DELETE');
    // Once the CRM is back, 重新同步 syncs it.
    assert.equal(
      (await s.api(admin, 'POST', `/api/records/${encodeURIComponent(failed.id)}/retry`, {})).status,
      202,
    );
    await waitRecord('product', 'jdy_to_crm', id, 'synced');
  });

  test('a data problem fails at once; 重新同步 replays it once fixed', async () => {
    const id = await jdyProduct('JD0082');
    await fxFault({
      path: '/cgi/crm/v2/data/create',
      action: 'error',
      errorCode: 50009,
      errorMessage: '字段值不合法',
    });
    await s.advance(6_000);
    await s.run(admin, ['product']);
    const failed = (await detail('product', id))!;
    assert.equal(failed.status, 'failed');
    assert.equal(failed.errorClass, 'data');
    assert.equal(failed.nextRetryAt, null);

    const recordId = failed.id;
    assert.equal(
      (await s.api(admin, 'POST', `/api/records/${encodeURIComponent(recordId)}/retry`, { refetch: false }))
        .status,
      202,
    );
    await waitRecord('product', 'jdy_to_crm', id, 'synced');
    assert.equal(live(await s.fx.records('ProductObj')).filter((p) => p.product_code === 'JD0082').length, 1);
  });

  test('重新同步 replays the stored snapshot; 从源系统重新拉取 reads JDY again', async () => {
    const jd30 = await s.jdy.idOf('bd_material', 'JD0030');
    const recordId = `${admin.tenantId}:product:jdy_to_crm:${jd30}`;
    await s.jdy.client.materials.save({ id: jd30, parent_number: 'MG04' });
    // The log keeps the last 10 attempts: a new one shows as a new last attempt.
    const lastAttempt = async () => JSON.stringify((await detail('product', jd30))!.attempts.at(-1));
    const before = await lastAttempt();
    assert.equal(
      (await s.api(admin, 'POST', `/api/records/${encodeURIComponent(recordId)}/retry`, {})).status,
      202,
    );
    await explained(waitFor('the replay', async () => (await lastAttempt()) !== before));
    assert.equal((await detail('product', jd30))!.status, 'failed', 'the snapshot still has no category');
    assert.equal(
      (await s.api(admin, 'POST', `/api/records/${encodeURIComponent(recordId)}/retry`, { refetch: true }))
        .status,
      202,
    );
    const synced = await waitRecord('product', 'jdy_to_crm', jd30, 'synced');
    const product = live(await s.fx.records('ProductObj')).find((p) => p._id === synced.targetId)!;
    assert.equal(product.category, byField(await s.fx.records('ProductCategoryObj'), 'code', 'MG04')._id);
  });

  test('DELETE mapping forgets the link only; the next sync links the same CRM record again', async () => {
    const jd30 = await s.jdy.idOf('bd_material', 'JD0030');
    const recordId = `${admin.tenantId}:product:jdy_to_crm:${jd30}`;
    const linked = (await detail('product', jd30))!;
    assert.equal(
      (await s.api(admin, 'DELETE', `/api/records/${encodeURIComponent(recordId)}/mapping`)).status,
      204,
    );
    assert.equal(
      (await s.api<{ mapping: unknown }>(admin, 'GET', `/api/records/${encodeURIComponent(recordId)}`)).json
        .mapping,
      null,
    );
    assert.ok(
      live(await s.fx.records('ProductObj')).some((p) => p._id === linked.targetId),
      'nothing deleted in the CRM',
    );
    assert.ok(
      (await s.jdy.rows('bd_material')).some((p) => p.id === jd30),
      'nothing deleted in JDY',
    );
    assert.equal(
      (await s.api(admin, 'DELETE', `/api/records/${encodeURIComponent(recordId)}/mapping`)).status,
      404,
    );

    assert.equal(
      (await s.api(admin, 'POST', `/api/records/${encodeURIComponent(recordId)}/retry`, { refetch: true }))
        .status,
      202,
    );
    await waitFor(
      'linked again',
      async () =>
        (
          await s.api<{ mapping: { crmId: string } | null }>(
            admin,
            'GET',
            `/api/records/${encodeURIComponent(recordId)}`,
          )
        ).json.mapping,
    );
    const again = (
      await s.api<{ mapping: { crmId: string } }>(
        admin,
        'GET',
        `/api/records/${encodeURIComponent(recordId)}`,
      )
    ).json;
    assert.equal(again.mapping.crmId, linked.targetId);
    assert.equal(live(await s.fx.records('ProductObj')).filter((p) => p.product_code === 'JD0030').length, 1);
  });

  test('an audited JDY order found by its number but not linked is linked as it is, not failed', async () => {
    // The state a worker killed between JDY's answer and the link leaves: the order exists, no mapping.
    const orderId = await crmOrder('宁波北仑酒水超市', [line('JD0060', '2', '20', 'WH01')]);
    const synced = await waitRecord('salesOrder', 'crm_to_jdy', orderId, 'synced');
    const jdyOrder = String(synced.targetId);
    await s.jdy.client.operate('sal_bill_order', 'audit', { ids: [jdyOrder] });
    const recordId = `${admin.tenantId}:salesOrder:crm_to_jdy:${orderId}`;
    const path = `/api/records/${encodeURIComponent(recordId)}`;
    assert.equal((await s.api(admin, 'DELETE', `${path}/mapping`)).status, 204);
    assert.equal((await s.api(admin, 'POST', `${path}/retry`, { refetch: true })).status, 202);
    await waitFor(
      'linked again',
      async () => (await s.api<{ mapping: unknown }>(admin, 'GET', path)).json.mapping,
    );
    const record = (await recordOf('salesOrder', 'crm_to_jdy', orderId))!;
    assert.equal(record.status, 'synced');
    assert.equal(record.targetId, jdyOrder);
    const crmName = (await s.fx.records('SalesOrderObj')).find((o) => o._id === orderId)!.name;
    const twins = (await s.jdy.rows('sal_bill_order')).filter((o) => o.bill_no === crmName);
    assert.deepEqual(
      twins.map((o) => [o.id, o.bill_status]),
      [[jdyOrder, 'C']],
    );
  });
  test('an audited JDY order mapped by a try whose page was never saved is linked as it is', async () => {
    // The state a worker killed between linking and saving its page leaves: the mapping exists,
    // the sync record does not know its target.
    const orderId = await crmOrder('宁波北仑酒水超市', [line('JD0060', '3', '20', 'WH01')]);
    const synced = await waitRecord('salesOrder', 'crm_to_jdy', orderId, 'synced');
    const jdyOrder = String(synced.targetId);
    await s.jdy.client.operate('sal_bill_order', 'audit', { ids: [jdyOrder] });
    const recordId = `${admin.tenantId}:salesOrder:crm_to_jdy:${orderId}`;
    await s.plugin.ctx.conn
      .db!.collection('sync_records')
      .updateOne(
        { _id: recordId as never },
        { $set: { status: 'pending', targetId: null, contentHash: null } },
      );
    const path = `/api/records/${encodeURIComponent(recordId)}`;
    assert.equal((await s.api(admin, 'POST', `${path}/retry`, { refetch: true })).status, 202);
    const record = await waitRecord('salesOrder', 'crm_to_jdy', orderId, 'synced');
    assert.equal(record.targetId, jdyOrder);
    assert.equal(record.reason, null);
    const jdy = (await s.jdy.rows('sal_bill_order')).find((o) => o.id === jdyOrder)!;
    assert.equal(jdy.bill_status, 'C');
  });
});

describe('tenant isolation', () => {
  test('tenant B sees none of tenant A’s runs and records', async () => {
    const b = await s.signIn(demoOpenUserId(1, 2), FX_TENANTS.other.corpId);
    const [aRun] = (await s.api<Array<{ runId: string }>>(admin, 'GET', '/api/sync/runs')).json;
    assert.ok(aRun);
    assert.deepEqual((await s.api(b, 'GET', '/api/sync/runs')).json, []);
    assert.equal((await s.api(b, 'GET', `/api/sync/runs/${aRun.runId}`)).status, 404);
    const [aRecord] = await s.records(admin, { object: 'product' });
    assert.ok(aRecord);
    assert.equal((await s.api<{ total: number }>(b, 'GET', '/api/records')).json.total, 0);
    assert.equal((await s.api(b, 'GET', `/api/records/${aRecord.id}`)).status, 404);
    assert.equal(
      (await s.api(b, 'POST', `/api/records/${aRecord.id}/retry`, { refetch: false })).status,
      404,
    );
    assert.equal((await s.api(b, 'DELETE', `/api/records/${aRecord.id}/mapping`)).status, 404);
    const overview = (
      await s.api<Record<'jdy_to_crm' | 'crm_to_jdy', Record<string, { total: number }>>>(
        b,
        'GET',
        '/api/overview',
      )
    ).json;
    const totals = [...Object.values(overview.jdy_to_crm), ...Object.values(overview.crm_to_jdy)].map(
      (c) => c.total,
    );
    assert.ok(
      totals.every((t) => t === 0),
      JSON.stringify(overview),
    );
  });
});
