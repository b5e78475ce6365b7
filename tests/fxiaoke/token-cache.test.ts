/**
 * The CRM token cache after a token error: a refresh already under way may bring back the token
 * just refused (fetched before the CRM revoked it) — that is asked again, not taken for broken
 * credentials; the same token from a fetch of our own is. A refresh lease held by another process
 * (maybe dead) holds up only callers whose token has expired.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { connectDatabase } from '../../src/db/connection.js';
import { TokenRepository } from '../../src/dal/token/token.repository.js';
import { FxTokenCache, type FetchedToken } from '../../src/fxiaoke/client/token-cache.js';
import { ManualClock } from '../../src/lib/clock.js';
import { IntegrationError } from '../../src/lib/errors.js';
import { silentLogger } from '../../src/lib/logger.js';
import { SecretBox } from '../../src/lib/secret-box.js';
import { freshDatabaseUri } from '../helpers/db.js';

let conn: Connection;
let tokens: TokenRepository;
let cache: FxTokenCache;
const clock = new ManualClock(Date.parse('2026-05-01T00:00:00Z'));

before(async () => {
  conn = await connectDatabase(await freshDatabaseUri('fx_token_cache'), silentLogger);
  tokens = new TokenRepository(conn, new SecretBox(randomBytes(32)));
  await Promise.all(Object.values(conn.models).map((m) => m.init()));
  cache = new FxTokenCache(tokens, clock);
});
after(() => conn.close());

const answer = (token: string): FetchedToken => ({ token, expiresIn: 7200 });

test('a refresh under way that brings back the refused token is asked again', async () => {
  const key = 'fx:corp:race';
  // Another caller's refresh, started before the CRM revoked T1, answers T1 after the refusal.
  let release!: () => void;
  let started!: () => void;
  const fetching = new Promise<void>((r) => (started = r));
  const slow = cache.get(
    key,
    'fx-corp',
    () =>
      new Promise<FetchedToken>((r) => {
        release = () => r(answer('T1'));
        started();
      }),
  );
  await fetching;
  const fetched: string[] = [];
  const replaced = cache.replace(key, 'fx-corp', 'T1', async () => {
    fetched.push('T2');
    return answer('T2');
  });
  release();
  assert.equal(await slow, 'T1');
  assert.equal(await replaced, 'T2');
  assert.deepEqual(fetched, ['T2'], 'one fetch of its own');
  assert.equal((await tokens.read(key)).authFailedCode, null);
});

test('the same token from a fetch of its own: credentials broken, marked, no loop', async () => {
  const key = 'fx:corp:broken';
  await cache.get(key, 'fx-corp', async () => answer('T1'));
  let fetches = 0;
  await assert.rejects(
    cache.replace(key, 'fx-corp', 'T1', async () => {
      fetches++;
      return answer('T1');
    }),
    (e: unknown) => e instanceof IntegrationError && e.errorClass === 'auth',
  );
  assert.equal(fetches, 2, 'asked twice, then gave up');
  assert.equal((await tokens.read(key)).authFailedCode, 'same_token');
});

test('a token due for refresh serves while another process holds the refresh lease; an expired one waits', async () => {
  const key = 'fx:corp:lease';
  await cache.get(key, 'fx-corp', async () => answer('T1'));
  // Inside the refresh margin (T1 still valid 200 s), with the lease held by a process that died.
  clock.advance((7200 - 200) * 1000);
  assert.ok(await tokens.tryLease(key, 'fx-corp', 'dead-process', clock.now(), 60_000));
  const other = new FxTokenCache(tokens, clock);
  let fetches = 0;
  const fetch = async () => {
    fetches++;
    return answer('T2');
  };
  assert.equal(await other.get(key, 'fx-corp', fetch), 'T1');
  assert.equal(fetches, 0);
  // Expired: nothing valid to serve, so it waits for the lease (it runs out) and refreshes.
  clock.advance(300 * 1000);
  assert.equal(await other.get(key, 'fx-corp', fetch), 'T2');
  assert.equal(fetches, 1);
});
