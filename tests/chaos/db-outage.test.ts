/**
 * Chaos 3 — the database stops for about 20 s in the middle of a run (FerretDB stopped, then
 * started again on the same port and data directory): /healthz answers 503 meanwhile and 200
 * after, and the run picks up again and completes with every source record having exactly one
 * matching target.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Db } from 'mongodb';
import { startFerretDb, type RunningFerretDb } from '../../src/db/ferretdb.js';
import { CHAOS_RECORDS, report, scaled } from './figures.js';
import { storyOfSize } from './story.js';
import { verify } from './verify.js';
import {
  drainWritebacks,
  enterCrmPhase,
  enterJdyPhase,
  runToEnd,
  runLabel,
  runUntilQuiet,
  sleep,
  startRun,
  startWorld,
  waitFor,
  waitForRun,
  type World,
} from './world.js';

const OUTAGE_MS = 20_000;
let dbServer: RunningFerretDb;
let dataDir: string;
let world: World;

before(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'jdyfx-chaos-outage-'));
  dbServer = await startFerretDb({ dataDir });
  world = await startWorld({
    dbUri: `${dbServer.uri}chaos_outage`,
    story: storyOfSize(CHAOS_RECORDS),
    seed: 77,
  });
});
after(async () => {
  await world?.close();
  await dbServer?.stop();
});

/** The last /healthz answer, kept so a failure says which part stayed down. */
let lastHealth = '';
const health = async () => {
  const res = await fetch(`${world.plugin.url}/healthz`, { signal: AbortSignal.timeout(5_000) }).catch(
    () => null,
  );
  lastHealth = res ? `${res.status} ${await res.text()}` : 'no answer';
  return res?.status ?? 0;
};

test(
  'a 20 s database outage mid-run: 503 meanwhile, then the run completes and nothing is lost or duplicated',
  { timeout: scaled(330_000) },
  async () => {
    const started = Date.now();
    const conn = world.plugin.ctx.conn;
    const runId = await startRun(world);
    // Stop the database once the run is well under way (some records written, more to come).
    const records = conn.db!.collection('sync_records');
    await waitFor(
      'the run to be under way',
      async () => (await records.countDocuments({ tenantId: world.tenantId })) >= 40,
      120_000,
    );
    const down = Date.now();
    await dbServer.stop();
    const seen503 = await waitFor('/healthz 503', async () => (await health()) === 503, 15_000);
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - down)));
    dbServer = await startFerretDb({ dataDir, port: dbServer.port });
    const outageMs = Date.now() - down;
    await waitFor('/healthz 200', async () => (await health()) === 200, 120_000).catch((e: Error) => {
      throw new Error(`${e.message}; last answer: ${lastHealth}`);
    });
    const recoveredMs = Date.now() - down;
    const first = await waitForRun(conn, world.tenantId, runId, scaled(240_000));
    await enterCrmPhase(world);
    const second = await runToEnd(world, scaled(240_000));
    await enterJdyPhase(world);
    const third = await runToEnd(world, scaled(240_000));
    const quiet = await runUntilQuiet(world, scaled(240_000));

    await drainWritebacks(world);
    const verdict = await verify(world, conn.db as unknown as Db, world.tenantId);
    report('db-outage', {
      seconds: Math.round((Date.now() - started) / 1000),
      outageMs,
      healthy200AfterMs: recoveredMs,
      runs: [first.status, second.status, third.status],
      quiet: quiet.map(runLabel),
      ...verdict,
    });
    assert.ok(seen503);
    assert.deepEqual([first.status, second.status, third.status], ['completed', 'completed', 'completed']);
    assert.ok(
      quiet.every((r) => r.status === 'completed'),
      `runs after the story: ${quiet.map(runLabel).join('; ')}`,
    );
    assert.deepEqual(verdict.problems, []);
    assert.equal(verdict.failed, 0);
  },
);
