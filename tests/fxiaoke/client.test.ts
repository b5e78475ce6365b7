import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import { connectDatabase } from '../../src/db/connection.js';
import { TenantRepository } from '../../src/dal/tenant/tenant.repository.js';
import type { TenantEntity } from '../../src/dal/tenant/tenant.entity.js';
import { TokenRepository, tokenKeys } from '../../src/dal/token/token.repository.js';
import { FxCrm, FxQuery, FxTransport, where, type FxClient } from '../../src/fxiaoke/client/index.js';
import {
  ADMIN,
  ADMIN_B,
  CODE_B,
  CORP_B,
  SandboxHarness,
  TEST_APP,
  TEST_CODE,
  TEST_CORP,
  USER,
} from '../../src/fxiaoke/sandbox/testing.js';
import { IntegrationError } from '../../src/lib/errors.js';
import { silentLogger } from '../../src/lib/logger.js';
import { SecretBox } from '../../src/lib/secret-box.js';
import { freshDatabaseUri } from '../helpers/db.js';
import { calls, SandboxLinkedClock } from './fx-helpers.js';
import { randomBytes } from 'node:crypto';

let h: SandboxHarness;
let conn: Connection;
let clock: SandboxLinkedClock;
let crm: FxCrm;
let tenantA: TenantEntity;
let tenantB: TenantEntity;
let fx: FxClient;

const isFx = (code: number | string, errorClass?: string) => (e: unknown) =>
  e instanceof IntegrationError &&
  e.system === 'crm' &&
  e.code === code &&
  (errorClass === undefined || e.errorClass === errorClass);

before(async () => {
  h = await SandboxHarness.start();
  await h.ctl('/seed', {
    tenants: [{ corpId: CORP_B, name: '乙企业', permanentCode: CODE_B, ...TEST_APP }],
    users: [{ corpId: CORP_B, openUserId: ADMIN_B, name: '赵六', mobile: '13900000001', isCrmAdmin: true }],
  });
  conn = await connectDatabase(await freshDatabaseUri('fx_client'), silentLogger);
  const box = new SecretBox(randomBytes(32));
  const tenants = new TenantRepository(conn, box);
  const tokens = new TokenRepository(conn, box);
  await Promise.all(Object.values(conn.models).map((m) => m.init()));
  clock = await SandboxLinkedClock.start(h);
  const transport = new FxTransport(
    { baseUrl: h.sb.url, appId: TEST_APP.appId, appSecret: TEST_APP.appSecret, rateLimitPer20s: 95 },
    { tokens, clock, http: clock.http },
  );
  crm = new FxCrm(transport, tenants);
  tenantA = await tenants.activate(TEST_CORP, '测试企业', TEST_CODE, new Date());
  tenantB = await tenants.activate(CORP_B, '乙企业', CODE_B, new Date());
  fx = crm.client(tenantA, ADMIN);
});
after(async () => {
  await conn.close();
  await h.close();
});

describe('directory', () => {
  test('user by mobile, user, user list, departments', async () => {
    const byMobile = await fx.directory.usersByMobile('13800000002');
    assert.deepEqual(
      byMobile.map((u) => u.openUserId),
      [USER],
    );
    assert.deepEqual(await fx.directory.usersByMobile('13899999999'), []);
    const admin = await fx.directory.user(ADMIN);
    assert.equal(admin.name, '张三');
    assert.equal(admin.isCrmAdmin, true);
    assert.equal('errorCode' in admin, false);
    assert.equal((await fx.directory.users()).length, 3);
    const depts = await fx.directory.departments();
    assert.ok(depts.some((d) => d.id === 999999 && d.name === '全公司'));
    await assert.rejects(fx.directory.user('FSUID_FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF'), isFx(20012, 'data'));
  });
});

describe('data API', () => {
  test('create with details, get, update, query with filters, invalid → delete, recover', async () => {
    const account = await fx.data.create('AccountObj', {
      name: '上海甲公司',
      account_no: 'C-001',
      tel: '021-1',
    });
    const product = await fx.data.create('ProductObj', { name: '红酒', product_code: 'P-1', price: '99.00' });
    const order = await fx.data.create(
      'SalesOrderObj',
      { account_id: account.dataId, order_time: 1735660800000 },
      {
        details: {
          SalesOrderProductObj: [{ product_id: product.dataId, quantity: '2', sales_price: '99.00' }],
        },
        includeDetailIds: true,
        triggerWorkFlow: false,
      },
    );
    assert.equal(order.detailIds?.SalesOrderProductObj?.length, 1);
    const got = await fx.data.get('SalesOrderObj', order.dataId);
    assert.equal(got.order_amount, '198.00');
    assert.equal(got.account_id__r, '上海甲公司');

    await fx.data.update('AccountObj', account.dataId, { tel: '021-2' });
    const page = await fx.data.query(
      'AccountObj',
      FxQuery.create(10)
        .filter(where.eq('account_no', 'C-001'), where.like('name', '甲'), where.live())
        .orderBy('name')
        .project('name', 'tel'),
    );
    assert.equal(page.total, 1);
    assert.equal(page.dataList[0]?.tel, '021-2');
    assert.equal(page.dataList[0]?.account_no, undefined, 'projection');

    const between = await fx.data.query(
      'ProductObj',
      FxQuery.create().filter(where.between('price', 50, 100), where.in('product_code', ['P-1', 'P-2'])),
    );
    assert.equal(between.total, 1);
    const emptyTel = await fx.data.query(
      'ProductObj',
      FxQuery.create().filter(where.isEmpty('product_code')),
    );
    assert.equal(emptyTel.total, 0);
    const owned = await fx.data.query(
      'AccountObj',
      FxQuery.create().filter(where.hasAnyOf('owner', [ADMIN])),
    );
    assert.ok(owned.total >= 1);

    // Delete before invalid is refused; invalid, delete; repeats are done.
    const spare = await fx.data.create('AccountObj', { name: '待删除客户' });
    await assert.rejects(fx.data.delete('AccountObj', [spare.dataId]), isFx(32005, 'data'));
    assert.equal(await fx.data.invalid('AccountObj', spare.dataId), 'done');
    assert.equal(await fx.data.invalid('AccountObj', spare.dataId), 'already');
    assert.equal(await fx.data.recover('AccountObj', [spare.dataId]), 'done');
    assert.equal(await fx.data.recover('AccountObj', [spare.dataId]), 'already');
    assert.equal(await fx.data.invalid('AccountObj', spare.dataId), 'done');
    assert.equal(await fx.data.delete('AccountObj', [spare.dataId]), 'done');
    assert.equal(await fx.data.delete('AccountObj', [spare.dataId]), 'already');
    await assert.rejects(fx.data.get('AccountObj', spare.dataId), isFx(32004, 'data'));
  });

  test('a missing required field is named; an unknown option label is reported clearly', async () => {
    await assert.rejects(fx.data.create('ProductObj', { product_code: 'X' }), (e: unknown) => {
      assert.ok(e instanceof IntegrationError && e.code === 32002 && e.errorClass === 'data');
      assert.match(e.message, /产品名称.*\(name\)/);
      assert.match(e.message, /\(price\)/);
      return true;
    });
    assert.equal(await fx.data.optionValue('AccountObj', 'account_type', '重要客户'), '2');
    await assert.rejects(fx.data.optionValue('AccountObj', 'account_type', '超级客户'), (e: unknown) => {
      assert.ok(e instanceof IntegrationError && e.code === 'unknown_option' && e.errorClass === 'data');
      assert.match(e.message, /客户类型.*超级客户/);
      assert.match(e.message, /普通客户/);
      return true;
    });
    // A unit created now is found by label: the miss re-reads the describe.
    await fx.data.describe('ProductObj');
    const unit = await fx.data.create('UnitInfoObj', { name: '箱' });
    assert.equal(await fx.data.optionValue('ProductObj', 'unit', '箱'), unit.dataId);
  });

  test('query limits: 101 and offset > 10 000 are refused, the _id cursor reads 25 000 records', async () => {
    assert.throws(() => FxQuery.create(101), isFx('bad_request', 'unexpected'));
    assert.throws(() => FxQuery.create(100).page(100, 10_100), isFx('bad_request', 'unexpected'));
    assert.throws(() => where.in('name', []), isFx('bad_request'));
    // Sent raw, the CRM refuses them with the documented codes (data class).
    await assert.rejects(fx.data.query('WarehouseObj', { limit: 101, offset: 0 }), isFx(32007, 'data'));
    await assert.rejects(fx.data.query('WarehouseObj', { limit: 100, offset: 10_100 }), isFx(10013, 'data'));

    const records = Array.from({ length: 25_000 }, (_, i) => ({
      corpId: TEST_CORP,
      objectApiName: 'WarehouseObj',
      record: { name: `仓库${i}`, number: `W${i}` },
    }));
    const seeded = await h.ctl('/seed', { records });
    assert.equal(seeded.status, 200);
    const ids = new Set<string>();
    let n = 0;
    for await (const r of fx.data.scan('WarehouseObj', { fieldProjection: ['name'] })) {
      ids.add(r._id);
      n++;
    }
    assert.equal(n, 25_000);
    assert.equal(ids.size, 25_000);
    const log = await calls(h, `corpId=${TEST_CORP}&path=/cgi/crm/v2/data/query`);
    assert.equal(log.filter((c) => c.errorCode === 30004).length, 0);
  });

  test('business-key lookup after a lost create response: no duplicate', async () => {
    await h.ctl('/faults', {
      path: '/cgi/crm/v2/data/create',
      action: 'lose_response',
      times: 1,
      corpId: TEST_CORP,
    });
    await assert.rejects(
      fx.data.create('AccountObj', { name: '丢失应答客户', account_no: 'LOST-1' }),
      (e: unknown) => e instanceof IntegrationError && e.outcomeUnknown && e.errorClass === 'transient',
    );
    await h.ctl('/faults', {
      path: '/cgi/crm/v2/data/create',
      action: 'lose_response',
      times: 1,
      corpId: TEST_CORP,
    });
    const res = await fx.data.createSafely(
      'AccountObj',
      { name: '丢失应答客户2', account_no: 'LOST-2' },
      { account_no: 'LOST-2' },
    );
    assert.equal(res.recovered, true);
    const found = await fx.data.findByBusinessKey('AccountObj', { account_no: 'LOST-2' });
    assert.deepEqual(
      found.map((r) => r._id),
      [res.dataId],
    );
  });
});

describe('metadata, categories, files, messages', () => {
  test('field/create: created, then exists; found by label and type; 20014 is a typed result', async () => {
    const def = { api_name: 'jdy_id__c', label: '精斗云ID', type: 'text' as const };
    const first = await fx.metadata.createField('AccountObj', def);
    assert.equal(first.status, 'created');
    assert.equal((await fx.metadata.createField('AccountObj', def)).status, 'exists');
    const field = (await fx.data.describe('AccountObj')).findField('精斗云ID', 'text');
    assert.equal(field?.api_name, 'jdy_id__c');

    const obj = await fx.metadata.createObject({
      api_name: 'object_cat__c',
      display_name: '客户分类',
      fields: [{ api_name: 'code__c', label: '分类编码', type: 'text' }],
    });
    assert.equal(obj.status, 'created');
    const rec = await fx.data.create('object_cat__c', { name: 'VIP', code__c: 'V' });
    assert.equal((await fx.data.get('object_cat__c', rec.dataId)).code__c, 'V');

    const asUser = crm.client(tenantA, USER);
    const refused = await asUser.metadata.createField('AccountObj', {
      api_name: 'x__c',
      label: '某字段',
      type: 'text',
    });
    assert.equal(refused.status, 'permission_missing');
    await h.ctl('/tenant', { corpId: TEST_CORP, metadataWritePermission: false });
    try {
      const noGrant = await fx.metadata.createField('AccountObj', {
        api_name: 'y__c',
        label: '另一字段',
        type: 'text',
      });
      assert.equal(noGrant.status, 'permission_missing');
    } finally {
      await h.ctl('/tenant', { corpId: TEST_CORP, metadataWritePermission: true });
    }
  });

  test('product categories: create, list, option by label, delete', async () => {
    const id = await fx.metadata.createCategory({ name: '饮料', code: 'C01' });
    await fx.metadata.updateCategory(id, { name: '酒水饮料' });
    const cats = await fx.metadata.categories();
    assert.deepEqual(
      cats.map((c) => [c.id, c.name, c.code]),
      [[id, '酒水饮料', 'C01']],
    );
    assert.equal(await fx.data.optionValue('ProductObj', 'category', '酒水饮料'), id);
    await fx.metadata.deleteCategory(id);
    await fx.metadata.deleteCategory(id);
    assert.deepEqual(await fx.metadata.categories(), []);
  });

  test('upload via media, write to a file field, download by npath and mediaId', async () => {
    const content = Buffer.from('合同内容 PDF');
    const up = await fx.files.upload(content, '合同.pdf');
    assert.equal(up.entry.ext, 'pdf');
    const byPath = await fx.files.download({ npath: up.npath });
    assert.deepEqual(byPath.content, content);
    assert.equal(byPath.filename, '合同.pdf');
    assert.deepEqual((await fx.files.download({ mediaId: up.mediaId })).content, content);
    await assert.rejects(
      fx.files.download({ npath: 'N_202501_01_00000000000000000000000000000000' }),
      isFx(10007, 'data'),
    );
    await fx.metadata.createField('AccountObj', {
      api_name: 'files__c',
      label: '附件',
      type: 'file_attachment',
    });
    const acc = await fx.data.create('AccountObj', { name: '带附件客户', files__c: [up.entry] });
    assert.deepEqual((await fx.data.get('AccountObj', acc.dataId)).files__c, [up.entry]);
  });

  test('text message to employees', async () => {
    const msgId = await fx.files.sendText([ADMIN], '同步失败 3 条');
    assert.match(msgId, /^[0-9a-f-]{36}$/);
    const r = await h.ctl(`/messages?corpId=${TEST_CORP}`, undefined, 'GET');
    assert.equal((r.json.messages as Array<{ content: string }>).at(-1)?.content, '同步失败 3 条');
  });
});

describe('tokens, retries and limits', () => {
  test('an expired token is refreshed once and the call succeeds', async () => {
    await fx.directory.departments();
    await h.ctl('/calls', undefined, 'DELETE');
    await h.ctl('/tokens/expire', { corpId: TEST_CORP, kind: 'corp' });
    await fx.directory.departments();
    const log = await calls(h, `corpId=${TEST_CORP}`);
    assert.deepEqual(
      log.map((c) => [c.path, c.errorCode]),
      [
        ['/cgi/department/list', 20016],
        ['/cgi/corpAccessToken/get/V2', 0],
        ['/cgi/department/list', 0],
      ],
    );
  });

  test('20016 again after the refresh: passing once, then reconnect needed, no loop, no further calls', async () => {
    const fxB = crm.client(tenantB, ADMIN_B);
    await fxB.directory.departments();
    await h.ctl('/faults', {
      path: '/cgi/department/list',
      action: 'error',
      errorCode: 20016,
      times: 5,
      corpId: CORP_B,
    });
    await h.ctl('/calls', undefined, 'DELETE');
    await h.ctl('/tokens/expire', { corpId: CORP_B, kind: 'corp' });
    // A token may expire just after our refresh: once is a passing failure. The next call's
    // refresh gets the very token just refused: the authorisation is broken.
    await assert.rejects(fxB.directory.departments(), isFx(20016, 'transient'));
    await assert.rejects(fxB.directory.departments(), isFx(20016, 'auth'));
    const log = await calls(h, `corpId=${CORP_B}`);
    assert.equal(log.filter((c) => c.path === '/cgi/department/list').length, 3);
    // Marked: the next call fails at once without reaching the CRM.
    await assert.rejects(
      fxB.directory.departments(),
      (e: unknown) => e instanceof IntegrationError && e.errorClass === 'auth',
    );
    assert.equal((await calls(h, `corpId=${CORP_B}`)).length, log.length);
    await h.ctl('/faults', undefined, 'DELETE');
    await crm.transport.dropTenantTokens(TenantRepository.idOf(tenantB));
    await fxB.directory.departments();
  });

  test('class A backs off and succeeds; class C reads retry, writes do not', async () => {
    const slept = clock.slept;
    await h.ctl('/faults', {
      path: '/cgi/user/list',
      action: 'error',
      errorCode: 30004,
      times: 2,
      corpId: TEST_CORP,
    });
    await fx.directory.users();
    assert.ok(clock.slept - slept >= 1500, 'backed off ~1 s then ~2 s');
    await h.ctl('/faults', {
      path: '/cgi/user/list',
      action: 'http_status',
      httpStatus: 502,
      times: 2,
      corpId: TEST_CORP,
    });
    await fx.directory.users();
    await h.ctl('/faults', {
      path: '/cgi/crm/v2/data/update',
      action: 'error',
      errorCode: -1,
      times: 1,
      corpId: TEST_CORP,
    });
    const acc = await fx.data.create('AccountObj', { name: '繁忙测试' });
    await assert.rejects(
      fx.data.update('AccountObj', acc.dataId, { tel: '1' }),
      (e: unknown) => e instanceof IntegrationError && e.code === -1 && e.outcomeUnknown,
    );
    await h.ctl('/faults', {
      path: '/cgi/user/list',
      action: 'error',
      errorCode: 20021,
      times: 1,
      corpId: TEST_CORP,
    });
    await assert.rejects(fx.directory.users(), isFx(20021, 'auth'));
  });

  test('30002 parks the tenant until the next GMT+8 day', async () => {
    await h.ctl('/faults', {
      path: '/cgi/user/list',
      action: 'error',
      errorCode: 30002,
      times: 1,
      corpId: TEST_CORP,
    });
    const check = (e: unknown) =>
      e instanceof IntegrationError &&
      e.code === 30002 &&
      e.errorClass === 'transient' &&
      (e.retryAfterMs ?? 0) > 0 &&
      (e.retryAfterMs ?? 0) <= 86_400_000;
    await assert.rejects(fx.directory.users(), check);
    const before = (await calls(h, `corpId=${TEST_CORP}`)).length;
    await assert.rejects(fx.directory.departments(), check);
    assert.equal((await calls(h, `corpId=${TEST_CORP}`)).length, before, 'parked: no call made');
    await clock.sleep(86_400_000);
    await fx.directory.departments();
  });

  test('the rate limit holds: 300 calls on one path, no 30004', async () => {
    await h.ctl('/calls', undefined, 'DELETE');
    await Promise.all(Array.from({ length: 300 }, () => fx.directory.departments()));
    const log = await calls(h, `corpId=${TEST_CORP}&path=/cgi/department/list`);
    assert.equal(log.length, 300);
    assert.equal(log.filter((c) => c.errorCode !== 0).length, 0);
  });

  test('tokens are stored sealed', async () => {
    const raw = await conn.db!.collection('tokens').findOne({ _id: tokenKeys.fxCorp(tenantA._id) as never });
    const current = await h.refreshToken();
    assert.ok(raw?.token);
    assert.ok(!JSON.stringify(raw).includes(current));
  });
});
