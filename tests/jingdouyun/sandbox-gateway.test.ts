import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startJdySandbox, type RunningJdySandbox } from '../../plugins/jingdouyun/sandbox/index.js';
import { encryptField } from '../../plugins/jingdouyun/sandbox/privacy.js';
import { control, dataOf, fetchAppToken, jdyRaw, type JdyRawTarget } from '../helpers/jdy-raw.js';

const SECRET = '0123456789abcdef0123456789abcdef';
const DOMAIN = 'https://tf.jdy.com';
const VECTOR_A = 'ZDljMTI3NGIyNTE1MTRkYzlkNjc1MDNhYjUzMzgzNWMyY2M4YTdjMzdmNmM3YTVlNDkxMTkzNjdiOTFjNzUyZQ==';

let sb: RunningJdySandbox;
let app: JdyRawTarget;
let biz: JdyRawTarget;

const seed = {
  apps: [
    { client_id: 'app1', client_secret: SECRET },
    { client_id: 'app2', client_secret: 'ffffffffffffffffffffffffffffffff' },
  ],
  users: [
    { uid: 1001, username: '13800000001', password: 'pw1', nickname: '张三' },
    { uid: 1002, username: 'demo@example.com', password: 'pw2', nickname: '李四' },
    { uid: 1003, username: '13800000003', password: 'pw3', nickname: '王五' },
  ],
  account_sets: [
    {
      account_id: 'A1',
      account_name: '正式账套',
      service_id: 'svc1',
      group_id: 'g1',
      group_name: 'tf01',
      domain: DOMAIN,
      members: [1001, 1002],
      authorizations: [
        {
          client_id: 'app1',
          app_key: 'abc',
          app_secret: 'abc123',
          outer_instance_id: 'o1',
          agreement_company_name: '甲',
        },
        { client_id: 'app2', app_key: 'other', app_secret: 'x' },
      ],
    },
    {
      account_id: 'A2',
      account_name: '测试账套',
      service_id: 'svc2',
      group_id: 'g2',
      group_name: 'tf02',
      domain: 'https://tf2.jdy.com/',
      enable: '0',
      members: [1001],
      authorizations: [{ client_id: 'app1', app_key: 'k2', app_secret: 's2' }],
    },
    {
      account_id: 'A3',
      account_name: '其他',
      service_id: 'svc1',
      group_id: 'g3',
      group_name: 'tf01',
      domain: DOMAIN,
      members: [1001],
    },
  ],
  records: [
    { account_id: 'A1', entity: 'bd_employee', data: { number: 'E1', name: '张三', mobile: '13800000000' } },
  ],
};

before(async () => {
  sb = await startJdySandbox({ port: 0 });
});
after(async () => {
  await sb.close();
});
beforeEach(async () => {
  assert.equal((await control(sb.url, 'POST', '/reset', {})).status, 200);
  assert.equal((await control(sb.url, 'POST', '/seed', seed)).status, 200);
  app = { baseUrl: sb.url, clientId: 'app1', clientSecret: SECRET };
  const token = await fetchAppToken(app, 'abc', 'abc123');
  biz = { ...app, appToken: token.token!, routerAddr: DOMAIN };
});

const passport = (query: [string, string][]) =>
  jdyRaw(app, 'GET', '/auth/user/access_token', { query, unsigned: true });

describe('gateway checks (§2.8)', () => {
  test('a signed business call succeeds', async () => {
    const res = await jdyRaw(biz, 'GET', '/jdy/v2/bd/emp');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    const data = dataOf<{ count: string; rows: { number: string }[] }>(res);
    assert.equal(data.count, '1');
    assert.equal(data.rows[0]!.number, 'E1');
  });

  test('unknown path or method → 404 API不存在, before any signature check', async () => {
    const res = await jdyRaw({ ...biz, clientSecret: 'wrong' }, 'GET', '/jdy/v2/bd/nothing');
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { errcode: 404, description: 'API不存在', data: null });
    assert.equal((await jdyRaw(biz, 'DELETE', '/jdy/v2/bd/emp')).status, 404);
  });

  test('missing or malformed signature headers → 400', async () => {
    const unsigned = await jdyRaw(biz, 'GET', '/jdy/v2/bd/emp', { unsigned: true });
    assert.equal(unsigned.status, 400);
    assert.equal(unsigned.json.description, '签名参数缺失或格式错误');
    const badVersion = await jdyRaw(biz, 'GET', '/jdy/v2/bd/emp', {
      headers: { 'X-Api-Auth-Version': '1.0' },
    });
    assert.equal(badVersion.json.description, '签名参数缺失或格式错误');
    const spaced = await jdyRaw(biz, 'GET', '/jdy/v2/bd/emp', {
      headers: { 'X-Api-SignHeaders': 'x-api-timestamp, X-API-NONCE' },
    });
    assert.equal(spaced.status, 200);
  });

  test('stale timestamp → 400 时间戳已过期', async () => {
    const res = await jdyRaw(biz, 'GET', '/jdy/v2/bd/emp', { timestamp: String(Date.now() - 301_000) });
    assert.equal(res.status, 400);
    assert.equal(res.json.description, '时间戳已过期');
  });

  test('bad signature or unknown client → 519', async () => {
    const res = await jdyRaw(
      { ...biz, clientSecret: 'ffffffffffffffffffffffffffffffff' },
      'GET',
      '/jdy/v2/bd/emp',
    );
    assert.equal(res.status, 519);
    assert.deepEqual(res.body, { errcode: 519, description: '签名校验失败', data: null });
    const unknown = await jdyRaw({ ...biz, clientId: 'nobody' }, 'GET', '/jdy/v2/bd/emp');
    assert.equal(unknown.status, 519);
  });

  test('the signature covers the exact query, double-encoded', async () => {
    const ok = await jdyRaw(biz, 'GET', '/jdy/v2/bd/emp', {
      query: [
        ['search', '张 A&B+!*'],
        ['page', '1'],
      ],
    });
    assert.equal(ok.status, 200);
    assert.equal(dataOf<{ count: string }>(ok).count, '0');
  });

  test('replayed nonce → 400 请求重复', async () => {
    const fixed = { nonce: '4417', timestamp: String(Date.now()) };
    assert.equal((await jdyRaw(biz, 'GET', '/jdy/v2/bd/emp', fixed)).status, 200);
    const again = await jdyRaw(biz, 'GET', '/jdy/v2/bd/emp', fixed);
    assert.equal(again.status, 400);
    assert.equal(again.json.description, '请求重复');
  });

  test('app-token missing, unknown, expired or of another client → 401', async () => {
    assert.equal((await jdyRaw({ ...biz, appToken: undefined }, 'GET', '/jdy/v2/bd/emp')).status, 401);
    const unknown = await jdyRaw({ ...biz, appToken: 'nope' }, 'GET', '/jdy/v2/bd/emp');
    assert.deepEqual(unknown.body, { errcode: 401, description: 'token无效', data: null });
    const expired = await control(sb.url, 'POST', '/tokens/expire', { kind: 'app' });
    assert.deepEqual(expired.json, { ok: true, expired: 1 });
    assert.equal((await jdyRaw(biz, 'GET', '/jdy/v2/bd/emp')).status, 401);
  });

  test('the virtual clock expires app-tokens after the TTL', async () => {
    await control(sb.url, 'POST', '/clock', { advance_ms: 86_400_000 });
    assert.equal((await jdyRaw(biz, 'GET', '/jdy/v2/bd/emp')).status, 401);
  });

  test('wrong or missing X-GW-Router-Addr → 404 No Route; one trailing slash is ignored', async () => {
    const wrong = await jdyRaw({ ...biz, routerAddr: 'https://other.jdy.com' }, 'GET', '/jdy/v2/bd/emp');
    assert.equal(wrong.status, 404);
    assert.equal(wrong.json.description, 'No Route');
    assert.equal((await jdyRaw({ ...biz, routerAddr: undefined }, 'GET', '/jdy/v2/bd/emp')).status, 404);
    assert.equal((await jdyRaw({ ...biz, routerAddr: `${DOMAIN}/` }, 'GET', '/jdy/v2/bd/emp')).status, 200);
  });

  test('rate limit → 429 with Retry-After; rejected calls do not count', async () => {
    await control(sb.url, 'POST', '/settings', { rate_limit_per_minute: 3 });
    for (let i = 0; i < 3; i++) assert.equal((await jdyRaw(biz, 'GET', '/jdy/v2/bd/emp')).status, 200);
    const limited = await jdyRaw(biz, 'GET', '/jdy/v2/bd/emp');
    assert.equal(limited.status, 429);
    assert.equal(limited.json.description, '请求过于频繁');
    const retry = Number(limited.headers.get('retry-after'));
    assert.ok(retry >= 1 && retry <= 60);
    await control(sb.url, 'POST', '/clock', { advance_ms: 60_001 });
    assert.equal((await jdyRaw(biz, 'GET', '/jdy/v2/bd/emp')).status, 200);
  });

  test('a POST body that is not a JSON object → 400 请求体不是合法JSON', async () => {
    const bad = await jdyRaw(biz, 'POST', '/jdy/v2/bd/emp', { body: '{"name":' });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.description, '请求体不是合法JSON');
    assert.equal((await jdyRaw(biz, 'POST', '/jdy/v2/bd/emp', { body: '[1]' })).status, 400);
  });

  test('an injected http fault answers before the signature check and is consumed', async () => {
    const f = await control(sb.url, 'POST', '/faults', {
      path: '/jdy/v2/bd/emp',
      method: 'GET',
      mode: 'http',
      http_status: 503,
      description: '服务繁忙',
      retry_after_s: 2,
    });
    assert.equal(f.status, 200);
    const res = await jdyRaw(biz, 'GET', '/jdy/v2/bd/emp', { unsigned: true });
    assert.equal(res.status, 503);
    assert.deepEqual(res.body, { errcode: 503, description: '服务繁忙', data: null });
    assert.equal(res.headers.get('retry-after'), '2');
    assert.equal((await jdyRaw(biz, 'GET', '/jdy/v2/bd/emp')).status, 200);
    const calls = await control(sb.url, 'GET', '/calls?path=/jdy/v2/bd/emp');
    const logged = calls.json.calls as { status: number; fault_id: string | null }[];
    assert.deepEqual(
      logged.map((c) => [c.status, c.fault_id]),
      [
        [503, f.json.fault_id],
        [200, null],
      ],
    );
  });

  test('a business fault answers HTTP 200 with the injected errcode', async () => {
    await control(sb.url, 'POST', '/faults', {
      path: '/jdy/v2/bd/emp',
      mode: 'business',
      errcode: 1000002001,
      description: '服务异常',
    });
    const res = await jdyRaw(biz, 'GET', '/jdy/v2/bd/emp');
    assert.deepEqual(res.body, { errcode: 1000002001, description: '服务异常', data: null });
  });

  test('personal fields are encrypted with the client secret when enabled (§3.5 vector)', async () => {
    assert.equal(encryptField('13800000000', SECRET), 'Dko5eWh6JYu73Piy11eWFg==');
    await control(sb.url, 'POST', '/settings', { privacy_encryption: true });
    const data = dataOf<{ rows: { mobile: string; name: string }[] }>(
      await jdyRaw(biz, 'GET', '/jdy/v2/bd/emp'),
    );
    assert.equal(data.rows[0]!.mobile, 'Dko5eWh6JYu73Piy11eWFg==');
    assert.equal(data.rows[0]!.name, '张三');
    const records = await control(sb.url, 'GET', '/records?account_id=A1&entity=bd_employee');
    assert.equal((records.json.rows as { mobile: string }[])[0]!.mobile, '13800000000');
  });
});

describe('connection flow (§2.2–§2.5)', () => {
  test('passport login succeeds for a mobile user; POST form works too', async () => {
    const res = await passport([
      ['client_id', 'app1'],
      ['client_secret', SECRET],
      ['username', '13800000001'],
      ['password', 'pw1'],
    ]);
    const data = dataOf<{ access_token: string; expires_in: number; uid: number; nickname: string }>(res);
    assert.equal(data.expires_in, 7200);
    assert.equal(data.uid, 1001);
    assert.equal(data.nickname, '张三');
    const form = new URLSearchParams({
      client_id: 'app1',
      client_secret: SECRET,
      username: '13800000001',
      password: 'pw1',
    });
    const post = await fetch(`${sb.url}/auth/user/access_token?password=wrong`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    assert.equal(((await post.json()) as { errcode: number }).errcode, 0);
  });

  test('passport failures in the contract order', async () => {
    const cases: [[string, string][], number, string][] = [
      [[['client_id', 'app1']], 1030002000, 'client_secret不能为空'],
      [
        [
          ['client_id', 'app1'],
          ['client_secret', 'bad'],
          ['username', 'x'],
          ['password', 'y'],
        ],
        1020002008,
        '应用凭证有误',
      ],
      [
        [
          ['client_id', 'app1'],
          ['client_secret', SECRET],
          ['username', 'demo@example.com'],
          ['password', 'pw2'],
        ],
        1020002008,
        '仅手机号账号可以使用开放平台接口',
      ],
      [
        [
          ['client_id', 'app1'],
          ['client_secret', SECRET],
          ['username', '13800000001'],
          ['password', 'bad'],
        ],
        1020002008,
        '用户名或密码错误',
      ],
    ];
    for (const [query, errcode, description] of cases) {
      const res = await passport(query);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { errcode, description, data: null });
    }
  });

  test('accountGroup lists the user account sets grouped by service; bad token → 401', async () => {
    const login = dataOf<{ access_token: string }>(
      await passport([
        ['client_id', 'app1'],
        ['client_secret', SECRET],
        ['username', '13800000001'],
        ['password', 'pw1'],
      ]),
    );
    const res = await jdyRaw(app, 'POST', '/jdy/sys/accountGroup', {
      unsigned: true,
      query: [['access_token', login.access_token]],
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      success: true,
      errorCode: '',
      message: '',
      data: [
        {
          serviceId: 'svc1',
          accountGroups: [
            { accountId: 'A1', accountName: '正式账套', groupId: 'g1', groupName: 'tf01', enable: '1' },
            { accountId: 'A3', accountName: '其他', groupId: 'g3', groupName: 'tf01', enable: '1' },
          ],
        },
        {
          serviceId: 'svc2',
          accountGroups: [
            { accountId: 'A2', accountName: '测试账套', groupId: 'g2', groupName: 'tf02', enable: '0' },
          ],
        },
      ],
    });
    const bad = await jdyRaw(app, 'POST', '/jdy/sys/accountGroup', {
      unsigned: true,
      query: [['access_token', 'x']],
    });
    assert.equal(bad.status, 401);
    assert.deepEqual(bad.body, { success: false, errorCode: '401', message: 'access_token无效', data: null });
  });

  test('push_app_authorize returns the calling client rows, filtered by outerInstanceId', async () => {
    const rows = dataOf<{ accountId: string; appKey: string; status: string; domain: string }[]>(
      await jdyRaw(app, 'POST', '/jdyconnector/app_management/push_app_authorize', { body: {} }),
    );
    assert.deepEqual(
      rows.map((r) => [r.accountId, r.appKey, r.status]),
      [
        ['A1', 'abc', '1'],
        ['A2', 'k2', '1'],
      ],
    );
    const filtered = dataOf<unknown[]>(
      await jdyRaw(app, 'POST', '/jdyconnector/app_management/push_app_authorize', {
        body: {},
        query: [['outerInstanceId', 'o1']],
      }),
    );
    assert.equal(filtered.length, 1);
  });

  test('kingdee_auth_token: vector A signature, uid, failures in order', async () => {
    const ok = await jdyRaw(app, 'GET', '/jdyconnector/app_management/kingdee_auth_token', {
      query: [
        ['app_key', 'abc'],
        ['app_signature', VECTOR_A],
        ['uid', '1002'],
      ],
    });
    const data = dataOf<{ 'app-token': string; access_token: string; uid: number; expires: number }>(ok);
    assert.equal(data['app-token'], data.access_token);
    assert.equal(data.uid, 1002);
    const token = (query: [string, string][]) =>
      jdyRaw(app, 'GET', '/jdyconnector/app_management/kingdee_auth_token', { query });
    assert.equal((await token([['app_signature', VECTOR_A]])).json.description, 'app_key不能为空');
    assert.equal(
      (
        await token([
          ['app_key', 'other'],
          ['app_signature', 'x'],
        ])
      ).json.description,
      'app_key无效',
    );
    assert.equal(
      (
        await token([
          ['app_key', 'k2'],
          ['app_signature', 'x'],
        ])
      ).json.description,
      '账套已停用',
    );
    const unknownUid = await token([
      ['app_key', 'abc'],
      ['app_signature', VECTOR_A],
      ['uid', '1003'],
    ]);
    assert.deepEqual(unknownUid.body, { errcode: 1030002003, description: '用户[1003]不存在', data: null });
  });

  test('a rotated secret → 1030002006; old tokens survive; the new secret works', async () => {
    const rotated = await control(sb.url, 'POST', '/authorizations/abc/rotate_secret', {});
    const newSecret = rotated.json.app_secret as string;
    assert.match(newSecret, /^[0-9a-f]{32}$/);
    const stale = await fetchAppToken(app, 'abc', 'abc123');
    assert.deepEqual(stale.body, {
      errcode: 1030002006,
      description: '授权密钥校验失败，请获取最新密钥',
      data: null,
    });
    assert.equal((await jdyRaw(biz, 'GET', '/jdy/v2/bd/emp')).status, 200);
    assert.ok((await fetchAppToken(app, 'abc', newSecret)).token);
  });

  test('an inactive authorisation revokes its tokens at once', async () => {
    await control(sb.url, 'POST', '/authorizations/abc/status', { status: '0' });
    assert.equal((await jdyRaw(biz, 'GET', '/jdy/v2/bd/emp')).status, 401);
    const res = await fetchAppToken(app, 'abc', 'abc123');
    assert.equal(res.json.description, '应用授权已取消');
  });
});
