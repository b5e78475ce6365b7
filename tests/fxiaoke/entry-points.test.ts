import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startPlugin, type RunningPlugin } from '../../src/server.js';
import type { TenantEntity } from '../../src/dal/tenant/tenant.entity.js';
import { codeSignature, encryptPush, hookSignature, pushSignature } from '../../src/fxiaoke/crypto.js';
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
import { JOB } from '../../src/jobs/job-names.js';
import { testConfig } from '../helpers/config.js';
import { freshDatabaseUri } from '../helpers/db.js';
import { waitFor } from './fx-helpers.js';

const OTHER_KEY = 'ZZECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8';

let h: SandboxHarness;
let plugin: RunningPlugin;
let tenantA: TenantEntity;
let tenantB: TenantEntity;
const cookies: string[] = [];

before(async () => {
  h = await SandboxHarness.start();
  await h.ctl('/seed', {
    tenants: [{ corpId: CORP_B, name: '乙企业', permanentCode: CODE_B, ...TEST_APP }],
    users: [{ corpId: CORP_B, openUserId: ADMIN_B, name: '赵六', mobile: '13900000001', isCrmAdmin: true }],
  });
  plugin = await startPlugin(
    testConfig({
      MONGODB_URI: await freshDatabaseUri('fx_entry'),
      FX_BASE_URL: h.sb.url,
      FX_APP_ID: TEST_APP.appId,
      FX_APP_SECRET: TEST_APP.appSecret,
      FX_TOKEN: TEST_APP.token,
      FX_ENCODING_AES_KEY: TEST_APP.encodingAesKey,
      // Agenda keeps a lockLifetime/2 liveness timer per job run alive after stop(): a short lock
      // lets this test process exit promptly (the jobs here take milliseconds).
      JOB_LOCK_LIFETIME_MS: '4000',
    }),
  );
});
after(async () => {
  await plugin.stop();
  await h.close();
});

const callbackUrl = () => `${plugin.url}/fxiaoke/callback`;
const tenantCount = () => plugin.ctx.conn.db!.collection('tenants').countDocuments();

async function push(body: Record<string, string>) {
  const res = await fetch(callbackUrl(), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

function signedPush(type: string, content: string, opts: { key?: string; ts?: number; appId?: string } = {}) {
  const enc = encryptPush(
    opts.key ?? TEST_APP.encodingAesKey,
    opts.appId ?? TEST_APP.appId,
    JSON.stringify({ type, content }),
  );
  const timeStamp = String(opts.ts ?? Date.now());
  const nonce = 'n0nce123';
  return { nonce, timeStamp, content: enc, sig: pushSignature(TEST_APP.token, timeStamp, nonce, enc) };
}

async function install(corpId: string): Promise<TenantEntity> {
  const r = await h.ctl('/install', { corpId, type: 'PermanentCode', callbackUrl: callbackUrl() });
  assert.equal(r.json.delivered, true);
  assert.equal((r.json.attempts as unknown[]).length, 1, 'answered success at the first attempt');
  return waitFor(`tenant ${corpId}`, async () => {
    const t = await plugin.ctx.repos.tenants.findByCorpId(corpId);
    return t?.status === 'active' ? t : null;
  });
}

async function sso(corpId: string, openUserId: string): Promise<string> {
  const res = await fetch(
    `${h.sb.url}/__sandbox/sso?corpId=${corpId}&openUserId=${openUserId}&redirect=${encodeURIComponent(`${plugin.url}/app/entry`)}`,
    { redirect: 'manual' },
  );
  assert.equal(res.status, 302);
  return res.headers.get('location')!;
}

async function signIn(corpId: string, openUserId: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(await sso(corpId, openUserId), { redirect: 'manual' });
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), '/app/');
  const setCookie = res.headers.get('set-cookie') ?? '';
  assert.match(setCookie, /HttpOnly/i);
  assert.match(setCookie, /SameSite=Lax/i);
  assert.doesNotMatch(setCookie, /Secure/i, 'http publicUrl: no Secure flag');
  const cookie = setCookie.split(';')[0]!;
  cookies.push(cookie.split('=')[1]!);
  const session = await api('/api/session', cookie);
  assert.equal(session.status, 200);
  return { cookie, csrf: String((session.json as { csrfToken: string }).csrfToken) };
}

async function api(path: string, cookie?: string, init: RequestInit = {}) {
  const res = await fetch(plugin.url + path, {
    ...init,
    headers: { ...(cookie ? { cookie } : {}), ...(init.headers as Record<string, string>) },
  });
  const text = await res.text();
  return {
    status: res.status,
    json: text.startsWith('{') || text.startsWith('[') ? (JSON.parse(text) as unknown) : null,
    text,
  };
}

describe('install push', () => {
  test('a signed, encrypted push creates the tenant keyed by the corpId of the token call', async () => {
    tenantA = await install(TEST_CORP);
    assert.match(tenantA._id, /^t_[0-9a-f]{16}$/);
    tenantB = await install(CORP_B);
    // A repeated push is a no-op.
    await install(TEST_CORP);
    assert.equal(await tenantCount(), 2);
  });

  test('a tampered signature, a stale timestamp, a wrong AES key, a wrong appId or garbage change nothing', async () => {
    const before = await plugin.ctx.conn.db!.collection('tenants').find().toArray();
    const good = signedPush('CancelPermanentCode', TEST_CODE);
    const cases = [
      { ...good, sig: good.sig.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) },
      signedPush('CancelPermanentCode', TEST_CODE, { ts: Date.now() - 600_000 }),
      signedPush('CancelPermanentCode', TEST_CODE, { key: OTHER_KEY }),
      signedPush('CancelPermanentCode', TEST_CODE, { appId: 'FSAID_SOMEONE_ELSE' }),
      {
        ...good,
        content: 'bm90IGVuY3J5cHRlZA==',
        sig: pushSignature(TEST_APP.token, good.timeStamp, good.nonce, 'bm90IGVuY3J5cHRlZA=='),
      },
      { nonce: '', timeStamp: 'abc', content: 'x', sig: 'y' },
    ];
    for (const body of cases) {
      const r = await push(body);
      assert.equal(r.text, 'failure');
    }
    assert.deepEqual(await plugin.ctx.conn.db!.collection('tenants').find().toArray(), before);
  });

  test('a Message push is ignored; cancel marks the tenant uninstalled, drops tokens and jobs', async () => {
    assert.equal((await push(signedPush('Message', '{"x":1}'))).text, 'success');
    const tenantId = tenantB._id;
    await plugin.ctx.scheduler.now(JOB.crmEvents, { tenantId });
    assert.ok(
      await plugin.ctx.conn.db!.collection('tokens').findOne({ _id: `fx:corp:${tenantId}` as never }),
    );
    const r = await h.ctl('/install', {
      corpId: CORP_B,
      type: 'CancelPermanentCode',
      callbackUrl: callbackUrl(),
    });
    assert.equal(r.json.delivered, true);
    const t = await plugin.ctx.repos.tenants.findByCorpId(CORP_B);
    assert.equal(t?.status, 'uninstalled');
    assert.equal(
      await plugin.ctx.conn.db!.collection('tokens').countDocuments({ _id: `fx:corp:${tenantId}` as never }),
      0,
    );
    assert.equal(
      await plugin.ctx.conn.db!.collection('jobs').countDocuments({ 'data.tenantId': tenantId }),
      0,
    );
    // Reinstall re-enables the same tenant id.
    tenantB = await install(CORP_B);
    assert.equal(tenantB._id, tenantId);
  });
});

describe('single sign-on', () => {
  test('the sandbox redirect signs in; replayed codes, bad codeSig and foreign codes are refused', async () => {
    const { cookie } = await signIn(TEST_CORP, ADMIN);
    const s = await api('/api/session', cookie);
    assert.deepEqual(s.json, {
      tenantId: tenantA._id,
      corpId: TEST_CORP,
      user: { openUserId: ADMIN, name: '张三', isAdmin: true },
      csrfToken: (s.json as { csrfToken: string }).csrfToken,
    });

    const link = await sso(TEST_CORP, USER);
    assert.equal((await fetch(link, { redirect: 'manual' })).status, 302);
    const replay = await fetch(link, { redirect: 'manual' });
    assert.equal(replay.status, 403);
    assert.equal(replay.headers.get('set-cookie'), null);

    const bad = new URL(await sso(TEST_CORP, USER));
    bad.searchParams.set('codeSig', '0'.repeat(40));
    assert.equal((await fetch(bad, { redirect: 'manual' })).status, 403);

    // A code issued for a tenant that has not installed the plugin: the 未安装 page.
    const CORP_C = 'FSCID_C0000000000000000000000000000000';
    await h.ctl('/seed', {
      tenants: [{ corpId: CORP_C, permanentCode: 'PC_C', ...TEST_APP }],
      users: [
        {
          corpId: CORP_C,
          openUserId: 'FSUID_C0000000000000000000000000000001',
          name: '钱七',
          mobile: '13700000001',
        },
      ],
    });
    const foreign = await fetch(await sso(CORP_C, 'FSUID_C0000000000000000000000000000001'), {
      redirect: 'manual',
    });
    assert.equal(foreign.status, 403);
    assert.match(await foreign.text(), /未安装/);
    // A code of another app (signed with that app's token) fails the signature check.
    await h.ctl('/seed', {
      tenants: [
        {
          corpId: 'FSCID_D0000000000000000000000000000000',
          permanentCode: 'PC_D',
          appId: 'FSAID_OTHER',
          appSecret: 's',
          token: 'otherToken',
          encodingAesKey: TEST_APP.encodingAesKey,
        },
      ],
      users: [
        {
          corpId: 'FSCID_D0000000000000000000000000000000',
          openUserId: 'FSUID_D0000000000000000000000000000001',
          name: '孙八',
          mobile: '13600000001',
        },
      ],
    });
    const otherApp = await fetch(
      await sso('FSCID_D0000000000000000000000000000000', 'FSUID_D0000000000000000000000000000001'),
      { redirect: 'manual' },
    );
    assert.equal(otherApp.status, 403);

    // A stale timestamp with a correct signature is refused too.
    const ts = String(Date.now() - 400_000);
    const staleSig = codeSignature(TEST_APP.token, 'CODE0001', ts, 'n');
    assert.equal(
      (await api(`/app/entry?code=CODE0001&timestamp=${ts}&nonce=n&codeSig=${staleSig}`)).status,
      403,
    );
  });

  test('admin-only endpoints refuse non-admins; CSRF guards state changes; logout ends the session', async () => {
    const admin = await signIn(TEST_CORP, ADMIN);
    const user = await signIn(TEST_CORP, USER);
    assert.equal((await api('/api/crm-events', admin.cookie)).status, 200);
    const refused = await api('/api/crm-events', user.cookie);
    assert.equal(refused.status, 403);
    assert.equal((refused.json as { error: { code: string } }).error.code, 'admin_required');
    assert.equal((await api('/api/session')).status, 401);

    assert.equal((await api('/api/logout', user.cookie, { method: 'POST' })).status, 403);
    assert.equal(
      (await api('/api/logout', user.cookie, { method: 'POST', headers: { 'x-csrf-token': admin.csrf } }))
        .status,
      403,
    );
    assert.equal(
      (await api('/api/logout', user.cookie, { method: 'POST', headers: { 'x-csrf-token': user.csrf } }))
        .status,
      204,
    );
    assert.equal((await api('/api/session', user.cookie)).status, 401);
    assert.equal((await api('/api/session', admin.cookie)).status, 200);
  });
});

describe('change events', () => {
  const hookUrl = (t: TenantEntity) => `${plugin.url}/hooks/fxiaoke/${t._id}`;
  const jobsOf = (t: TenantEntity) =>
    plugin.ctx.conn.db!.collection('jobs').countDocuments({ name: JOB.crmEvents, 'data.tenantId': t._id });
  const eventsOf = (t: TenantEntity) =>
    plugin.ctx.conn.db!.collection('crm_events').countDocuments({ tenantId: t._id });

  async function deliver(t: TenantEntity, body: string, ts: string, sig?: string) {
    const res = await fetch(hookUrl(t), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-fx-timestamp': ts,
        'x-fx-signature': sig ?? hookSignature(plugin.ctx.repos.tenants.hookSecretOf(t), ts, body),
      },
      body,
    });
    return res.status;
  }
  const eventBody = (corpId: string, ts: number, eventId = randomUUID()) =>
    JSON.stringify({
      event: 'updated',
      objectApiName: 'AccountObj',
      objectId: '67748580000000000000002a',
      tenant: corpId,
      operatorId: ADMIN,
      timestamp: ts,
      eventId,
    });

  test('a sandbox UI edit produces a signed event; one job per tenant; duplicates and forgeries queue nothing', async () => {
    await h.ctl('/hooks', {
      corpId: TEST_CORP,
      url: hookUrl(tenantA),
      secret: plugin.ctx.repos.tenants.hookSecretOf(tenantA),
      objects: ['AccountObj'],
    });
    const created = await h.ctl('/ui/create', {
      corpId: TEST_CORP,
      objectApiName: 'AccountObj',
      object_data: { name: '界面客户' },
    });
    const id = String(created.json.dataId);
    await h.ctl('/ui/update', {
      corpId: TEST_CORP,
      objectApiName: 'AccountObj',
      object_data: { _id: id, tel: '1' },
    });
    await h.ctl('/events/flush');
    const { deliveries } = (await h.ctl(`/events?corpId=${TEST_CORP}`, undefined, 'GET')).json as {
      deliveries: Array<{ httpStatus: number; body: string; headers: Record<string, string> }>;
    };
    assert.deepEqual(
      deliveries.map((d) => d.httpStatus),
      [202, 202],
    );
    assert.equal(await eventsOf(tenantA), 2);
    // Queued shortly after the events arrive: one job for the burst.
    await waitFor('the event job', async () => (await jobsOf(tenantA)) === 1);
    await waitFor(
      'events processed',
      async () =>
        (await plugin.ctx.conn
          .db!.collection('crm_event_queue')
          .countDocuments({ tenantId: tenantA._id })) === 0,
    );
    const shown = (await api('/api/crm-events', (await signIn(TEST_CORP, ADMIN)).cookie)).json as Array<{
      status: string;
    }>;
    assert.deepEqual(
      shown.map((e) => e.status),
      ['processed', 'processed'],
    );

    // The same delivery again: accepted, ignored.
    const last = deliveries[1]!;
    assert.equal(
      await deliver(tenantA, last.body, last.headers['x-fx-timestamp']!, last.headers['x-fx-signature']),
      202,
    );
    assert.equal(await eventsOf(tenantA), 2);
    assert.equal(await jobsOf(tenantA), 1);

    const now = Date.now();
    // Forged signature, missing signature, stale, foreign tenant in the body, extra key: nothing stored.
    assert.equal(await deliver(tenantA, eventBody(TEST_CORP, now), String(now), 'f'.repeat(64)), 401);
    assert.equal(await deliver(tenantA, eventBody(TEST_CORP, now), String(now), ''), 401);
    assert.equal(await deliver(tenantA, eventBody(TEST_CORP, now - 400_000), String(now - 400_000)), 403);
    assert.equal(await deliver(tenantA, eventBody(CORP_B, now), String(now)), 403);
    const extra = JSON.stringify({ ...JSON.parse(eventBody(TEST_CORP, now)), data: {} });
    assert.equal(await deliver(tenantA, extra, String(now)), 400);
    // Signed with tenant B's secret, sent to tenant A's hook.
    const bodyB = eventBody(TEST_CORP, now);
    assert.equal(
      await deliver(
        tenantA,
        bodyB,
        String(now),
        hookSignature(plugin.ctx.repos.tenants.hookSecretOf(tenantB), String(now), bodyB),
      ),
      401,
    );
    assert.equal(await eventsOf(tenantA), 2);
  });

  test('tenant isolation: a session of A gets 404 for an event of B', async () => {
    const now = Date.now();
    const eventId = randomUUID();
    assert.equal(await deliver(tenantB, eventBody(CORP_B, now, eventId), String(now)), 202);
    const a = await signIn(TEST_CORP, ADMIN);
    const b = await signIn(CORP_B, ADMIN_B);
    assert.equal((await api(`/api/crm-events/${eventId}`, b.cookie)).status, 200);
    assert.equal((await api(`/api/crm-events/${eventId}`, a.cookie)).status, 404);
    const listA = (await api('/api/crm-events', a.cookie)).json as Array<{ id: string }>;
    assert.ok(!listA.some((e) => e.id === eventId));
  });
});

describe('secrets at rest', () => {
  test('tenants, tokens and sessions hold no permanent code, token, secret or session id in clear text', async () => {
    const db = plugin.ctx.conn.db!;
    const dump = JSON.stringify(
      await Promise.all(['tenants', 'tokens', 'sessions'].map((c) => db.collection(c).find().toArray())),
    );
    const corpToken = await h.refreshToken();
    const secrets = [
      TEST_CODE,
      CODE_B,
      corpToken,
      TEST_APP.appSecret,
      plugin.ctx.repos.tenants.hookSecretOf(tenantA),
      plugin.ctx.repos.tenants.hookSecretOf(tenantB),
      ...cookies,
    ];
    assert.ok(cookies.length >= 3);
    for (const s of secrets) assert.ok(!dump.includes(s), `found a secret in clear text`);
    assert.ok((await db.collection('sessions').countDocuments()) >= 1);
    assert.ok((await db.collection('tokens').countDocuments()) >= 2);
  });
});
