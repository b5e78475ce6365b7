import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startJdySandbox, type RunningJdySandbox } from '../../plugins/jingdouyun/sandbox/index.js';
import { DEMO_AUTHORIZATION, demoSeed } from '../../plugins/jingdouyun/sandbox/seed/demo.js';
import { generateLargeSeed } from '../../plugins/jingdouyun/sandbox/seed/generate.js';
import { JDY_ACCOUNT_SETS, JDY_APP, SHARED_CUSTOMER_NAMES } from '../../src/demo/story.js';
import { control, dataOf, fetchAppToken, jdyRaw, type JdyRawTarget } from '../helpers/jdy-raw.js';

const MAIN = JDY_ACCOUNT_SETS.main.accountId;

let sb: RunningJdySandbox;
let biz: JdyRawTarget;

before(async () => {
  sb = await startJdySandbox({ port: 0 });
  const seeded = await control(sb.url, 'POST', '/seed', demoSeed());
  assert.equal(seeded.status, 200, JSON.stringify(seeded.json));
  const app = { baseUrl: sb.url, clientId: JDY_APP.clientId, clientSecret: JDY_APP.clientSecret };
  biz = {
    ...app,
    appToken: (await fetchAppToken(app, DEMO_AUTHORIZATION.appKey, DEMO_AUTHORIZATION.appSecret)).token!,
    routerAddr: JDY_ACCOUNT_SETS.main.domain,
  };
});
after(async () => {
  await sb.close();
});

const get = (path: string, query: [string, string][] = []) => jdyRaw(biz, 'GET', `/jdy/v2${path}`, { query });
const records = async (entity: string) =>
  (await control(sb.url, 'GET', `/records?account_id=${MAIN}&entity=${entity}`)).json.rows as Record<
    string,
    unknown
  >[];

describe('demo seed', () => {
  test('applies cleanly with the story data', async () => {
    const auths = dataOf<{ accountId: string; status: string }[]>(
      await jdyRaw(biz, 'POST', '/jdyconnector/app_management/push_app_authorize', { body: {} }),
    );
    assert.deepEqual(
      auths.map((a) => [a.accountId, a.status]),
      [[MAIN, '1']],
    );
    const products = dataOf<{ count: string; rows: { number: string; parent_id: string; enable: string }[] }>(
      await get('/bd/material', [
        ['enable', '-1'],
        ['page_size', '100'],
      ]),
    );
    assert.equal(products.count, '30');
    assert.equal(products.rows[0]!.number, 'JD0001');
    assert.equal(products.rows.filter((p) => p.parent_id === '').length, 1);
    assert.equal(products.rows.filter((p) => p.enable === '0').length, 1);
    assert.equal(dataOf<{ count: string }>(await get('/bd/material')).count, '29');
    const customers = await records('bd_customer');
    assert.equal(customers.length, 20);
    for (const name of SHARED_CUSTOMER_NAMES) assert.ok(customers.some((c) => c.name === name));
    assert.equal(customers.filter((c) => c.saler_id === '').length, 1);
    const units = dataOf<{ rows: Record<string, unknown>[] }>(
      await get('/bd/measure_unit', [['page_size', '100']]),
    ).rows;
    assert.equal(units.find((u) => u.number === 'U01')!.group_name, '酒');
    assert.equal('group_id' in units.find((u) => u.number === 'U06')!, false);
  });

  test('bills: the merged outbound moved both orders and the receipt settled part of it', async () => {
    const orders = await records('sal_bill_order');
    const status = Object.fromEntries(orders.map((o) => [o.bill_no, [o.bill_status, o.io_status]]));
    assert.deepEqual(status['XSDD-20250303-00001'], ['C', 'Z']);
    assert.deepEqual(status['XSDD-20250305-00001'], ['C', 'C']);
    assert.deepEqual(status['XSDD-20250312-00001'], ['Z', 'A']);
    const [outbound] = await records('sal_bill_outbound');
    assert.deepEqual(
      [outbound!.bill_status, outbound!.settle_status, outbound!.total_un_settle_amount],
      ['C', 'B', '9362'],
    );
    const inventory = await records('inventory');
    const jd1 = inventory.find((r) => r.material_number === 'JD0001' && r.stock_number === 'WH01')!;
    assert.equal(jd1.qty, '54');
    const pre = await records('ar_precreditbill');
    assert.equal(pre.length, 1);
  });
});

describe('control API (§8)', () => {
  test('the clock never goes back; seeds are atomic and report the failing index', async () => {
    const clock = await control(sb.url, 'GET', '/clock');
    const back = await control(sb.url, 'POST', '/clock', { now: (clock.json.now as number) - 10_000 });
    assert.equal(back.status, 400);
    const bad = await control(sb.url, 'POST', '/seed', {
      records: [
        { account_id: MAIN, entity: 'bd_brand', data: { number: 'NEW1', name: '新品牌' } },
        { account_id: MAIN, entity: 'bd_brand', data: { number: 'B01', name: '重复' } },
      ],
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json, {
      ok: false,
      error: { index: 1, errcode: 1030002002, description: '编码B01已存在，不能重复新增' },
    });
    assert.equal(
      (await records('bd_brand')).some((b) => b.number === 'NEW1'),
      false,
    );
  });

  test('the call log masks secrets', async () => {
    await fetch(
      `${sb.url}/auth/user/access_token?client_id=x&client_secret=y&username=13800000001&password=z`,
    );
    const calls = (await control(sb.url, 'GET', '/calls?path=/auth/user/access_token')).json.calls as {
      query: Record<string, string[]>;
    }[];
    const last = calls.at(-1)!;
    assert.deepEqual(last.query.password, ['***']);
    assert.deepEqual(last.query.client_secret, ['***']);
  });

  test('upload stores file1 and serves it back', async () => {
    const form = new FormData();
    form.append('file1', new Blob([Buffer.from('合同内容')], { type: 'text/plain' }), '合同.txt');
    const res = await jdyRaw(biz, 'POST', '/jdy/v2/sys/attachment_upload', { body: form });
    const body = res.json as { success: boolean; data: { file1: string } };
    assert.equal(body.success, true);
    const file = await fetch(body.data.file1);
    assert.equal(await file.text(), '合同内容');
    const none = await jdyRaw(biz, 'POST', '/jdy/v2/sys/attachment_upload', { body: new FormData() });
    assert.deepEqual(none.body, {
      success: false,
      errorCode: '1030002000',
      message: 'file1不能为空',
      data: null,
    });
  });
});

describe('large seed', () => {
  test('20 000 products seed in chunks and page through the API', async () => {
    await control(sb.url, 'POST', '/settings', { rate_limit_enabled: false });
    let chunks = 0;
    for (const body of generateLargeSeed({ accountId: MAIN, products: 20_000, customers: 1000 })) {
      const res = await control(sb.url, 'POST', '/seed', body);
      assert.equal(res.status, 200, JSON.stringify(res.json));
      chunks++;
    }
    assert.equal(chunks, 12);
    const first = dataOf<{ count: string; total_page: number; rows: { number: string }[] }>(
      await get('/bd/material', [
        ['search', 'P0'],
        ['page_size', '100'],
      ]),
    );
    assert.equal(first.count, '20000');
    assert.equal(first.total_page, 200);
    assert.equal(first.rows[0]!.number, 'P000001');
    const last = dataOf<{ rows: { number: string }[] }>(
      await get('/bd/material', [
        ['search', 'P0'],
        ['page_size', '100'],
        ['page', '200'],
      ]),
    );
    assert.equal(last.rows.at(-1)!.number, 'P020000');
    const customers = dataOf<{ count: string }>(await get('/bd/customer', [['search', '压测客户']]));
    assert.equal(customers.count, '1000');
  });
});
