import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import { asTenantId, type TenantId } from '../../src/db/base-repository.js';
import { connectDatabase } from '../../src/db/connection.js';
import { CheckpointRepository } from '../../src/dal/checkpoint/checkpoint.repository.js';
import { ConnectionRepository } from '../../src/dal/connection/connection.repository.js';
import { LockRepository } from '../../src/dal/lock/lock.repository.js';
import { MappingRepository } from '../../src/dal/mapping/mapping.repository.js';
import { SettingsRepository } from '../../src/dal/settings/settings.repository.js';
import { SyncRecordRepository } from '../../src/dal/sync-record/sync-record.repository.js';
import { SyncRunRepository } from '../../src/dal/sync-run/sync-run.repository.js';
import { ManualClock } from '../../src/lib/clock.js';
import { IntegrationError } from '../../src/lib/errors.js';
import { silentLogger } from '../../src/lib/logger.js';
import { err, ok } from '../../src/lib/result.js';
import { SecretBox } from '../../src/lib/secret-box.js';
import { baseSyncEnv } from '../../src/sync/engine/env.js';
import {
  executeRun,
  retryDue,
  syncDependency,
  syncOne,
  type EngineDeps,
} from '../../src/sync/engine/engine.js';
import type { LiveRecord, SyncObjectModule } from '../../src/sync/object-module.js';
import { owners } from '../../src/sync/owners.js';
import { ModuleRegistry } from '../../src/sync/registry.js';
import type { SyncEnv } from '../../src/sync/sync-env.js';
import { freshDatabaseUri } from '../helpers/db.js';

/**
 * The engine against a real database, with one object module over an in-memory source and target
 * whose faults the tests control: the engine's guarantees are about what it does with them.
 */
interface Src {
  code: string;
  name: string;
  bad?: boolean;
}
type Tgt = { code: string; name: string };

let conn: Connection;
let deps: EngineDeps;
const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
const tenant = asTenantId('t_engine');
let rows: LiveRecord<Src>[];
let target: Map<string, Tgt>;
let writes: number;
let matches: number;
let nextTargetId: number;
let fault: { kind: 'transient' | 'lost' | 'auth'; times: number } | null;
/** Maps that fail for a passing reason before any write (e.g. a reference read timed out). */
let mapFaults: number;
let crashAfterPages: number | null;
const notices: string[] = [];

const module: SyncObjectModule<Src, Tgt> = {
  key: 'productCategory',
  direction: 'jdy_to_crm',
  dependsOn: [],
  enabled: () => true,
  async *readChanges(_env, cursor) {
    let i = cursor ? Number(cursor) : 0;
    let pages = 0;
    while (i < rows.length) {
      if (crashAfterPages !== null && pages === crashAfterPages) throw new Error('worker crashed');
      const page = rows.slice(i, i + 3);
      i += page.length;
      pages++;
      yield { records: page, cursor: String(i) };
    }
  },
  fetch: async (_env, id) => rows.find((r) => r.id === id) ?? null,
  map: async (_env, r) => {
    if (mapFaults > 0) {
      mapFaults--;
      throw new IntegrationError({ system: 'jdy', errorClass: 'transient', code: 502, message: '网关错误' });
    }
    return r.data.bad
      ? err({ status: 'failed', reason: '缺少分类编码' })
      : ok({ code: r.data.code, name: r.data.name });
  },
  match: async (_env, _r, mapped) => {
    matches++;
    return [...target].find(([, t]) => t.code === mapped.code)?.[0] ?? null;
  },
  write: async (_env, _r, mapped, existingId) => {
    if (fault && fault.kind !== 'lost' && fault.times > 0) {
      fault.times--;
      if (fault.kind === 'transient')
        throw new IntegrationError({
          system: 'crm',
          errorClass: 'transient',
          code: 30004,
          message: '调用频率过高',
        });
      if (fault.kind === 'auth')
        throw new IntegrationError({
          system: 'crm',
          errorClass: 'auth',
          code: 20022,
          message: '应用授权已取消',
        });
    }
    writes++;
    const id = existingId ?? `T${nextTargetId++}`;
    target.set(id, mapped);
    if (fault?.kind === 'lost' && fault.times-- > 0)
      throw new IntegrationError({
        system: 'crm',
        errorClass: 'transient',
        code: 'timeout',
        message: '请求超时',
        outcomeUnknown: true,
      });
    return { targetId: id, action: existingId ? 'updated' : 'created', request: mapped };
  },
};

/** A record that needs a productCategory record first (as an order needs its customer). */
const dependent: SyncObjectModule<{ categoryId: string }, { categoryTarget: string }> = {
  key: 'product',
  direction: 'jdy_to_crm',
  dependsOn: ['productCategory'],
  enabled: () => true,
  async *readChanges() {},
  fetch: async (_env, id) => ({ id, key: `P-${id}`, data: { categoryId: 'S1' } }),
  map: async (env, r) => {
    const categoryTarget = await env.syncDependency('productCategory', r.data.categoryId);
    return categoryTarget ? ok({ categoryTarget }) : err({ status: 'failed', reason: '分类未能同步' });
  },
  match: async () => null,
  write: async (_env, r) => ({ targetId: `PT-${r.id}`, action: 'created' }),
};

const job = { jobId: 'job', touch: async () => undefined };

/** The fake module reaches no outside system; any use of one is a test failure. */
function untouchable<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get: (_t, key) => {
      throw new Error(`the engine touched ${name}.${String(key)}`);
    },
  });
}

async function envFor(
  tenantId: TenantId,
  run: { _id: string; trigger: 'manual' | 'initial' | 'timed' | 'event' | 'retry' },
): Promise<SyncEnv> {
  const env: SyncEnv = baseSyncEnv({
    tenantId,
    clock,
    logger: silentLogger,
    settings: await new SettingsRepository(conn).get(tenantId),
    run: { id: run._id, trigger: run.trigger },
    erp: untouchable('erp'),
    crm: untouchable('crm'),
    owners: owners({ crmByErp: new Map(), erpByCrm: new Map() }, 'ADMIN'),
    connectedAt: clock.now(),
    checkpoints: await deps.checkpoints.all(tenantId),
    mappings: deps.mappings,
    syncDependency: (object, id) =>
      syncDependency({ ...deps, heartbeat: async () => undefined }, env, deps.registry.get(object)!, id),
    writebacks: untouchable('writebacks'),
    writebackPut: () => assert.fail('the engine put a CRM write-back'),
  });
  return env;
}

async function run(trigger: 'manual' | 'initial' = 'manual') {
  const r = await deps.runs.create(tenant, trigger, ['productCategory'], new Date(clock.now()));
  const outcome = await executeRun(deps, tenant, r._id, job);
  return { outcome, run: (await deps.runs.findById(tenant, r._id))! };
}

before(async () => {
  conn = await connectDatabase(await freshDatabaseUri('engine'), silentLogger);
  const box = new SecretBox(Buffer.alloc(32, 1));
  deps = {
    registry: new ModuleRegistry([module, dependent]),
    mappings: new MappingRepository(conn),
    syncRecords: new SyncRecordRepository(conn),
    checkpoints: new CheckpointRepository(conn),
    runs: new SyncRunRepository(conn),
    locks: new LockRepository(conn),
    connections: new ConnectionRepository(conn, box),
    clock,
    logger: silentLogger,
    owner: 'proc-1',
    leaseMs: 60_000,
    concurrency: 2,
    envFor,
    notify: async (_t, text) => void notices.push(text),
    requeue: async () => undefined,
  };
  await Promise.all(Object.values(conn.models).map((m) => m.init()));
});
after(() => conn.close());

beforeEach(async () => {
  for (const name of [
    'mappings',
    'mapping_crm_keys',
    'sync_records',
    'checkpoints',
    'sync_runs',
    'locks',
    'connections',
  ]) {
    await conn.db!.collection(name).deleteMany({});
  }
  rows = Array.from({ length: 8 }, (_, i) => ({
    id: `S${i}`,
    key: `C${i}`,
    data: { code: `C${i}`, name: `分类${i}` },
  }));
  target = new Map();
  writes = 0;
  matches = 0;
  nextTargetId = 1;
  fault = null;
  mapFaults = 0;
  crashAfterPages = null;
  notices.length = 0;
  await deps.connections.save(
    tenant,
    'test',
    { accountId: 'a', accountName: '账套', secrets: '{}' },
    'u',
    new Date(clock.now()),
  );
});

test('a first run syncs every record once, links it, and checkpoints the end', async () => {
  const { run: r } = await run('initial');
  assert.equal(r.status, 'completed');
  assert.equal(r.counts.created, 8);
  assert.equal(target.size, 8);
  assert.equal(await deps.mappings.count(tenant), 8);
  const cp = await deps.checkpoints.get(tenant, 'productCategory', 'jdy_to_crm');
  assert.equal(cp?.cursor, '8');
  assert.equal(cp?.initialDone, true);
  const rec = await deps.syncRecords.findById(tenant, `${tenant}:productCategory:jdy_to_crm:S3`);
  assert.equal(rec?.status, 'synced');
  assert.equal(rec?.targetId, (await deps.mappings.byErpId(tenant, 'productCategory', 'S3'))?.crmId);
  assert.equal(rec?.attempts.length, 1);
});

test('unchanged records cost nothing; a changed one is updated in place', async () => {
  await run();
  await deps.checkpoints.save(tenant, 'productCategory', 'jdy_to_crm', null, true, new Date(clock.now()));
  rows[2] = { ...rows[2]!, data: { ...rows[2]!.data, name: '改名' } };
  writes = 0;
  const { run: r } = await run();
  assert.equal(writes, 1);
  assert.equal(r.counts.unchanged, 7);
  assert.equal(r.counts.updated, 1);
  assert.equal(target.size, 8);
  assert.equal([...target.values()].find((t) => t.code === 'C2')?.name, '改名');
});

test('a synced record re-read and held up by a passing failure is not rewritten on retry', async () => {
  await run();
  await deps.checkpoints.save(tenant, 'productCategory', 'jdy_to_crm', null, true, new Date(clock.now()));
  mapFaults = 1;
  writes = 0;
  await run();
  const id = `${tenant}:productCategory:jdy_to_crm:S0`;
  assert.equal((await deps.syncRecords.findById(tenant, id))?.status, 'pending');
  clock.advance(30_000);
  const env = await envFor(tenant, { _id: 'retry', trigger: 'retry' });
  assert.equal(await retryDue(deps, tenant, env), 1);
  const rec = await deps.syncRecords.findById(tenant, id);
  assert.equal(rec?.status, 'synced');
  assert.equal(rec?.reason, null, 'the passing failure is not shown any more');
  assert.equal(writes, 0, 'the target already holds this content (an audited ERP order refuses a write)');
});

test('a create whose answer is lost is found by its business key, never created twice', async () => {
  fault = { kind: 'lost', times: 1 };
  const { run: r } = await run();
  assert.equal(target.size, 8);
  assert.equal(await deps.mappings.count(tenant), 8);
  assert.equal(r.counts.failed, 0);
  assert.equal(matches, 9, 'a lookup before each create, one more after the lost answer');
});

test('a module that creates first looks up only after a lost answer, then marks what it linked', async () => {
  const linked: string[] = [];
  module.createFirst = true;
  module.onLinked = async (_env, r, targetId) => void linked.push(`${r.id}→${targetId}`);
  try {
    fault = { kind: 'lost', times: 1 };
    const { run: r } = await run();
    assert.equal(target.size, 8);
    assert.equal(await deps.mappings.count(tenant), 8);
    assert.equal(r.counts.failed, 0);
    assert.equal(matches, 1, 'one lookup: after the lost answer');
    assert.deepEqual(linked, ['S0→T1'], 'the module marks the record it linked');
  } finally {
    delete module.createFirst;
    delete module.onLinked;
  }
});

test('a data problem fails at once with its reason and writes nothing', async () => {
  rows[4] = { ...rows[4]!, data: { ...rows[4]!.data, bad: true } };
  const { run: r } = await run();
  assert.equal(r.status, 'completed_with_errors');
  const rec = await deps.syncRecords.findById(tenant, `${tenant}:productCategory:jdy_to_crm:S4`);
  assert.equal(rec?.status, 'failed');
  assert.equal(rec?.reason, '缺少分类编码');
  assert.equal(rec?.errorClass, 'data');
  assert.equal(target.size, 7);
  assert.equal(notices.length, 1, 'one notice per run, not per record');
});

test('transient failures climb the retry ladder, then fail; a later success clears them', async () => {
  rows = rows.slice(0, 1);
  fault = { kind: 'transient', times: 100 };
  await run();
  let rec = await deps.syncRecords.findById(tenant, `${tenant}:productCategory:jdy_to_crm:S0`);
  assert.equal(rec?.status, 'pending');
  assert.equal(rec?.nextRetryAt?.getTime(), clock.now() + 30_000);
  const env = await envFor(tenant, { _id: 'retry', trigger: 'retry' });
  assert.equal(await retryDue(deps, tenant, env), 0, 'nothing is due before its time');
  for (const delay of [30_000, 120_000, 600_000, 3_600_000]) {
    clock.advance(delay);
    assert.equal(await retryDue(deps, tenant, env), 1);
  }
  rec = await deps.syncRecords.findById(tenant, `${tenant}:productCategory:jdy_to_crm:S0`);
  assert.equal(rec?.status, 'pending');
  clock.advance(21_600_000);
  await retryDue(deps, tenant, env);
  rec = await deps.syncRecords.findById(tenant, `${tenant}:productCategory:jdy_to_crm:S0`);
  assert.equal(rec?.status, 'failed');
  assert.match(rec?.reason ?? '', /多次重试仍失败/);
  assert.equal(rec?.attemptCount, 6);
  // Fail → exhaust → succeed → fail again: the ladder starts over after a success.
  fault = null;
  assert.ok(await syncOne({ ...deps, heartbeat: async () => undefined }, env, module, 'S0', rec));
  fault = { kind: 'transient', times: 1 };
  rows[0] = { ...rows[0]!, data: { ...rows[0]!.data, name: '再改' } };
  await syncOne({ ...deps, heartbeat: async () => undefined }, env, module, 'S0');
  rec = await deps.syncRecords.findById(tenant, `${tenant}:productCategory:jdy_to_crm:S0`);
  assert.equal(rec?.status, 'pending');
  assert.equal(rec?.retryStep, 1);
  assert.equal(target.size, 1);
});

test('a crash mid-run resumes from the last checkpoint: nothing missing, nothing twice', async () => {
  crashAfterPages = 2;
  const r = await deps.runs.create(tenant, 'initial', ['productCategory'], new Date(clock.now()));
  await assert.rejects(executeRun(deps, tenant, r._id, job), /worker crashed/);
  assert.equal((await deps.runs.findById(tenant, r._id))?.status, 'running');
  assert.equal((await deps.checkpoints.get(tenant, 'productCategory', 'jdy_to_crm'))?.cursor, '6');
  crashAfterPages = null;
  writes = 0;
  await executeRun(deps, tenant, r._id, job);
  assert.equal(writes, 2, 'only the records after the checkpoint were written');
  assert.equal(target.size, 8);
  assert.equal((await deps.runs.findById(tenant, r._id))?.status, 'completed');
});

test('two workers on one tenant: one syncs, the other waits; each record is written once', async () => {
  const other: EngineDeps = { ...deps, owner: 'proc-2' };
  const [a, b] = await Promise.all([
    deps.runs.create(tenant, 'manual', ['productCategory'], new Date(clock.now())),
    deps.runs.create(tenant, 'manual', ['productCategory'], new Date(clock.now())),
  ]);
  const outcomes = await Promise.all([
    executeRun(deps, tenant, a._id, job),
    executeRun(other, tenant, b._id, job),
  ]);
  assert.equal(outcomes.filter((o) => o.status === 'continued').length, 1);
  assert.equal(writes, 8);
  assert.equal(target.size, 8);
});

test('two runs in one process on one tenant: the lease is per run, so one waits', async () => {
  const [a, b] = await Promise.all([
    deps.runs.create(tenant, 'manual', ['productCategory'], new Date(clock.now())),
    deps.runs.create(tenant, 'manual', ['productCategory'], new Date(clock.now())),
  ]);
  const outcomes = await Promise.all([
    executeRun(deps, tenant, a._id, job),
    executeRun(deps, tenant, b._id, job),
  ]);
  assert.equal(outcomes.filter((o) => o.status === 'continued').length, 1);
  assert.equal(writes, 8);
});

test('a run started again while it still executes in this process (its job lock ran out) is requeued, not run twice', async () => {
  const r = await deps.runs.create(tenant, 'manual', ['productCategory'], new Date(clock.now()));
  const requeued: string[] = [];
  const watched: EngineDeps = { ...deps, requeue: async (_t, runId) => void requeued.push(runId) };
  const outcomes = await Promise.all([
    executeRun(watched, tenant, r._id, job),
    executeRun(watched, tenant, r._id, job),
  ]);
  assert.deepEqual(outcomes.map((o) => o.status).sort(), ['continued', 'done']);
  assert.deepEqual(requeued, [r._id]);
  assert.equal(writes, 8);
  assert.equal(target.size, 8);
  assert.equal((await deps.runs.findById(tenant, r._id))?.status, 'completed');
});

test('authorisation lost pauses the tenant and sends one notice, however often it happens', async () => {
  fault = { kind: 'auth', times: 100 };
  const { run: r } = await run();
  assert.equal(r.status, 'failed');
  assert.match(r.error ?? '', /应用授权已取消/);
  assert.equal((await deps.connections.get(tenant))?.status, 'paused');
  await run();
  assert.equal(notices.filter((n) => n.includes('暂停')).length, 1);
});

test('a record whose dependency is held up by a passing failure waits on the retry ladder too, then syncs', async () => {
  const env = await envFor(tenant, { _id: 'r-dep', trigger: 'manual' });
  const once = () => syncOne({ ...deps, heartbeat: async () => undefined }, env, dependent, 'D1');
  const recordOf = (id: string) => deps.syncRecords.findById(tenant, id);
  fault = { kind: 'transient', times: 1 };
  assert.equal(await once(), null);
  const waiting = await recordOf(`${tenant}:product:jdy_to_crm:D1`);
  assert.equal(waiting?.status, 'pending');
  assert.equal(waiting?.errorClass, 'transient');
  assert.match(waiting?.reason ?? '', /产品分类「C1」尚未同步完成/);
  assert.ok(waiting?.nextRetryAt);
  assert.equal((await recordOf(`${tenant}:productCategory:jdy_to_crm:S1`))?.status, 'pending');

  assert.equal(await once(), 'PT-D1');
  assert.equal((await recordOf(`${tenant}:product:jdy_to_crm:D1`))?.status, 'synced');
  assert.equal((await recordOf(`${tenant}:productCategory:jdy_to_crm:S1`))?.status, 'synced');

  // A dependency that cannot be synced (its data is wrong) fails the record at once, as before.
  rows[1] = { ...rows[1]!, data: { ...rows[1]!.data, bad: true } };
  await deps.mappings.removeAll(tenant);
  assert.equal(await syncOne({ ...deps, heartbeat: async () => undefined }, env, dependent, 'D2'), null);
  const failed = await recordOf(`${tenant}:product:jdy_to_crm:D2`);
  assert.equal(failed?.status, 'failed');
  assert.equal(failed?.reason, '分类未能同步');
});
