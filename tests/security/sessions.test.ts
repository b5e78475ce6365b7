/**
 * The plugin's sessions under attack (plugin-api.md § Session): the CSRF token on every
 * state-changing /api route (enumerated from the router), cookie flags behind an https PUBLIC_URL,
 * session fixation, logout ending the session server-side, single-use SSO codes, and the admin
 * gate on every change.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_ADMIN, DEMO_USER } from '../../src/demo/sandboxes.js';
import { FX_TENANTS } from '../../src/demo/story.js';
import { SESSION_COOKIE } from '../../src/http/session.js';
import { fingerprint } from '../../src/lib/secret-box.js';
import { apiRoutes, assertRefusal, startWorld, type World } from './world.js';

let w: World;

before(async () => {
  // Served behind TLS: the cookie must then be Secure.
  w = await startWorld('sec_sessions', { PUBLIC_URL: 'https://connector.example.com' });
  await w.install(FX_TENANTS.main.corpId);
});
after(() => w.stop());

const sessionDoc = (sessionId: string) =>
  w.plugin.ctx.conn.db!.collection('sessions').findOne({ _id: fingerprint(sessionId) as never });

/** Every state-changing /api route, with its path params filled in. */
const changingRoutes = () =>
  apiRoutes(w.plugin.ctx)
    .filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method))
    .map((r) => ({ method: r.method, path: r.path.replace(/:\w+/g, 'brand') }));

test('the session cookie is HttpOnly, SameSite=Lax, Path=/ and Secure behind https; logout clears it the same way', async () => {
  const s = await w.signIn();
  const attrs = s.setCookie.split(';').map((p) => p.trim().toLowerCase());
  assert.ok(attrs[0]!.startsWith(`${SESSION_COOKIE}=`));
  for (const flag of ['httponly', 'samesite=lax', 'secure', 'path=/'])
    assert.ok(attrs.includes(flag), `${flag} in ${s.setCookie}`);
  assert.ok(attrs.some((a) => a.startsWith('max-age=') || a.startsWith('expires=')));
  assert.ok(s.sessionId.length >= 43, 'at least 256 bits of randomness');

  const out = await w.send(s, 'POST', '/api/logout');
  assert.equal(out.status, 204);
  const cleared = (out.headers.get('set-cookie') ?? '').toLowerCase();
  assert.match(cleared, new RegExp(`^${SESSION_COOKIE}=;`));
  for (const flag of ['httponly', 'samesite=lax', 'secure', 'expires=thu, 01 jan 1970'])
    assert.ok(cleared.includes(flag), `${flag} in ${cleared}`);
});

test('every state-changing /api route demands the session’s own CSRF token: 403 without or with a wrong one, nothing written', async () => {
  const admin = await w.signIn();
  const other = await w.signIn(DEMO_ADMIN.openUserId);
  const changing = changingRoutes();
  assert.ok(changing.length >= 6, `found ${changing.length} state-changing routes`);
  const before = await w.counts();
  for (const { method, path } of changing) {
    for (const token of [
      undefined,
      '',
      other.csrf,
      admin.csrf.slice(0, -1),
      `${admin.csrf}x`,
      admin.sessionId,
    ]) {
      const a = await w.api(path, {
        method,
        cookie: admin.cookie,
        headers: {
          'content-type': 'application/json',
          ...(token === undefined ? {} : { 'x-csrf-token': token }),
        },
        body: '{}',
      });
      assert.equal(a.status, 403, `${method} ${path} with token ${String(token).slice(0, 8)}: ${a.status}`);
      assertRefusal(a, `${method} ${path}`);
      assert.equal((a.json as { error: { code: string } }).error.code, 'csrf_failed');
    }
  }
  assert.deepEqual(await w.counts(), before);
  assert.equal((await w.api('/api/session', { cookie: admin.cookie })).status, 200, 'still signed in');
});

test('a non-admin with a valid CSRF token may change nothing but their own sign-out', async () => {
  const user = await w.signIn(DEMO_USER.openUserId);
  const before = await w.counts();
  for (const { method, path } of changingRoutes()) {
    if (path === '/api/logout') continue;
    const a = await w.send(user, method, path);
    assert.equal(a.status, 403, `${method} ${path}: ${a.status}`);
    assert.equal((a.json as { error: { code: string } }).error.code, 'admin_required');
  }
  assert.deepEqual(await w.counts(), before);
});

test('session fixation: a cookie planted before sign-in is never adopted, and a planted live session is ended', async () => {
  // A value the attacker made up.
  const planted = 'attacker-chosen-session-id-0000000000000000';
  const victim = await w.signIn(DEMO_ADMIN.openUserId, undefined, `${SESSION_COOKIE}=${planted}`);
  assert.notEqual(victim.sessionId, planted);
  assert.equal((await w.api('/api/session', { cookie: `${SESSION_COOKIE}=${planted}` })).status, 401);
  assert.equal(await sessionDoc(planted), null);

  // The attacker's own genuine session (a non-admin) planted in the admin's browser.
  const attacker = await w.signIn(DEMO_USER.openUserId);
  const admin = await w.signIn(DEMO_ADMIN.openUserId, undefined, attacker.cookie);
  assert.notEqual(admin.sessionId, attacker.sessionId);
  assert.equal(
    (await w.api('/api/session', { cookie: attacker.cookie })).status,
    401,
    'the planted session ended',
  );
  assert.equal(await sessionDoc(attacker.sessionId), null);
  const who = await w.api('/api/session', { cookie: admin.cookie });
  assert.equal((who.json as { user: { isAdmin: boolean } }).user.isAdmin, true);
});

test('logout ends the session on the server: the old cookie and CSRF token are worthless after', async () => {
  const s = await w.signIn();
  assert.ok(await sessionDoc(s.sessionId));
  assert.equal((await w.send(s, 'POST', '/api/logout')).status, 204);
  assert.equal(await sessionDoc(s.sessionId), null);
  const again = await w.api('/api/session', { cookie: s.cookie });
  assert.equal(again.status, 401);
  assertRefusal(again, 'after logout');
  assert.equal((await w.send(s, 'POST', '/api/sync/run')).status, 401);
});

test('forged, overlong, expired cookies are nobody', async () => {
  const s = await w.signIn();
  for (const cookie of [
    `${SESSION_COOKIE}=${'A'.repeat(43)}`,
    `${SESSION_COOKIE}=${s.sessionId}x`,
    `${SESSION_COOKIE}=${s.sessionId.repeat(4)}`,
    `${SESSION_COOKIE}=`,
    `${SESSION_COOKIE}=%00`,
    `jfx_SID=${s.sessionId}`,
  ]) {
    const a = await w.api('/api/session', { cookie });
    assert.equal(a.status, 401, cookie.slice(0, 30));
    assertRefusal(a, cookie.slice(0, 30));
  }
  await w.plugin.ctx.conn
    .db!.collection('sessions')
    .updateOne(
      { _id: fingerprint(s.sessionId) as never },
      { $set: { expiresAt: new Date(Date.now() - 1000) } },
    );
  assert.equal((await w.api('/api/session', { cookie: s.cookie })).status, 401, 'expired');
});

test('an SSO code works once: the replay is refused and starts no session', async () => {
  const link = await w.ssoLink(DEMO_ADMIN.openUserId);
  const first = await fetch(link, { redirect: 'manual' });
  assert.equal(first.status, 302);
  const sessions = (await w.counts()).sessions;
  for (const replay of [link, link.replace(/timestamp=\d+/, `timestamp=${Date.now()}`)]) {
    const res = await fetch(replay, { redirect: 'manual' });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('set-cookie'), null);
  }
  assert.equal((await w.counts()).sessions, sessions);
});
