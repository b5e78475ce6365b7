import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { codeSignature, decryptPush, pushSignature } from '../../src/fxiaoke/crypto.js';
import {
  ADMIN,
  SandboxHarness,
  STOPPED,
  TEST_APP,
  TEST_CODE,
  TEST_CORP,
} from '../../src/fxiaoke/sandbox/testing.js';

let h: SandboxHarness;
before(async () => {
  h = await SandboxHarness.start();
});
after(() => h.close());

const tokenBody = { appId: TEST_APP.appId, appSecret: TEST_APP.appSecret, permanentCode: TEST_CODE };

/** A local receiver answering each request with the next scripted answer. */
async function receiver(answers: { status: number; body: string }[]) {
  const got: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const a = answers[got.length - 1] ?? { status: 200, body: 'success' };
      res.writeHead(a.status, { 'content-type': 'text/plain' }).end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb`;
  return { url, got, close: () => new Promise<void>((r) => server.close(() => r())) };
}

test('install push: signed, encrypted, retried once after a failure', async () => {
  const rx = await receiver([{ status: 500, body: 'oops' }]);
  try {
    const r = await h.ctl('/install', { corpId: TEST_CORP, type: 'PermanentCode', callbackUrl: rx.url });
    assert.equal(r.status, 200);
    assert.equal(r.json.delivered, true);
    const attempts = r.json.attempts as { attempt: number; httpStatus: number }[];
    assert.deepEqual(
      attempts.map((a) => [a.attempt, a.httpStatus]),
      [
        [1, 500],
        [2, 200],
      ],
    );
    assert.equal(rx.got.length, 2);
    assert.equal(rx.got[0]?.body, rx.got[1]?.body);
    const push = JSON.parse(rx.got[0]?.body ?? '{}') as Record<string, string>;
    assert.match(push.nonce ?? '', /^[A-Za-z0-9]{16}$/);
    assert.match(push.timeStamp ?? '', /^\d+$/);
    assert.equal(
      push.sig,
      pushSignature(TEST_APP.token, push.timeStamp ?? '', push.nonce ?? '', push.content ?? ''),
    );
    const { message, appId } = decryptPush(TEST_APP.encodingAesKey, push.content ?? '');
    assert.equal(appId, TEST_APP.appId);
    assert.equal(message, `{"type":"PermanentCode","content":"${TEST_CODE}"}`);
  } finally {
    await rx.close();
  }
});

test('cancel push deauthorizes: token call 20022, business call 20016; PermanentCode restores', async () => {
  const rx = await receiver([]);
  try {
    const r = await h.ctl('/install', {
      corpId: TEST_CORP,
      type: 'CancelPermanentCode',
      callbackUrl: rx.url,
    });
    assert.equal(r.json.delivered, true);
    assert.equal((await h.post('/cgi/corpAccessToken/get/V2', tokenBody)).json.errorCode, 20022);
    assert.equal((await h.corp('/cgi/department/list', {})).json.errorCode, 20016);
    await h.ctl('/install', { corpId: TEST_CORP, type: 'PermanentCode', callbackUrl: rx.url });
    await h.refreshToken();
    assert.equal((await h.corp('/cgi/department/list', {})).json.errorCode, 0);
  } finally {
    await rx.close();
  }
});

test('token lifetime: same token within 6600 s, new one after, old valid until 7200 s', async () => {
  await h.ctl('/limits', { resetCounters: true });
  await h.ctl('/tokens/expire', {});
  const t0 = await h.post('/cgi/corpAccessToken/get/V2', tokenBody);
  assert.equal(t0.json.errorMessage, 'success');
  assert.equal(t0.json.expiresIn, 7200);
  assert.match(String(t0.json.corpAccessToken), /^[0-9A-F]{32}$/);
  await h.ctl('/clock', { advanceMs: 6_000_000 });
  const t1 = await h.post('/cgi/corpAccessToken/get/V2', tokenBody);
  assert.equal(t1.json.corpAccessToken, t0.json.corpAccessToken);
  assert.ok(Number(t1.json.expiresIn) <= 1200 && Number(t1.json.expiresIn) >= 1199);
  await h.ctl('/clock', { advanceMs: 700_000 });
  const t2 = await h.post('/cgi/corpAccessToken/get/V2', tokenBody);
  assert.notEqual(t2.json.corpAccessToken, t0.json.corpAccessToken);
  assert.equal(t2.json.expiresIn, 7200);
  // the old token stays valid until its own expiry
  const old = { corpAccessToken: t0.json.corpAccessToken, corpId: TEST_CORP };
  assert.equal((await h.post('/cgi/department/list', old)).json.errorCode, 0);
  await h.ctl('/clock', { advanceMs: 600_000 });
  assert.equal((await h.post('/cgi/department/list', old)).json.errorCode, 20016);
  // issued for another corpId
  const wrongCorp = {
    corpAccessToken: t2.json.corpAccessToken,
    corpId: 'FSCID_FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF',
  };
  assert.equal((await h.post('/cgi/department/list', wrongCorp)).json.errorCode, 20016);
  h.corpToken = String(t2.json.corpAccessToken);
});

test('token call checks and the 10-per-minute limit', async () => {
  await h.ctl('/limits', { resetCounters: true });
  const call = (b: Record<string, unknown>) => h.post('/cgi/corpAccessToken/get/V2', b);
  assert.equal((await call({ ...tokenBody, appId: 'nope' })).json.errorCode, 10006);
  assert.equal((await call({ ...tokenBody, appSecret: 'bad' })).json.errorCode, 10006);
  assert.equal((await call({ appId: TEST_APP.appId, appSecret: TEST_APP.appSecret })).json.errorCode, 10006);
  assert.equal((await call({ ...tokenBody, permanentCode: 'PC_other' })).json.errorCode, 20015);
  for (let i = 0; i < 10; i++) assert.equal((await call(tokenBody)).json.errorCode, 0);
  assert.equal((await call(tokenBody)).json.errorCode, 30004);
  await h.ctl('/clock', { advanceMs: 60_001 });
  assert.equal((await call(tokenBody)).json.errorCode, 0);
  await h.ctl('/limits', { tokenRateLimit: false });
  for (let i = 0; i < 12; i++) assert.equal((await call(tokenBody)).json.errorCode, 0);
  await h.ctl('/limits', { tokenRateLimit: true, resetCounters: true });
});

test('processing order: 404, 405, 400, 413, 20017, 20016, 10010, 20012', async () => {
  const nf = await h.post('/cgi/nothing', {});
  assert.equal(nf.status, 404);
  assert.equal(nf.text, 'Not Found');
  const get = await fetch(`${h.sb.url}/cgi/user/get`);
  assert.equal(get.status, 405);
  assert.equal(await get.text(), 'Method Not Allowed');
  const notJson = await h.post('/cgi/user/get', '{oops');
  assert.equal(notJson.status, 400);
  assert.equal(notJson.json.errorCode, 10006);
  assert.equal((await h.post('/cgi/user/get', '[1]')).status, 400);
  assert.equal((await h.post('/cgi/user/get', '{}', { 'content-type': 'text/plain' })).status, 400);
  const charset = await h.post('/cgi/user/get', '{}', { 'content-type': 'application/json; charset=utf-8' });
  assert.equal(charset.status, 200);
  assert.equal(charset.json.errorCode, 20017);
  const big = await h.post('/cgi/user/get', JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }));
  assert.equal(big.status, 413);
  assert.equal(big.json.errorCode, 10006);
  assert.equal(
    (await h.post('/cgi/user/get', { corpId: TEST_CORP, corpAccessToken: '' })).json.errorCode,
    20017,
  );
  assert.equal(
    (await h.post('/cgi/user/get', { corpId: TEST_CORP, corpAccessToken: 'X' })).json.errorCode,
    20016,
  );
  const data = { dataObjectApiName: 'AccountObj', search_query_info: { limit: 1 } };
  const noUser = await h.post('/cgi/crm/v2/data/query', {
    corpAccessToken: h.corpToken,
    corpId: TEST_CORP,
    data,
  });
  assert.equal(noUser.json.errorCode, 10010);
  assert.equal((await h.crm('/cgi/crm/v2/data/query', { data }, 'FSUID_NOPE')).json.errorCode, 20012);
  assert.equal((await h.crm('/cgi/crm/v2/data/query', { data }, STOPPED)).json.errorCode, 20012);
  assert.equal((await h.crm('/cgi/crm/v2/data/query', { data })).json.errorCode, 0);
  assert.match(String(noUser.json.traceId), /^E-O\.sandbox\.\d+$/);
});

test('per-path limit: the 101st call in 20 s gets 30004, other paths are separate', async () => {
  await h.ctl('/clock', { frozen: true });
  await h.ctl('/limits', { resetCounters: true });
  try {
    for (let i = 0; i < 100; i++) assert.equal((await h.corp('/cgi/department/list', {})).json.errorCode, 0);
    assert.equal((await h.corp('/cgi/department/list', {})).json.errorCode, 30004);
    assert.equal((await h.corp('/cgi/user/list', { departmentId: 999999 })).json.errorCode, 0);
    await h.ctl('/clock', { advanceMs: 20_001 });
    assert.equal((await h.corp('/cgi/department/list', {})).json.errorCode, 0);
  } finally {
    await h.ctl('/clock', { frozen: false });
    await h.ctl('/limits', { resetCounters: true });
  }
});

test('daily quota gives 30002 once used up', async () => {
  await h.ctl('/tenant', { corpId: TEST_CORP, dailyQuota: 2 });
  await h.ctl('/limits', { resetCounters: true });
  try {
    assert.equal((await h.corp('/cgi/department/list', {})).json.errorCode, 0);
    assert.equal((await h.corp('/cgi/department/list', {})).json.errorCode, 0);
    assert.equal((await h.corp('/cgi/department/list', {})).json.errorCode, 30002);
    const limits = await h.ctl('/limits', undefined, 'GET');
    assert.deepEqual((limits.json.quotas as Record<string, unknown>)[TEST_CORP], {
      dailyQuota: 2,
      usedToday: 2,
    });
  } finally {
    await h.ctl('/tenant', { corpId: TEST_CORP, dailyQuota: null });
  }
});

test('directory calls', async () => {
  const byMobile = await h.corp('/cgi/user/getByMobile', { mobile: '13800000001' });
  assert.equal((byMobile.json.empList as { openUserId: string }[])[0]?.openUserId, ADMIN);
  assert.deepEqual((await h.corp('/cgi/user/getByMobile', { mobile: '13900000000' })).json.empList, []);
  assert.equal((await h.corp('/cgi/user/getByMobile', {})).json.errorCode, 10006);
  const u = await h.corp('/cgi/user/get', { openUserId: STOPPED });
  assert.equal(u.json.isStop, true);
  assert.equal(u.json.isCrmAdmin, false);
  assert.equal((await h.corp('/cgi/user/get', { openUserId: 'FSUID_X' })).json.errorCode, 20012);
  assert.equal(
    (await h.corp('/cgi/user/list', { departmentId: 999999 })).json.userList instanceof Array,
    true,
  );
  assert.equal((await h.corp('/cgi/user/list', { departmentId: 1 })).json.errorCode, 10006);
  const deps = (await h.corp('/cgi/department/list', {})).json.departments;
  assert.deepEqual(deps, [{ id: 999999, name: '全公司', parentId: 0, order: 0, isStop: false }]);
});

test('SSO redirect, app token and single-use code exchange', async () => {
  await h.ctl('/limits', { resetCounters: true });
  const res = await fetch(
    `${h.sb.url}/__sandbox/sso?corpId=${TEST_CORP}&openUserId=${ADMIN}&redirect=${encodeURIComponent('http://plugin.test/entry?x=1')}`,
    { redirect: 'manual' },
  );
  assert.equal(res.status, 302);
  const loc = new URL(res.headers.get('location') ?? '');
  assert.equal(loc.searchParams.get('x'), '1');
  const [code, ts, nonce, sig] = ['code', 'timestamp', 'nonce', 'codeSig'].map(
    (k) => loc.searchParams.get(k) ?? '',
  );
  assert.match(code ?? '', /^[0-9A-F]{32}$/);
  assert.equal(sig, codeSignature(TEST_APP.token, code ?? '', ts ?? '', nonce ?? ''));
  const app = await h.post('/cgi/appAccessToken/get', {
    appId: TEST_APP.appId,
    appSecret: TEST_APP.appSecret,
  });
  assert.equal(app.json.errorCode, 0);
  assert.equal(
    (await h.post('/cgi/appAccessToken/get', { appId: TEST_APP.appId, appSecret: 'x' })).json.errorCode,
    10006,
  );
  const appAccessToken = app.json.appAccessToken;
  assert.equal(
    (await h.post('/oauth2/openUserId/get', { appAccessToken: 'BAD', code })).json.errorCode,
    20005,
  );
  assert.equal((await h.post('/oauth2/openUserId/get', { appAccessToken })).json.errorCode, 10006);
  const ok = await h.post('/oauth2/openUserId/get', { appAccessToken, code });
  assert.equal(ok.json.errorCode, 0);
  assert.equal(ok.json.openUserId, ADMIN);
  assert.equal(ok.json.corpId, TEST_CORP);
  assert.equal((await h.post('/oauth2/openUserId/get', { appAccessToken, code })).json.errorCode, 20024);
  // expired codes
  const res2 = await fetch(
    `${h.sb.url}/__sandbox/sso?corpId=${TEST_CORP}&openUserId=${ADMIN}&redirect=http%3A%2F%2Fa`,
    {
      redirect: 'manual',
    },
  );
  const code2 = new URL(res2.headers.get('location') ?? '').searchParams.get('code');
  await h.ctl('/clock', { advanceMs: 300_001 });
  assert.equal(
    (await h.post('/oauth2/openUserId/get', { appAccessToken, code: code2 })).json.errorCode,
    20024,
  );
  const stopped = await fetch(
    `${h.sb.url}/__sandbox/sso?corpId=${TEST_CORP}&openUserId=${STOPPED}&redirect=http%3A%2F%2Fa`,
    {
      redirect: 'manual',
    },
  );
  assert.equal(stopped.status, 400);
});

test('faults: error, http_status, delay, lose_response; the call log records them', async () => {
  await h.ctl('/limits', { resetCounters: true });
  await h.ctl('/calls', undefined, 'DELETE');
  await h.ctl('/faults', { path: '/cgi/department/list', action: 'error', errorCode: -1, times: 1 });
  const e = await h.corp('/cgi/department/list', {});
  assert.equal(e.json.errorCode, -1);
  assert.equal(e.json.errorMessage, 'injected fault');
  assert.equal((await h.corp('/cgi/department/list', {})).json.errorCode, 0);

  await h.ctl('/faults', {
    path: '/cgi/department/list',
    action: 'http_status',
    httpStatus: 502,
    corpId: TEST_CORP,
  });
  const s = await h.corp('/cgi/department/list', {});
  assert.equal(s.status, 502);
  assert.equal(s.text, 'injected');

  await h.ctl('/faults', { path: '/cgi/department/list', action: 'delay', delayMs: 300 });
  const t0 = Date.now();
  assert.equal((await h.corp('/cgi/department/list', {})).json.errorCode, 0);
  assert.ok(Date.now() - t0 >= 290);

  await h.ctl('/faults', { path: '/cgi/crm/v2/data/create', action: 'lose_response' });
  await assert.rejects(
    h.crm('/cgi/crm/v2/data/create', {
      data: { object_data: { dataObjectApiName: 'AccountObj', name: '丢失响应客户' } },
    }),
  );
  const q = await h.crm('/cgi/crm/v2/data/query', {
    data: {
      dataObjectApiName: 'AccountObj',
      search_query_info: {
        limit: 10,
        filters: [{ field_name: 'name', operator: 'EQ', field_values: ['丢失响应客户'] }],
      },
    },
  });
  assert.equal(q.json.errorCode, 0);
  assert.equal((q.json.data as { total: number }).total, 1, 'the lost create was executed');
  const faults = await h.ctl('/faults', undefined, 'GET');
  assert.deepEqual(faults.json.faults, []);
  const calls = (await h.ctl(`/calls?corpId=${TEST_CORP}`, undefined, 'GET')).json.calls as {
    fault: string | null;
  }[];
  assert.deepEqual(
    calls.map((c) => c.fault).filter((f) => f !== null),
    ['error', 'http_status', 'delay', 'lose_response'],
  );
});
