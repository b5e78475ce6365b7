/**
 * Contract tests: the client against the Jingdouyun sandbox (plugins/jingdouyun/sandbox), through real
 * HTTP. Skipped while the sandbox module does not exist yet.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { IntegrationError } from '../../src/lib/errors.js';
import { SlidingWindowLimiter } from '../../src/lib/rate-limit.js';
import {
  JdyClient,
  JdyTransport,
  connectAccountSet,
  contactsForSave,
  login,
  type JdyConnection,
  type JdyTransportOptions,
} from '../../plugins/jingdouyun/client/index.js';

const SANDBOX = new URL('../../plugins/jingdouyun/sandbox/index.ts', import.meta.url);
const available = existsSync(fileURLToPath(SANDBOX));

interface SandboxModule {
  startJdySandbox(options: { port: number }): Promise<{ url: string; close(): Promise<void> }>;
}

const CLIENT_ID = 'jdy-test-app';
const SECRET = '0123456789abcdef0123456789abcdef';
const ACC = '1580000000001';
const ACC_UNAUTHORISED = '1580000000002';
const ACC_DISABLED = '1580000000003';
const MOBILE = '13800000001';
const PASSWORD = 'secret';
const UNIT_ID = '100000000000001001';
const STORE_ID = '100000000000001002';
const EMP_ID = '100000000000001003';
const CUSTOMER_ID = '100000000000001004';
const MATERIAL_ID = '100000000000001005';

const SEED = {
  apps: [{ client_id: CLIENT_ID, client_secret: SECRET }],
  users: [
    { uid: 1001, username: MOBILE, password: PASSWORD, nickname: '张三' },
    { uid: 1002, username: 'admin', password: PASSWORD, nickname: '管理员' },
  ],
  account_sets: [
    {
      account_id: ACC,
      account_name: '演示账套',
      service_id: 'xc_std',
      group_id: 'g1',
      group_name: 'tf01',
      domain: 'https://tf.jdy.com',
      members: [1001, 1002],
      authorizations: [
        { client_id: CLIENT_ID, app_key: 'ak1', app_secret: 'as1', agreement_company_name: '演示公司' },
      ],
    },
    {
      account_id: ACC_UNAUTHORISED,
      account_name: '未授权',
      service_id: 'xc_std',
      group_id: 'g2',
      group_name: 'tf02',
      domain: 'https://tf.jdy.com',
      members: [1001],
    },
    {
      account_id: ACC_DISABLED,
      account_name: '停用',
      service_id: 'xc_std',
      group_id: 'g3',
      group_name: 'tf03',
      domain: 'https://tf.jdy.com',
      enable: '0',
      members: [1001],
      authorizations: [{ client_id: CLIENT_ID, app_key: 'ak3', app_secret: 'as3' }],
    },
  ],
  records: [
    {
      account_id: ACC,
      entity: 'bd_measureunits_new',
      data: { id: UNIT_ID, number: 'PCS', name: '个', precision: 0 },
    },
    { account_id: ACC, entity: 'bd_store', data: { id: STORE_ID, number: 'ST01', name: '总仓' } },
    {
      account_id: ACC,
      entity: 'bd_employee',
      data: { id: EMP_ID, number: 'E01', name: '李四', mobile: '13900000000' },
    },
    { account_id: ACC, entity: 'bd_customer', data: { id: CUSTOMER_ID, number: 'C001', name: '甲公司' } },
    {
      account_id: ACC,
      entity: 'bd_material',
      data: { id: MATERIAL_ID, number: 'M001', name: '螺丝', base_unit_id: UNIT_ID },
    },
    {
      account_id: ACC,
      entity: 'inventory',
      data: { material_id: MATERIAL_ID, stock_id: STORE_ID, qty: '50' },
    },
  ],
};

let base = '';
let close: (() => Promise<void>) | undefined;

async function control<T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const conn = (): JdyConnection => ({
  accountId: ACC,
  appKey: 'ak1',
  appSecret: 'as1',
  domain: 'https://tf.jdy.com',
  groupName: 'tf01',
});

function makeClient(
  options: JdyTransportOptions = {},
  config: { clientSecret?: string; timeoutMs?: number } = {},
) {
  const changes: JdyConnection[] = [];
  const transport = new JdyTransport(
    {
      baseUrl: base,
      clientId: CLIENT_ID,
      clientSecret: config.clientSecret ?? SECRET,
      timeoutMs: config.timeoutMs,
    },
    {
      limiter: new SlidingWindowLimiter({ limit: 450, windowMs: 60_000 }),
      onConnectionChange: (c) => void changes.push(c),
      ...options,
    },
  );
  return { transport, client: new JdyClient(transport.session(conn())), changes };
}

async function rejectsWith(p: Promise<unknown>, check: (e: IntegrationError) => void): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof IntegrationError, `not an IntegrationError: ${String(e)}`);
    check(e);
    return true;
  });
}

async function calls(path: string): Promise<Array<{ status: number; errcode: unknown }>> {
  return (
    await control<{ calls: Array<{ status: number; errcode: unknown }> }>(
      'GET',
      `/__sandbox/calls?path=${encodeURIComponent(path)}`,
    )
  ).calls;
}

async function drain<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe(
  'Jingdouyun client against the sandbox',
  { skip: available ? false : 'sandbox not ready (plugins/jingdouyun/sandbox/index.ts missing)' },
  () => {
    before(async () => {
      const mod = (await import(SANDBOX.href)) as SandboxModule;
      const sb = await mod.startJdySandbox({ port: 0 });
      base = sb.url.replace(/\/+$/, '');
      close = sb.close;
    });
    after(async () => {
      await close?.();
    });
    beforeEach(async () => {
      await control('POST', '/__sandbox/reset', {});
      await control('POST', '/__sandbox/seed', SEED);
    });

    test('connection flow: login, account sets, authorisation row, first token', async () => {
      const { transport } = makeClient();
      const passport = await login(transport, MOBILE, PASSWORD);
      assert.deepEqual(
        passport.accountSets.map((s) => [s.accountId, s.enabled]),
        [
          [ACC, true],
          [ACC_UNAUTHORISED, true],
          [ACC_DISABLED, false],
        ],
      );
      const c = await connectAccountSet(transport, passport, ACC);
      assert.deepEqual(c, conn());
      await rejectsWith(connectAccountSet(transport, passport, ACC_UNAUTHORISED), (e) => {
        assert.equal(e.code, 9901000001);
        assert.match(e.message, /该账套尚未授权本应用/);
      });
      await rejectsWith(connectAccountSet(transport, passport, ACC_DISABLED), (e) =>
        assert.equal(e.code, 9901000002),
      );
    });

    test('non-mobile login refused (client check, and the service description)', async () => {
      const { transport } = makeClient();
      await rejectsWith(login(transport, 'admin', PASSWORD), (e) => assert.equal(e.errorClass, 'auth'));
      assert.equal((await calls('/auth/user/access_token')).length, 0);
      await rejectsWith(transport.passportLogin('admin', PASSWORD), (e) => {
        assert.equal(e.code, 1020002008);
        assert.match(e.message, /仅手机号账号可以使用开放平台接口/);
      });
      await rejectsWith(login(transport, MOBILE, 'wrong'), (e) =>
        assert.match(e.message, /用户名或密码错误/),
      );
    });

    test('bad signature → 519, stale timestamp → 400 (configuration bugs, not retried)', async () => {
      const wrong = makeClient({}, { clientSecret: 'ffffffffffffffffffffffffffffffff' });
      await rejectsWith(wrong.client.customers.page(), (e) => {
        assert.equal(e.httpStatus, 519);
        assert.equal(e.errorClass, 'unexpected');
      });
      const stale = makeClient({ wallClock: () => Date.now() - 600_000 });
      await rejectsWith(stale.client.customers.page(), (e) => {
        assert.equal(e.httpStatus, 400);
        assert.match(e.message, /时间戳已过期/);
        assert.equal(e.errorClass, 'unexpected');
      });
    });

    test('expired token → refresh and succeed', async () => {
      const { client } = makeClient();
      await client.customers.page();
      await control('POST', '/__sandbox/tokens/expire', { kind: 'app' });
      const page = await client.customers.page();
      assert.equal(page.count, 1);
      assert.equal((await calls('/jdyconnector/app_management/kingdee_auth_token')).length, 2);
    });

    test('stale app secret → re-read authorisation, persist, succeed', async () => {
      const { client, changes } = makeClient();
      const rotated = await control<{ app_secret: string }>(
        'POST',
        '/__sandbox/authorizations/ak1/rotate_secret',
        {},
      );
      const page = await client.customers.page();
      assert.equal(page.count, 1);
      assert.equal(changes.length, 1);
      assert.equal(changes[0]!.appSecret, rotated.app_secret);
    });

    test('revoked authorisation → 9901000001', async () => {
      const { client } = makeClient();
      await client.customers.page();
      await control('POST', '/__sandbox/authorizations/ak1/status', { status: '0' });
      await rejectsWith(client.customers.page(), (e) => assert.equal(e.code, 9901000001));
    });

    test('429 honoured with Retry-After', async () => {
      const { client } = makeClient();
      await control('POST', '/__sandbox/faults', {
        path: '/jdy/v2/bd/customer',
        method: 'GET',
        mode: 'http',
        http_status: 429,
        retry_after_s: 1,
        count: 2,
      });
      const t0 = Date.now();
      const page = await client.customers.page();
      assert.equal(page.count, 1);
      assert.ok(Date.now() - t0 >= 2000, 'waited Retry-After twice');
    });

    test('page size 101 refused; duplicate number; missing references', async () => {
      const { client } = makeClient();
      await rejectsWith(client.customers.page({}, 1, 101), (e) => {
        assert.equal(e.code, 1030002005);
        assert.equal(e.errorClass, 'data');
      });
      await rejectsWith(client.customers.save({ number: 'C001', name: '另一个' }), (e) => {
        assert.equal(e.code, 1030002002);
        assert.equal(e.outcomeUnknown, false);
      });
      await rejectsWith(client.materials.save({ name: '无单位', base_unit_id: '999999999999999999' }), (e) =>
        assert.equal(e.code, 1030002003),
      );
      await rejectsWith(
        client.salesOrders.save({
          bill_date: '2024-05-01',
          customer_number: 'NOPE',
          material_entity: [
            { material_id: MATERIAL_ID, unit_id: UNIT_ID, qty: '1', price: '1', is_free: false },
          ],
        }),
        (e) => assert.equal(e.code, 2016012099),
      );
    });

    test('commit_then_drop on a save → lookup finds the record, no second create', async () => {
      const { client } = makeClient({}, { timeoutMs: 1500 });
      await control('POST', '/__sandbox/faults', {
        path: '/jdy/v2/bd/customer',
        method: 'POST',
        mode: 'commit_then_drop',
        delay_ms: 3000,
      });
      const out = await client.customers.createWithLookup({ number: 'C777', name: '丙公司' });
      assert.equal(out.recovered, true);
      const rows = (
        await control<{ rows: Array<{ number: string }> }>(
          'GET',
          `/__sandbox/records?account_id=${ACC}&entity=bd_customer`,
        )
      ).rows;
      assert.equal(rows.filter((r) => r.number === 'C777').length, 1);
    });

    test('customers with contacts, categories, update from detail, delete and the deletion log', async () => {
      const { client } = makeClient();
      const grp = await client.customerGroups.save({ number: 'CG1', name: '华东' });
      const created = await client.customers.createWithLookup({
        number: 'C100',
        name: '乙公司',
        group_id: grp.ids[0],
        saler_id: EMP_ID,
        contacts: [
          { contact_person: '王', mobile: '13800000000', gender: 'female', is_default_linkman: true },
          { contact_person: '赵', gender: 'male' },
        ],
      });
      const d = await client.customers.detail({ id: created.id });
      assert.equal(d.group_number, 'CG1');
      assert.deepEqual(
        d.contacts.map((c) => [c.contact_person, c.gender, c.is_default_linkman]),
        [
          ['王', 'female', true],
          ['赵', 'male', false],
        ],
      );
      await client.customers.updateFromDetail(created.id, (cur) => ({
        remark: '更新',
        contacts: contactsForSave(cur),
      }));
      const d2 = await client.customers.detail({ id: created.id });
      assert.equal(d2.remark, '更新');
      assert.equal(d2.contacts.length, 2);
      assert.equal((await client.customerGroups.findByNumber('CG1'))?.name, '华东');
      const from = Date.now() - 60_000;
      assert.deepEqual(await client.delete('bd_customer', { ids: [created.id] }), {
        result: { ids: [created.id], id_number_map: { [created.id]: 'C100' } },
        alreadyGone: false,
      });
      assert.equal((await client.delete('bd_customer', { ids: [created.id] })).alreadyGone, true);
      const deleted = (
        await drain(client.deletions('bd_customer', { from, to: Date.now() + 60_000 }))
      ).flatMap((b) => b.rows);
      assert.deepEqual(
        deleted.map((r) => r.number),
        ['C100'],
      );
    });

    test('products with prices, categories, brands, units, warehouses, employees, changes windows', async () => {
      const { client } = makeClient();
      const from = Date.now() - 3_600_000;
      const brand = await client.brands.save({ number: 'B1', name: '牌子' });
      const group = await client.materialGroups.save({ number: 'MG1', name: '五金' });
      const unit = await client.units.save({ number: 'BOX', name: '箱', precision: 2 });
      const m = await client.materials.createWithLookup({
        number: 'M100',
        name: '扳手',
        base_unit_id: unit.ids[0],
        parent_id: group.ids[0],
        brand_id: brand.ids[0],
        price_entity: [{ price_retail_price: '12.50', price_trade_price: '10' }],
      });
      const md = await client.materials.detail({ id: m.id });
      assert.equal(md.price_entity[0]!.price_retail_price, '12.5');
      assert.equal(md.brand_number, 'B1');
      assert.equal((await client.materialGroups.detail({ number: 'MG1' })).level, 1);
      assert.equal((await client.units.detail({ id: UNIT_ID })).precision, 0);
      await client.stores.save({ number: 'ST02', name: '分仓', enable: '0' });
      const stores = await drain(client.stores.list());
      assert.deepEqual(
        stores.map((s) => [s.number, s.enable]),
        [
          ['ST01', '1'],
          ['ST02', '0'],
        ],
      );
      const emps = await drain(client.employees.list({ search: 'E01' }));
      assert.equal(emps[0]!.mobile, '13900000000');
      const batches = await drain(client.materials.changes({ from, to: Date.now() + 60_000 }));
      assert.deepEqual(
        batches
          .flatMap((b) => b.rows)
          .map((r) => r.number)
          .sort(),
        ['M001', 'M100'],
      );
    });

    test('orders, audit, audited update refused, bill_push, outbound audit, inventory, receipt, pre-receipt, upload', async () => {
      const { client } = makeClient();
      const file = await client.upload(Buffer.from('hello'), 'a.txt', 'text/plain');
      assert.ok(file.url);
      const order = await client.salesOrders.createWithLookup({
        bill_no: 'SO-1',
        bill_date: '2024-05-01',
        customer_id: CUSTOMER_ID,
        emp_id: EMP_ID,
        attachments_url: [file],
        operation_key: 'audit',
        material_entity: [
          {
            material_id: MATERIAL_ID,
            unit_id: UNIT_ID,
            stock_id: STORE_ID,
            qty: '3',
            price: '2.5',
            is_free: false,
          },
        ],
      });
      const od = await client.salesOrders.detail({ number: 'SO-1' });
      assert.deepEqual([od.bill_status, od.total_amount, od.material_entity[0]!.amount], ['C', '7.5', '7.5']);
      await rejectsWith(client.salesOrders.save({ id: order.id, remark: 'x' }), (e) => {
        assert.equal(e.code, 2018023007);
        assert.equal(e.errorClass, 'data');
      });
      const inv1 = await drain(client.inventory.list({ material_ids: [MATERIAL_ID] }));
      assert.deepEqual([inv1[0]!.qty, inv1[0]!.valid_qty], ['50', '47']);

      const pre = await client.preReceipts.createWithLookup({
        bill_no: 'YS-1',
        bill_date: '2024-05-01',
        customer_id: CUSTOMER_ID,
        dept_id: 'D1',
        emp_id: EMP_ID,
        pay_entry_list: [{ amount: '1', settle_account_id: 'SA1' }],
        sel_bill_info_entry: [
          { src_bill_type_id: 'sal_bill_order', src_inter_id: order.id, cur_settle_amount: '1' },
        ],
      });
      assert.equal((await client.preReceipts.detail({ id: pre.id })).total_amount, '1');

      const push = await client.pushOrdersToOutbounds([order.id]);
      assert.equal(push.outboundIds.length, 1);
      const outId = push.outboundIds[0]!;
      await client.operate('sal_bill_outbound', 'audit', { ids: [outId] });
      await client.operate('sal_bill_outbound', 'audit', { ids: [outId] });
      const ob = await client.outbounds.detail({ id: outId });
      assert.equal(ob.bill_status, 'C');
      assert.equal(ob.material_entity[0]!.src_bill_no, 'SO-1');
      assert.equal((await client.salesOrders.detail({ id: order.id })).io_status, 'C');
      const inv2 = await drain(client.inventory.list({ stock_ids: [STORE_ID] }));
      assert.equal(inv2[0]!.qty, '47');

      const receipt = await client.receipts.createWithLookup({
        bill_no: 'SK-1',
        bill_date: '2024-05-02',
        customer_id: CUSTOMER_ID,
        operate_type: 'audit',
        pay_entry_list: [{ amount: '7.5', settle_account_id: 'SA1' }],
        source_bill_entry_list: [
          { src_bill_type_id: 'sal_bill_outbound', src_bill_id: outId, cur_settle_amount: '7.5' },
        ],
      });
      assert.equal((await client.receipts.detail({ id: receipt.id })).bill_status, 'C');
      assert.equal((await client.outbounds.detail({ id: outId })).settle_status, 'C');
      const orders = await drain(client.salesOrders.list({ customer_number: 'C001' }));
      assert.equal(orders.length, 1);
    });

    test('personal fields are decrypted when the account set encrypts them', async () => {
      await control('POST', '/__sandbox/settings', { privacy_encryption: true });
      const { client } = makeClient();
      const emp = await client.employees.detail({ id: EMP_ID });
      assert.equal(emp.mobile, '13900000000');
      const calls2 = await control<{ calls: unknown[] }>(
        'GET',
        '/__sandbox/calls?path=%2Fjdy%2Fv2%2Fbd%2Femp_detail',
      );
      assert.equal(calls2.calls.length, 1);
    });
  },
);
