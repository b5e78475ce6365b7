/**
 * The two doors the CRM knocks on, attacked: the app-center push (POST /fxiaoke/callback, fxiaoke-api.md
 * §2.2) and the change-event hook (POST /hooks/fxiaoke/:tenantId, §9). Forged, replayed, stale,
 * oversized and cross-tenant requests are refused (a bad HMAC 401, other refusals 403/400/413) and
 * store nothing: every collection keeps its document count.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { TenantEntity } from '../../src/dal/tenant/tenant.entity.js';
import { FX_APP, FX_TENANTS } from '../../src/demo/story.js';
import { encryptPush, hookSignature, pushSignature } from '../../src/fxiaoke/crypto.js';
import { JOB } from '../../src/jobs/job-names.js';
import { waitFor } from '../fxiaoke/fx-helpers.js';
import { assertRefusal, startWorld, type Answer, type World } from './world.js';

const MAIN = FX_TENANTS.main;
const OTHER = FX_TENANTS.other;
const OPERATOR = 'FSUID_01000000000000000000000000000001';

let w: World;
let tenantA: TenantEntity;
let tenantB: TenantEntity;

before(async () => {
  w = await startWorld('sec_hooks');
  tenantA = await w.install(MAIN.corpId);
  tenantB = await w.install(OTHER.corpId);
});
after(() => w.stop());

/** Runs the requests and checks that not one document was added or removed anywhere. */
async function storesNothing(run: () => Promise<void>): Promise<void> {
  const before = await w.counts();
  await run();
  assert.deepEqual(await w.counts(), before);
}

const postRaw = (path: string, body: string, headers: Record<string, string> = {}) =>
  w.api(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('install push (POST /fxiaoke/callback)', () => {
  function push(message: object, opts: { ts?: number; nonce?: string; token?: string } = {}) {
    const content = encryptPush(FX_APP.encodingAesKey, FX_APP.appId, JSON.stringify(message));
    const timeStamp = String(opts.ts ?? Date.now());
    const nonce = opts.nonce ?? 'n0nce0000000001';
    const sig = pushSignature(opts.token ?? FX_APP.token, timeStamp, nonce, content);
    return JSON.stringify({ nonce, timeStamp, content, sig });
  }
  const callback = (body: string, headers?: Record<string, string>) =>
    postRaw('/fxiaoke/callback', body, headers);
  const refused = (a: Answer, status: number) => {
    assert.equal(a.status, status, a.text);
    if (a.text !== 'failure') assertRefusal(a, `callback ${status}`);
  };

  test('forged signature, other token, stale or future timestamp, malformed or missing body: refused, nothing stored', async () => {
    const cancel = { type: 'CancelPermanentCode', content: MAIN.permanentCode };
    const good = JSON.parse(push(cancel)) as Record<string, string>;
    await storesNothing(async () => {
      refused(await callback(JSON.stringify({ ...good, sig: 'f'.repeat(40) })), 403);
      refused(await callback(push(cancel, { token: 'someoneElsesToken' })), 403);
      // The signature covers the timestamp, so a replay cannot refresh it.
      refused(await callback(JSON.stringify({ ...good, timeStamp: String(Date.now() + 1) })), 403);
      refused(await callback(push(cancel, { ts: Date.now() - 600_000 })), 403);
      refused(await callback(push(cancel, { ts: Date.now() + 600_000 })), 403);
      refused(await callback('[]'), 400);
      refused(await callback('{"nonce":1,"timeStamp":"x","content":[],"sig":null}'), 400);
      refused(await callback('{"__proto__":{"sig":"x"}}'), 400);
      refused(await w.api('/fxiaoke/callback', { method: 'POST' }), 400);
      refused(await callback('{'), 400);
    });
    assert.equal((await w.plugin.ctx.repos.tenants.findByCorpId(MAIN.corpId))?.status, 'active');
  });

  test('an oversized push is refused with 413 before anything is read', async () => {
    await storesNothing(async () => {
      const huge = JSON.stringify({
        nonce: 'n',
        timeStamp: String(Date.now()),
        content: 'A'.repeat(1_100_000),
        sig: 's',
      });
      refused(await callback(huge), 413);
    });
  });

  test('a replayed install push changes nothing; replayed after an uninstall it does not reinstall', async () => {
    // The platform sends the very same body twice after a failure (§2.2), so a replay must be harmless.
    const install = push({ type: 'PermanentCode', content: OTHER.permanentCode });
    const tenants = await w.plugin.ctx.conn.db!.collection('tenants').find().toArray();
    assert.equal((await callback(install)).text, 'success');
    assert.equal((await callback(install)).text, 'success');
    await waitFor('install jobs done', async () => (await pendingJobs(JOB.fxInstall)) === 0, 60_000);
    assert.deepEqual(await w.plugin.ctx.conn.db!.collection('tenants').find().toArray(), tenants);

    tenantB = await w.install(OTHER.corpId, 'CancelPermanentCode');
    assert.equal((await callback(install)).text, 'success');
    await waitFor('install job done', async () => (await pendingJobs(JOB.fxInstall)) === 0, 60_000);
    // The CRM refuses a token for a revoked code: the tenant stays uninstalled.
    assert.equal((await w.plugin.ctx.repos.tenants.findByCorpId(OTHER.corpId))?.status, 'uninstalled');
    tenantB = await w.install(OTHER.corpId);
  });
});

async function pendingJobs(name: string): Promise<number> {
  return w.plugin.ctx.conn.db!.collection('jobs').countDocuments({
    name,
    $or: [{ nextRunAt: { $ne: null } }, { lockedAt: { $ne: null } }],
  });
}

describe('change events (POST /hooks/fxiaoke/:tenantId)', () => {
  const url = (t: TenantEntity | string) => `/hooks/fxiaoke/${typeof t === 'string' ? t : t._id}`;
  const secretOf = (t: TenantEntity) => w.plugin.ctx.repos.tenants.hookSecretOf(t);
  function event(corpId: string, ts: number, eventId = randomUUID()): string {
    return JSON.stringify({
      event: 'updated',
      objectApiName: 'AccountObj',
      objectId: '67748580000000000000002a',
      tenant: corpId,
      operatorId: OPERATOR,
      timestamp: ts,
      eventId,
    });
  }
  function deliver(to: TenantEntity | string, body: string, ts: number, secret: string | null, headers = {}) {
    const stamp = String(ts);
    return postRaw(url(to), body, {
      'x-fx-timestamp': stamp,
      'x-fx-signature': secret === null ? '' : hookSignature(secret, stamp, body),
      ...headers,
    });
  }
  const refused = (a: Answer, status: number, what: string) => {
    assert.equal(a.status, status, `${what}: ${a.text}`);
    assertRefusal(a, what);
  };

  test('forged, unsigned, wrongly keyed and cross-tenant deliveries: 401, nothing stored', async () => {
    const now = Date.now();
    const body = event(MAIN.corpId, now);
    await storesNothing(async () => {
      refused(await deliver(tenantA, body, now, null), 401, 'no signature');
      refused(await deliver(tenantA, body, now, 'not-the-secret'), 401, 'wrong secret');
      refused(await deliver(tenantA, body, now, null, { 'x-fx-signature': 'f'.repeat(64) }), 401, 'forged');
      const upper = hookSignature(secretOf(tenantA), String(now), body).toUpperCase();
      refused(await deliver(tenantA, body, now, null, { 'x-fx-signature': upper }), 401, 'upper-case hex');
      // Signed correctly, then one byte of the body changed.
      const sig = hookSignature(secretOf(tenantA), String(now), body);
      refused(
        await deliver(tenantA, body.replace('updated', 'deleted'), now, null, { 'x-fx-signature': sig }),
        401,
        'tampered',
      );
      // Tenant A's genuine delivery replayed at tenant B's URL: B's secret does not verify it.
      refused(await deliver(tenantB, body, now, secretOf(tenantA)), 401, "A's event at B's URL");
      // An unknown or malformed tenant id is a signature that cannot be checked.
      refused(await deliver('t_0000000000000000', body, now, secretOf(tenantA)), 401, 'unknown tenant');
      for (const id of ['__proto__', '%', 'a%00b', encodeURIComponent('😀'), 'x'.repeat(2000)]) {
        const a = await deliver(id, body, now, secretOf(tenantA));
        assert.ok(a.status === 401 || a.status === 400, `tenant id ${id.slice(0, 20)}: ${a.status}`);
        assertRefusal(a, `tenant id ${id.slice(0, 20)}`);
      }
      refused(
        await postRaw(url(tenantA), body, { 'x-fx-timestamp': 'abc', 'x-fx-signature': 'f'.repeat(64) }),
        401,
        'bad timestamp header',
      );
      refused(
        await w.api(url(tenantA), { method: 'POST', headers: { 'content-type': 'text/plain' }, body }),
        401,
        'not JSON',
      );
    });
  });

  test('authentic but refused: stale or future timestamp, foreign enterprise, mismatched or extra fields', async () => {
    const now = Date.now();
    const secret = secretOf(tenantA);
    await storesNothing(async () => {
      refused(await deliver(tenantA, event(MAIN.corpId, now - 400_000), now - 400_000, secret), 403, 'stale');
      refused(
        await deliver(tenantA, event(MAIN.corpId, now + 400_000), now + 400_000, secret),
        403,
        'future',
      );
      // Signed with A's secret but naming B's enterprise.
      refused(await deliver(tenantA, event(OTHER.corpId, now), now, secret), 403, 'foreign corpId');
      refused(
        await deliver(tenantA, event(MAIN.corpId, now - 1000), now, secret),
        400,
        'body timestamp ≠ header',
      );
      const extra = JSON.stringify({
        ...(JSON.parse(event(MAIN.corpId, now)) as object),
        data: { name: 'x' },
      });
      refused(await deliver(tenantA, extra, now, secret), 400, 'extra key');
      const proto = event(MAIN.corpId, now).replace('{', '{"__proto__":{"status":"processed"},');
      refused(await deliver(tenantA, proto, now, secret), 400, '__proto__ key');
      const nul = event(MAIN.corpId, now).replace('AccountObj', 'Account\\u0000Obj');
      refused(await deliver(tenantA, nul, now, secret), 400, 'NUL in a field');
      refused(await deliver(tenantA, '[1,2]', now, secret), 400, 'an array');
    });
  });

  test('an oversized delivery is refused with 413 before its signature is computed', async () => {
    const now = Date.now();
    const body = JSON.stringify({
      ...(JSON.parse(event(MAIN.corpId, now)) as object),
      pad: 'x'.repeat(1_100_000),
    });
    await storesNothing(async () => {
      refused(await deliver(tenantA, body, now, secretOf(tenantA)), 413, 'oversized');
    });
  });

  test('a replayed eventId is accepted once and ignored after; an uninstalled tenant is refused', async () => {
    const crmEvents = () =>
      w.plugin.ctx.conn.db!.collection('crm_events').countDocuments({ tenantId: tenantA._id });
    const now = Date.now();
    const eventId = randomUUID();
    const body = event(MAIN.corpId, now, eventId);
    const first = await deliver(tenantA, body, now, secretOf(tenantA));
    assert.equal(first.status, 202);
    assert.deepEqual(first.json, { accepted: true, duplicate: false });
    const stored = await crmEvents();
    // The identical delivery again, and the same eventId re-signed at a later time.
    for (const [b, ts] of [
      [body, now],
      [event(MAIN.corpId, now + 5000, eventId), now + 5000],
    ] as const) {
      const again = await deliver(tenantA, b, ts, secretOf(tenantA));
      assert.equal(again.status, 202);
      assert.deepEqual(again.json, { accepted: true, duplicate: true });
    }
    assert.equal(await crmEvents(), stored);

    tenantB = await w.install(OTHER.corpId, 'CancelPermanentCode');
    const eventsB = await w.plugin.ctx.conn
      .db!.collection('crm_events')
      .countDocuments({ tenantId: tenantB._id });
    refused(await deliver(tenantB, event(OTHER.corpId, now), now, secretOf(tenantB)), 403, 'uninstalled');
    assert.equal(
      await w.plugin.ctx.conn.db!.collection('crm_events').countDocuments({ tenantId: tenantB._id }),
      eventsB,
    );
  });
});
