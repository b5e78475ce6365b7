import { test } from 'node:test';
import assert from 'node:assert/strict';
import axios, { AxiosError, type AxiosInstance, type InternalAxiosRequestConfig } from 'axios';
import { ManualClock } from '../../src/lib/clock.js';
import { IntegrationError } from '../../src/lib/errors.js';
import { SlidingWindowLimiter } from '../../src/lib/rate-limit.js';
import { appSignature, signRequest } from '../../plugins/jingdouyun/signing.js';
import {
  JdyClient,
  JdyTransport,
  MemoryTokenStore,
  classifyCode,
  decryptPersonal,
  login,
  type JdyConnection,
} from '../../plugins/jingdouyun/client/index.js';
import { encryptPersonal } from '../../plugins/jingdouyun/client/privacy.js';

const SECRET = '0123456789abcdef0123456789abcdef';
const CONFIG = { baseUrl: 'https://api.example.test', clientId: 'cid', clientSecret: SECRET };
const CONN: JdyConnection = {
  accountId: 'A1',
  appKey: 'ak1',
  appSecret: 'old',
  domain: 'https://tf.jdy.com',
  groupName: 'g',
};

interface FakeRequest {
  method: string;
  path: string;
  rawQuery: string;
  pairs: Array<[string, string]>;
  headers: Record<string, string>;
  body: unknown;
}
interface FakeResponse {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Simulate a network failure of this kind instead of answering. */
  fail?: 'ECONNABORTED' | 'ECONNRESET';
}
type Handler = (req: FakeRequest) => FakeResponse | Promise<FakeResponse>;

function fakeHttp(handler: Handler): { http: AxiosInstance; calls: FakeRequest[] } {
  const calls: FakeRequest[] = [];
  const http = axios.create({
    adapter: async (config: InternalAxiosRequestConfig) => {
      const url = new URL(config.url ?? '');
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(config.headers.toJSON())) headers[k.toLowerCase()] = String(v);
      let body: unknown = config.data;
      if (typeof config.data === 'string') {
        try {
          body = JSON.parse(config.data);
        } catch {
          body = config.data;
        }
      }
      const req: FakeRequest = {
        method: (config.method ?? 'get').toUpperCase(),
        path: url.pathname,
        rawQuery: url.search.slice(1),
        pairs: [...url.searchParams.entries()],
        headers,
        body,
      };
      calls.push(req);
      const res = await handler(req);
      if (res.fail) throw new AxiosError('failed', res.fail, config);
      return {
        data: JSON.stringify(res.body ?? {}),
        status: res.status ?? 200,
        statusText: '',
        headers: res.headers ?? {},
        config,
      };
    },
  });
  return { http, calls };
}

const ok = (data: unknown): FakeResponse => ({ body: { errcode: 0, description: 'success', data } });
const fail = (errcode: number, description: string, status = 200): FakeResponse => ({
  status,
  body: { errcode, description, data: null },
});

/** A gateway that checks signatures like §2.7, issues tokens, and sends business calls to `business`. */
function gateway(
  clock: ManualClock,
  business: (req: FakeRequest, token: string) => FakeResponse | Promise<FakeResponse>,
  state = { secret: 'old', tokensIssued: 0, authorizeReads: 0 },
) {
  const handler: Handler = async (req) => {
    if (req.headers['x-api-signature']) {
      assert.ok(!req.rawQuery.includes('+'), 'query must use %20, never +');
      const expected = signRequest(
        SECRET,
        req.method,
        req.path,
        req.pairs,
        req.headers['x-api-nonce']!,
        req.headers['x-api-timestamp']!,
      );
      if (expected !== req.headers['x-api-signature']) return fail(519, '签名校验失败', 519);
    }
    if (req.path === '/jdyconnector/app_management/kingdee_auth_token') {
      const key = req.pairs.find(([k]) => k === 'app_key')?.[1] ?? '';
      const sig = req.pairs.find(([k]) => k === 'app_signature')?.[1];
      if (sig !== appSignature(key, state.secret))
        return fail(1030002006, '授权密钥校验失败，请获取最新密钥');
      state.tokensIssued++;
      await Promise.resolve();
      return ok({ 'app-token': `tok${state.tokensIssued}`, expires: clock.now() + 86_400_000 });
    }
    if (req.path === '/jdyconnector/app_management/push_app_authorize') {
      state.authorizeReads++;
      return ok([
        { appKey: 'other', appSecret: 'x', accountId: 'B', status: '1', domain: 'd', groupName: 'g' },
        {
          appKey: 'ak1',
          appSecret: state.secret,
          accountId: 'A1',
          status: '1',
          domain: 'https://tf2.jdy.com',
          groupName: 'g2',
        },
      ]);
    }
    return business(req, req.headers['app-token'] ?? '');
  };
  return { handler, state };
}

function setup(business: (req: FakeRequest, token: string) => FakeResponse | Promise<FakeResponse>) {
  const clock = new ManualClock(1_700_000_000_000);
  const gw = gateway(clock, business);
  const { http, calls } = fakeHttp(gw.handler);
  const changes: JdyConnection[] = [];
  const limiter = new SlidingWindowLimiter({ limit: 480, windowMs: 60_000, clock });
  const tokenStore = new MemoryTokenStore();
  const transport = new JdyTransport(CONFIG, {
    http,
    clock,
    limiter,
    tokenStore,
    random: () => 0.5,
    onConnectionChange: (c) => void changes.push(c),
  });
  const session = transport.session({ ...CONN, appSecret: 'old' });
  return { clock, gw, calls, changes, transport, session, client: new JdyClient(session), tokenStore };
}

const tokenCalls = (calls: FakeRequest[]) =>
  calls.filter((c) => c.path.endsWith('kingdee_auth_token')).length;

async function rejectsWith(p: Promise<unknown>, check: (e: IntegrationError) => void): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof IntegrationError, `not an IntegrationError: ${String(e)}`);
    check(e);
    return true;
  });
}

test('token single-flight: concurrent callers share one token call; headers are complete', async () => {
  const { calls, session } = setup(() => ok({ id: '1' }));
  await Promise.all(Array.from({ length: 10 }, () => session.get('/jdy/v2/bd/customer_detail', { id: '1' })));
  assert.equal(tokenCalls(calls), 1);
  const biz = calls.filter((c) => c.path.startsWith('/jdy/v2'));
  assert.equal(biz.length, 10);
  const nonces = new Set(biz.map((c) => c.headers['x-api-nonce']));
  assert.equal(nonces.size, 10, 'fresh nonce per call');
  const h = biz[0]!.headers;
  assert.equal(h['app-token'], 'tok1');
  assert.equal(h['x-gw-router-addr'], 'https://tf.jdy.com');
  assert.equal(h['x-api-auth-version'], '2.0');
  assert.equal(h['x-api-signheaders'], 'X-Api-TimeStamp,X-Api-Nonce');
  assert.equal(h['x-api-clientid'], 'cid');
  const tokenCall = calls.find((c) => c.path.endsWith('kingdee_auth_token'))!;
  assert.equal(tokenCall.headers['app-token'], undefined);
  assert.equal(tokenCall.headers['x-gw-router-addr'], undefined);
});

test('signing: spaces go out as %20, arrays as repeated keys, and the gateway accepts the signature', async () => {
  const { calls, session } = setup(() => ok({ rows: [], count: '0', total_page: 0 }));
  await session.get('/jdy/v2/bd/material', { search: "华东 A&B!'()*", ids: ['1', '2'] });
  const call = calls.at(-1)!;
  assert.match(call.rawQuery, /search=%E5%8D%8E%E4%B8%9C%20A%26B%21%27%28%29%2A/);
  assert.match(call.rawQuery, /ids=1&ids=2/);
});

test('token refresh when less than one hour remains', async () => {
  const { calls, session, clock } = setup(() => ok({}));
  await session.get('/jdy/v2/bd/customer_detail', { id: '1' });
  clock.advance(22 * 3_600_000);
  await session.get('/jdy/v2/bd/customer_detail', { id: '1' });
  assert.equal(tokenCalls(calls), 1);
  clock.advance(1.5 * 3_600_000);
  await session.get('/jdy/v2/bd/customer_detail', { id: '1' });
  assert.equal(tokenCalls(calls), 2);
});

test('401 → token dropped, refreshed once, call repeated once and succeeds', async () => {
  const { calls, session } = setup((_req, token) =>
    token === 'tok1' ? fail(401, 'token无效', 401) : ok({ id: '7' }),
  );
  assert.deepEqual(await session.get('/jdy/v2/bd/customer_detail', { id: '7' }), { id: '7' });
  assert.equal(tokenCalls(calls), 2);
});

test('401 again after the refresh: passing until three calls in a row meet it, then auth', async () => {
  let refuse = true;
  const { calls, session } = setup(() => (refuse ? fail(401, 'token无效', 401) : ok({ id: '7' })));
  const get = () => session.get('/jdy/v2/bd/customer_detail', { id: '7' });
  const refused = (errorClass: string) =>
    rejectsWith(get(), (e) => {
      assert.equal(e.errorClass, errorClass);
      assert.equal(e.code, 401);
      assert.doesNotMatch(e.message, /tok\d/);
    });
  await refused('transient');
  await refused('transient');
  refuse = false;
  assert.deepEqual(await get(), { id: '7' }, 'a call goes through: the count starts again');
  refuse = true;
  await refused('transient');
  await refused('transient');
  await refused('auth');
  // Each refused call: the call and its one repeat after a refresh.
  assert.equal(calls.filter((c) => c.path.startsWith('/jdy/v2')).length, 5 * 2 + 1);
});

test('calls in flight refused together after one refresh are one strike, not three', async () => {
  let refuse = true;
  const { session } = setup(() => (refuse ? fail(401, 'token无效', 401) : ok({ id: '7' })));
  await session.ensureToken();
  const get = () => session.get('/jdy/v2/bd/customer_detail', { id: '7' });
  // Eight callers meet the expiry, share a refresh, and meet its token refused as well (reads repeat once more).
  const classes = await Promise.all(
    Array.from({ length: 8 }, () =>
      get().then(
        () => 'ok',
        (e: { errorClass: string }) => e.errorClass,
      ),
    ),
  );
  assert.deepEqual(
    new Set(classes),
    new Set(['transient']),
    'passing: the authorisation is not taken as lost',
  );
  refuse = false;
  assert.deepEqual(await get(), { id: '7' });
});

test('401 from many callers with the same stale token → one refresh only', async () => {
  const { calls, session, tokenStore } = setup((_req, token) =>
    token === 'tok1' ? fail(401, 'token无效', 401) : ok({}),
  );
  await session.ensureToken();
  await Promise.all(Array.from({ length: 5 }, () => session.get('/jdy/v2/bd/emp_detail', { id: '1' })));
  assert.equal(tokenCalls(calls), 2);
  assert.equal((await tokenStore.get('A1'))?.token, 'tok2');
});

test('rotated secret: re-read push_app_authorize once, persist the new connection, retry token once', async () => {
  const { calls, session, changes, gw } = setup(() => ok({}));
  gw.state.secret = 'new-secret';
  await session.get('/jdy/v2/bd/customer_detail', { id: '1' });
  assert.equal(gw.state.authorizeReads, 1);
  assert.equal(tokenCalls(calls), 2);
  assert.deepEqual(changes, [
    {
      accountId: 'A1',
      appKey: 'ak1',
      appSecret: 'new-secret',
      domain: 'https://tf2.jdy.com',
      groupName: 'g2',
    },
  ]);
  assert.equal(session.connection.appSecret, 'new-secret');
  assert.equal(calls.at(-1)!.headers['x-gw-router-addr'], 'https://tf2.jdy.com');
});

test('revoked authorisation: no active row after the re-read → 9901000001 (auth)', async () => {
  const clock = new ManualClock(1_700_000_000_000);
  const { http } = fakeHttp((req) => {
    if (req.path.endsWith('kingdee_auth_token')) return fail(1020002008, '应用授权已取消');
    if (req.path.endsWith('push_app_authorize')) return ok([{ appKey: 'ak1', accountId: 'A1', status: '0' }]);
    return ok({});
  });
  const t = new JdyTransport(CONFIG, {
    http,
    clock,
    limiter: new SlidingWindowLimiter({ limit: 9, windowMs: 1, clock }),
  });
  await rejectsWith(t.session(CONN).get('/jdy/v2/bd/customer'), (e) => {
    assert.equal(e.code, 9901000001);
    assert.equal(e.errorClass, 'auth');
    assert.match(e.message, /该账套尚未授权本应用/);
  });
});

test('429 honours Retry-After for the whole account set, then repeats', async () => {
  let n = 0;
  const { session, clock, calls } = setup(() =>
    ++n === 1 ? { ...fail(429, '请求过于频繁', 429), headers: { 'retry-after': '7' } } : ok({ n }),
  );
  const t0 = clock.now();
  assert.deepEqual(await session.get('/jdy/v2/bd/customer_detail', { id: '1' }), { n: 2 });
  assert.ok(clock.now() - t0 >= 7000, `waited ${clock.now() - t0}`);
  const biz = calls.filter((c) => c.path.startsWith('/jdy/v2'));
  assert.notEqual(biz[0]!.headers['x-api-nonce'], biz[1]!.headers['x-api-nonce']);
});

test('429 without Retry-After waits 5 s, then 10 s', async () => {
  let n = 0;
  const { session, clock } = setup(() => (++n <= 2 ? fail(429, '请求过于频繁', 429) : ok({})));
  const t0 = clock.now();
  await session.get('/jdy/v2/bd/customer_detail', { id: '1' });
  assert.ok(clock.now() - t0 >= 15_000 && clock.now() - t0 < 16_000, `waited ${clock.now() - t0}`);
});

test('reads retry on 503, timeouts and 1000002001 with backoff; writes never repeat blindly', async () => {
  const answers: FakeResponse[] = [
    fail(503, '服务繁忙', 503),
    { fail: 'ECONNABORTED' },
    fail(1000002001, '服务异常'),
    ok({ ok: 1 }),
  ];
  const { session, clock, calls } = setup(() => answers.shift()!);
  const t0 = clock.now();
  assert.deepEqual(await session.get('/jdy/v2/bd/customer_detail', { id: '1' }), { ok: 1 });
  const waited = clock.now() - t0;
  assert.ok(waited >= 7000 && waited < 7100, `backoff 1+2+4 s, got ${waited}`);

  const writes: FakeResponse[] = [fail(503, '服务繁忙', 503)];
  const s2 = setup(() => writes.shift() ?? ok({ ids: ['1'] }));
  await rejectsWith(s2.session.post('/jdy/v2/bd/customer', { name: 'x' }), (e) => {
    assert.equal(e.errorClass, 'transient');
    assert.equal(e.outcomeUnknown, true);
  });
  assert.equal(s2.calls.filter((c) => c.path === '/jdy/v2/bd/customer').length, 1);
  assert.ok(calls.length > 0);
});

test('error classification of business and gateway answers', async () => {
  const table: Array<[FakeResponse, string, number]> = [
    [fail(400, '时间戳已过期', 400), 'unexpected', 400],
    [fail(404, 'No Route', 404), 'unexpected', 404],
    [fail(519, '签名校验失败', 519), 'unexpected', 519],
    [fail(1030002002, '编码C1已存在，不能重复新增'), 'data', 1030002002],
    [fail(2016012099, '客户[X]不存在'), 'data', 2016012099],
    [fail(2018023007, '该单据为审核状态，不允许修改'), 'data', 2018023007],
    [fail(1234567890, '新错误'), 'data', 1234567890],
    [{ body: { errcode: '1030002000', description: 'name不能为空', data: null } }, 'data', 1030002000],
  ];
  for (const [answer, errorClass, code] of table) {
    const { session } = setup(() => answer);
    await rejectsWith(session.post('/jdy/v2/bd/customer', {}), (e) => {
      assert.equal(e.errorClass, errorClass, `code ${code}`);
      assert.equal(e.code, code);
      assert.equal(e.outcomeUnknown, false);
      assert.ok(e.message.includes(String((answer.body as { description: string }).description)));
    });
  }
  assert.equal(classifyCode(1020002008, 200), 'auth');
  assert.equal(classifyCode(9901000001, 200), 'auth');
  assert.equal(classifyCode(9901000002, 200), 'auth');
  assert.equal(classifyCode(1000002001, 200), 'transient');
  assert.equal(classifyCode(429, 429), 'transient');
  assert.equal(classifyCode(502, 502), 'transient');
});

test('personal fields: §3.5 vector, and plaintext passes through', () => {
  assert.equal(encryptPersonal('13800000000', SECRET), 'Dko5eWh6JYu73Piy11eWFg==');
  assert.equal(decryptPersonal('Dko5eWh6JYu73Piy11eWFg==', SECRET), '13800000000');
  assert.equal(decryptPersonal('13800000000', SECRET), '13800000000');
  assert.equal(
    decryptPersonal('YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4', SECRET),
    'YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4',
  );
});

test('responses are decrypted at any depth; decimals canonical; contacts normalised', async () => {
  const { client } = setup(() =>
    ok({
      id: '100000000000000001',
      name: '甲',
      addr: encryptPersonal('杭州 西湖', SECRET),
      bomentity: [
        {
          id: '2',
          seq: 1,
          contact_person: '张',
          mobile: 'Dko5eWh6JYu73Piy11eWFg==',
          gender: '0',
          is_default_linkman: true,
        },
        { id: '3', seq: 2, contact_person: '李', mobile: '', gender: '', is_default_linkman: false },
      ],
    }),
  );
  const c = await client.customers.detail({ id: '100000000000000001' });
  assert.equal(c.addr, '杭州 西湖');
  assert.equal(c.contacts[0]!.mobile, '13800000000');
  assert.equal(c.contacts[0]!.gender, 'female');
  assert.equal(c.contacts[1]!.gender, 'unknown');
  assert.equal('bomentity' in c, false);

  const m = setup(() =>
    ok({ id: '9', price_entity: [{ id: '1', price_retail_price: 12.5, price_trade_price: '3.00' }] }),
  );
  const detail = await m.client.materials.detail({ number: 'M1' });
  assert.equal(detail.price_entity[0]!.price_retail_price, '12.5');
  assert.equal(detail.price_entity[0]!.price_trade_price, '3');
});

test('customer save sends contact_persons with gender "1"/"2"', async () => {
  const { client, calls } = setup(() => ok({ ids: ['5'], id_number_map: { '5': 'C1' } }));
  const res = await client.customers.save({
    number: 'C1',
    name: '甲',
    contacts: [
      { contact_person: '张', gender: 'female' },
      { contact_person: '王', gender: 'male' },
    ],
  });
  assert.deepEqual(res, { ids: ['5'], id_number_map: { '5': 'C1' } });
  assert.deepEqual(calls.at(-1)!.body, {
    number: 'C1',
    name: '甲',
    contact_persons: [
      { contact_person: '张', gender: '2' },
      { contact_person: '王', gender: '1' },
    ],
  });
});

test('createWithLookup: a lost answer is followed by a lookup, not by a second create', async () => {
  let saves = 0;
  const { client } = setup((req) => {
    if (req.method === 'POST') {
      saves++;
      return { fail: 'ECONNRESET' };
    }
    return ok({ id: '42', number: 'C9', name: '乙', bomentity: [] });
  });
  const out = await client.customers.createWithLookup({ number: 'C9', name: '乙' });
  assert.equal(saves, 1);
  assert.equal(out.recovered, true);
  assert.equal(out.id, '42');
});

test('createWithLookup: not found after the lost answer → sent once more', async () => {
  let saves = 0;
  const { client } = setup((req) => {
    if (req.method === 'POST')
      return ++saves === 1 ? { fail: 'ECONNABORTED' } : ok({ ids: ['43'], id_number_map: { '43': 'C9' } });
    return fail(1030002003, '客户[C9]不存在');
  });
  const out = await client.customers.createWithLookup({ number: 'C9', name: '乙' });
  assert.deepEqual([saves, out.recovered, out.id], [2, false, '43']);
});

test('delete: a repeated delete answering 1030002003 means done', async () => {
  let n = 0;
  const { client } = setup(() => (++n === 1 ? { fail: 'ECONNRESET' } : fail(1030002003, '客户[C1]不存在')));
  assert.deepEqual(await client.delete('bd_customer', { ids: ['1', '2'] }), { alreadyGone: true });
});

test('upload: over 10 MB refused before sending', async () => {
  const { client, calls } = setup(() => ok({}));
  await rejectsWith(client.upload(Buffer.alloc(10_485_761), 'big.bin'), (e) =>
    assert.equal(e.code, 1030002005),
  );
  assert.equal(calls.length, 0);
});

test('login: non-mobile usernames are refused without a call; disabled account sets are flagged', async () => {
  const { transport, calls } = setup(() => ok({}));
  await rejectsWith(login(transport, 'admin@example.com', 'pw'), (e) => {
    assert.equal(e.errorClass, 'auth');
    assert.match(e.message, /仅手机号账号/);
  });
  assert.equal(calls.length, 0);

  const clock = new ManualClock();
  const { http, calls: c2 } = fakeHttp((req) => {
    if (req.path === '/auth/user/access_token')
      return ok({ access_token: 'pp', expires_in: 7200, uid: 1001 });
    return {
      body: {
        success: true,
        errorCode: '',
        message: '',
        data: [
          {
            serviceId: 's',
            accountGroups: [
              { accountId: 'A1', accountName: 'n', groupName: 'g', enable: 1 },
              { accountId: 'A2', enable: '0' },
            ],
          },
        ],
      },
    };
  });
  const t = new JdyTransport(CONFIG, { http, clock });
  const result = await login(t, '13800000001', 'p w+&');
  assert.deepEqual(
    result.accountSets.map((s) => [s.accountId, s.enabled]),
    [
      ['A1', true],
      ['A2', false],
    ],
  );
  assert.equal(c2[0]!.method, 'POST');
  assert.doesNotMatch(c2[0]!.rawQuery, /password/, 'password only in the body');
  assert.equal(new URLSearchParams(String(c2[0]!.body)).get('password'), 'p w+&');
});

test('a write that fails before leaving (token fetch down) is not marked outcomeUnknown', async () => {
  const clock = new ManualClock();
  const { http, calls } = fakeHttp(() => fail(503, '服务繁忙', 503));
  const t = new JdyTransport(CONFIG, {
    http,
    clock,
    limiter: new SlidingWindowLimiter({ limit: 9, windowMs: 1, clock }),
  });
  await rejectsWith(t.session(CONN).post('/jdy/v2/bd/customer', { name: 'x' }), (e) => {
    assert.equal(e.outcomeUnknown, false);
    assert.equal(e.errorClass, 'transient');
  });
  assert.equal(calls.filter((c) => c.path === '/jdy/v2/bd/customer').length, 0);
});
