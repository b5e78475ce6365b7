/**
 * Secrets never rest or travel in clear text: after the flows that handle them (install with a
 * permanent code, SSO, a failed and a good Jingdouyun login, connect, bindings, a sync run, a
 * signed change event, logout), every document of every collection (raw, native driver) and
 * everything the plugin logged at trace level is searched for each secret the flows saw.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { TenantId } from '../../src/db/base-repository.js';
import type { TenantEntity } from '../../src/dal/tenant/tenant.entity.js';
import { DEMO_USER } from '../../src/demo/sandboxes.js';
import { FX_APP, FX_TENANTS, JDY_ACCOUNT_SETS, JDY_APP, JDY_DEMO_LOGIN } from '../../src/demo/story.js';
import { hookSignature } from '../../src/fxiaoke/crypto.js';
import { DEMO_AUTHORIZATION } from '../../plugins/jingdouyun/sandbox/seed/demo.js';
import { waitFor } from '../fxiaoke/fx-helpers.js';
import { startWorld, type Signed, type World } from './world.js';

const WRONG_PASSWORD = 'Wr0ng-Passw0rd-7781';

let w: World;
let tenant: TenantEntity;
/** Every secret the flows handled, by what it is. */
const secrets = new Map<string, string>();

/** String leaves of a JSON text long enough to be credentials (ids and flags are not). */
function credentialLeaves(text: string): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string' && v.length >= 16 && !/^\d+$/.test(v)) out.push(v);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  try {
    walk(JSON.parse(text));
  } catch {
    out.push(text);
  }
  return out;
}

before(async () => {
  const seededAt = Date.now();
  w = await startWorld('sec_secrets', {}, 'trace');
  const { ctx } = w.plugin;
  tenant = await w.install(FX_TENANTS.main.corpId);
  const other = await w.install(FX_TENANTS.other.corpId);
  const tenantId = tenant._id as TenantId;

  // SSO by hand once, to know the single-use code and its signature.
  const link = new URL(await w.ssoLink(DEMO_USER.openUserId));
  secrets.set('SSO code', link.searchParams.get('code')!);
  assert.equal((await fetch(link, { redirect: 'manual' })).status, 302);
  const admin = await w.signIn();
  const user = await w.signIn(DEMO_USER.openUserId);
  const post = (s: Signed, path: string, body: unknown) => w.send(s, 'POST', path, body);

  assert.equal(
    (await post(admin, '/api/jdy/login', { mobile: JDY_DEMO_LOGIN.mobile, password: WRONG_PASSWORD })).status,
    422,
  );
  const login = await post(admin, '/api/jdy/login', {
    mobile: JDY_DEMO_LOGIN.mobile,
    password: JDY_DEMO_LOGIN.password,
  });
  assert.equal(login.status, 200, login.text);
  const { loginId } = login.json as { loginId: string };
  const held = await ctx.repos.erpLogins.take(tenantId, loginId, new Date());
  credentialLeaves(held!.state).forEach((s, i) => secrets.set(`JDY login state ${i}`, s));
  const connected = await post(admin, '/api/jdy/connect', {
    loginId,
    accountId: JDY_ACCOUNT_SETS.main.accountId,
  });
  assert.equal(connected.status, 200, connected.text);
  const employees = (await w.api('/api/jdy/employees', { cookie: admin.cookie })).json as Array<{
    jdyEmpId: string;
  }>;
  assert.equal(
    (await post(admin, '/api/bindings/from-jdy', { jdyEmpIds: employees.map((e) => e.jdyEmpId) })).status,
    200,
  );
  // One object is enough to use the JDY and CRM tokens and store sync records with their attempts.
  // The JDY reader's windows end 5 s before now: wait until the seeded customers are inside one.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, seededAt + 6_000 - Date.now())));
  const run = await post(admin, '/api/sync/run', { objects: ['customer'] });
  assert.equal(run.status, 202, run.text);
  const { runId } = run.json as { runId: string };
  await waitFor(
    'the sync run',
    async () => {
      const r = await w.api(`/api/sync/runs/${runId}`, { cookie: admin.cookie });
      return !['queued', 'running'].includes((r.json as { status: string }).status);
    },
    120_000,
  );

  const now = Date.now();
  const event = JSON.stringify({
    event: 'updated',
    objectApiName: 'AccountObj',
    objectId: '67748580000000000000002a',
    tenant: FX_TENANTS.main.corpId,
    operatorId: DEMO_USER.openUserId,
    timestamp: now,
    eventId: randomUUID(),
  });
  const hookSecret = ctx.repos.tenants.hookSecretOf(tenant);
  const hook = await w.api(`/hooks/fxiaoke/${tenant._id}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-fx-timestamp': String(now),
      'x-fx-signature': hookSignature(hookSecret, String(now), event),
    },
    body: event,
  });
  assert.equal(hook.status, 202);
  assert.equal((await post(user, '/api/logout', {})).status, 204);

  secrets.set('FX app secret', FX_APP.appSecret);
  secrets.set('FX signing token', FX_APP.token);
  secrets.set('FX encodingAesKey', FX_APP.encodingAesKey);
  secrets.set('permanent code (main)', FX_TENANTS.main.permanentCode);
  secrets.set('permanent code (other)', FX_TENANTS.other.permanentCode);
  secrets.set('hook secret (main)', hookSecret);
  secrets.set('hook secret (other)', ctx.repos.tenants.hookSecretOf(other));
  secrets.set('JDY client secret', JDY_APP.clientSecret);
  secrets.set('JDY password', JDY_DEMO_LOGIN.password);
  secrets.set('JDY wrong password', WRONG_PASSWORD);
  secrets.set('JDY app key', DEMO_AUTHORIZATION.appKey);
  secrets.set('JDY app secret', DEMO_AUTHORIZATION.appSecret);
  const connection = await ctx.repos.connections.get(tenantId);
  credentialLeaves(ctx.repos.connections.open(connection!).secrets).forEach((s, i) =>
    secrets.set(`JDY connection secret ${i}`, s),
  );
  for (const doc of await ctx.conn.db!.collection('tokens').find().toArray()) {
    const { token } = await ctx.repos.tokens.read(String(doc._id));
    if (token) secrets.set(`token ${String(doc._id)}`, token.token);
  }
  for (const [who, s] of [
    ['admin', admin],
    ['user (signed out)', user],
  ] as const) {
    secrets.set(`session id (${who})`, s.sessionId);
    secrets.set(`CSRF token (${who})`, s.csrf);
  }
  const key = ctx.config.secretKey;
  for (const encoding of ['base64', 'base64url', 'hex'] as const)
    secrets.set(`SECRET_KEY ${encoding}`, key.toString(encoding));
  // Let the last log lines and job writes land.
  await new Promise((r) => setTimeout(r, 300));
});
after(() => w.stop());

test('the flows handled the secrets this test looks for', () => {
  for (const kind of [
    'token fx:corp:',
    'token fx:app:',
    'token jdy:',
    'JDY login state 0',
    'JDY connection secret 0',
  ]) {
    assert.ok(
      [...secrets.keys()].some((k) => k.startsWith(kind)),
      `no ${kind} seen`,
    );
  }
  for (const [what, value] of secrets) assert.ok(value.length >= 8, `${what} is too short to search for`);
});

test('no collection holds a secret in clear text', async () => {
  const dump = await w.dump();
  for (const name of [
    'tenants',
    'tokens',
    'sessions',
    'connections',
    'crm_events',
    'sync_records',
    'jobs',
    'bindings',
  ]) {
    assert.ok(dump.includes(`"${name}":[{`), `${name} has documents`);
  }
  const found = [...secrets].filter(([, value]) => dump.includes(value)).map(([what]) => what);
  assert.deepEqual(found, []);
});

test('the log, at trace level, holds no secret', () => {
  const logs = w.logs();
  assert.ok(logs.split('\n').length > 50, 'the flows were logged');
  const found = [...secrets].filter(([, value]) => logs.includes(value)).map(([what]) => what);
  assert.deepEqual(found, []);
});
