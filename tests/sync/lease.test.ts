/**
 * The renewed lease every piece of sync work holds: kept while the work outlasts its lifetime,
 * released after, and a renewal that finds it taken is reported.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from 'mongoose';
import { connectDatabase } from '../../src/db/connection.js';
import { LockRepository } from '../../src/dal/lock/lock.repository.js';
import { silentLogger } from '../../src/lib/logger.js';
import { withRenewedLease } from '../../src/sync/engine/lease.js';
import { freshDatabaseUri } from '../helpers/db.js';

const LEASE_MS = 300;
let conn: Connection;
let locks: LockRepository;
const terms = (key: string, holder: string) => ({
  locks,
  key,
  holder,
  leaseMs: LEASE_MS,
  now: () => new Date(),
});

before(async () => {
  conn = await connectDatabase(await freshDatabaseUri('lease'), silentLogger);
  locks = new LockRepository(conn);
  await Promise.all(Object.values(conn.models).map((m) => m.init()));
});
after(() => conn.close());

test('work that outlasts the lease keeps it to the end, then frees it', async () => {
  const tries: boolean[] = [];
  const held = await withRenewedLease(terms('sync:t1', 'a'), async () => {
    for (let i = 0; i < 4; i++) {
      await sleep(LEASE_MS / 2);
      tries.push(await locks.acquire('sync:t1', 'b', LEASE_MS, new Date()));
    }
    return 'done';
  });
  assert.deepEqual(held, { value: 'done' });
  assert.deepEqual(tries, [false, false, false, false], 'nobody else got it while the work lasted');
  assert.equal(await locks.acquire('sync:t1', 'b', LEASE_MS, new Date()), true, 'released after');
});

test('busy when held by someone else; a lease taken meanwhile is reported lost', async () => {
  assert.equal(await locks.acquire('sync:t2', 'other', 60_000, new Date()), true);
  assert.equal(await withRenewedLease(terms('sync:t2', 'a'), async () => 'never'), 'busy');
  await locks.release('sync:t2', 'other');

  let lost = 0;
  await withRenewedLease(
    terms('sync:t2', 'a'),
    async () => {
      await locks.release('sync:t2', 'a');
      await locks.acquire('sync:t2', 'thief', 60_000, new Date());
      await sleep(LEASE_MS);
    },
    () => lost++,
  );
  assert.ok(lost >= 1);
  assert.equal(
    await locks.acquire('sync:t2', 'b', LEASE_MS, new Date()),
    false,
    "the thief's lease was not released",
  );
});
