/**
 * CRM write-backs (an order's 同步状态 written in the background) against the real database, with
 * a CRM whose answers the tests choose: the last value wins, nothing put is lost, passing failures
 * wait and come back, data errors are dropped, lost authorisation leaves everything owed.
 */
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import { asTenantId } from '../../src/db/base-repository.js';
import { connectDatabase } from '../../src/db/connection.js';
import { CrmWritebackRepository } from '../../src/dal/crm-writeback/crm-writeback.repository.js';
import { ManualClock } from '../../src/lib/clock.js';
import { IntegrationError, type ErrorClass } from '../../src/lib/errors.js';
import { silentLogger } from '../../src/lib/logger.js';
import { flushCrmWritebacks } from '../../src/sync/crm-writeback.js';
import { freshDatabaseUri } from '../helpers/db.js';

const A = asTenantId('t_wb_a');
const B = asTenantId('t_wb_b');
const ORDER = 'SalesOrderObj';
const clock = new ManualClock(Date.parse('2026-03-01T00:00:00Z'));
let conn: Connection;
let repo: CrmWritebackRepository;

/** The CRM side: what each record shows, every call, and the failures still to answer. */
let shown: Map<string, Record<string, unknown>>;
let calls: Array<{ id: string; fields: Record<string, unknown>; triggerWorkFlow: boolean | undefined }>;
let failures: ErrorClass[];
let during: (() => Promise<void>) | null;
const crm = {
  data: {
    async update(
      apiName: string,
      id: string,
      fields: Record<string, unknown>,
      options?: { triggerWorkFlow?: boolean },
    ): Promise<string> {
      assert.equal(apiName, ORDER);
      calls.push({ id, fields, triggerWorkFlow: options?.triggerWorkFlow });
      const fail = failures.shift();
      if (fail)
        throw new IntegrationError({ system: 'crm', errorClass: fail, code: 1, message: `${fail} 故障` });
      const next = during;
      during = null;
      if (next) await next();
      shown.set(id, { ...shown.get(id), ...fields });
      return id;
    },
  },
};

const flush = (tenantId = A) => flushCrmWritebacks(repo, crm, clock, silentLogger, tenantId);
const put = (id: string, status: string, tenantId = A) =>
  repo.put(tenantId, ORDER, id, { sync_status__c: status }, new Date(clock.now()));

before(async () => {
  conn = await connectDatabase(await freshDatabaseUri('writeback'), silentLogger);
  repo = new CrmWritebackRepository(conn);
  await Promise.all(Object.values(conn.models).map((m) => m.init()));
});
after(() => conn.close());

beforeEach(async () => {
  await conn.db!.collection('crm_writebacks').deleteMany({});
  shown = new Map();
  calls = [];
  failures = [];
  during = null;
});

test('the last value put for a record is the one written, once, without workflow', async () => {
  await put('O1', 'pending');
  await put('O1', 'synced');
  await put('O2', 'pending');
  assert.deepEqual(await repo.owed(A, ORDER, 'O1'), { sync_status__c: 'synced' });
  const out = await flush();
  assert.deepEqual(out, { written: 2, dropped: 0, authLost: false, nextDueAt: null });
  assert.deepEqual(shown.get('O1'), { sync_status__c: 'synced' });
  assert.deepEqual(shown.get('O2'), { sync_status__c: 'pending' });
  assert.deepEqual(
    calls.map((c) => [c.id, c.triggerWorkFlow]),
    [
      ['O1', false],
      ['O2', false],
    ],
  );
  assert.equal(await repo.owed(A, ORDER, 'O1'), null);
});

test('a value put while the previous one is being written is written after it', async () => {
  await put('O1', 'synced');
  during = () => put('O1', 'pending');
  await flush();
  assert.deepEqual(
    calls.map((c) => c.fields.sync_status__c),
    ['synced', 'pending'],
  );
  assert.deepEqual(shown.get('O1'), { sync_status__c: 'pending' });
  assert.equal(await repo.owed(A, ORDER, 'O1'), null);
});

test('a passing failure waits (5 s, then 10 s) and is written once due', async () => {
  await put('O1', 'synced');
  failures = ['transient', 'transient'];
  const first = await flush();
  assert.equal(first.written, 0);
  assert.equal(first.nextDueAt?.getTime(), clock.now() + 5_000);
  clock.advance(5_000);
  const second = await flush();
  assert.equal(second.nextDueAt?.getTime(), clock.now() + 10_000);
  assert.equal((await repo.findById(A, CrmWritebackRepository.idOf(A, ORDER, 'O1')))?.attempts, 2);
  clock.advance(9_999);
  assert.equal((await flush()).written, 0, 'not due yet');
  clock.advance(1);
  assert.deepEqual(await flush(), { written: 1, dropped: 0, authLost: false, nextDueAt: null });
  assert.deepEqual(shown.get('O1'), { sync_status__c: 'synced' });
});

test('a data error drops the write; lost authorisation stops and leaves every write owed', async () => {
  await put('O1', 'synced');
  failures = ['data'];
  assert.deepEqual(await flush(), { written: 0, dropped: 1, authLost: false, nextDueAt: null });
  assert.equal(await repo.owed(A, ORDER, 'O1'), null);

  await put('O2', 'synced');
  await put('O3', 'synced');
  failures = ['auth'];
  const out = await flush();
  assert.equal(out.authLost, true);
  assert.ok(out.nextDueAt);
  assert.ok(await repo.owed(A, ORDER, 'O2'), 'the refused write stays owed');
  // O3 was already in flight beside it: written, or owed — never lost.
  assert.ok(shown.has('O3') !== Boolean(await repo.owed(A, ORDER, 'O3')));
});

test('a tenant’s flush writes only its own records; the sweep finds tenants owed overdue writes', async () => {
  await put('O1', 'synced', A);
  await put('O9', 'synced', B);
  await flush(A);
  assert.deepEqual([...shown.keys()], ['O1']);
  assert.equal(await repo.owed(A, ORDER, 'O9'), null, 'B’s write is not A’s');
  assert.ok(await repo.owed(B, ORDER, 'O9'));
  assert.deepEqual(await repo.tenantsOverdue(new Date(clock.now())), []);
  clock.advance(61_000);
  assert.deepEqual(await repo.tenantsOverdue(new Date(clock.now() - 60_000)), [B]);
});
