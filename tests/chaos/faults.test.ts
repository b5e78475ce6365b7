/**
 * Chaos 1 — faults on both outside systems while the whole story syncs: 5 % of calls answer 5xx,
 * 2 % time out, 1 % are applied but lose their answer, tokens expire every 100 calls, a 30 s
 * rate-limit storm, and data errors on some writes. After the runs and the retry sweeps (the
 * clocks moved over the retry ladder) every source record has exactly one matching target,
 * nothing is pending or running, and the only failures are the injected data errors.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Db } from 'mongodb';
import { SYNC_JOBS } from '../../src/sync/service.js';
import { freshDatabaseUri } from '../helpers/db.js';
import { NO_FAULTS, type FaultProxy, type FaultRates } from './fault-proxy.js';
import { storyOfSize } from './story.js';
import { verify } from './verify.js';
import {
  drainWritebacks,
  enterCrmPhase,
  enterJdyPhase,
  runTenantJob,
  runToEnd,
  runLabel,
  runUntilQuiet,
  sleep,
  startWorld,
  type World,
} from './world.js';
import { CHAOS_RECORDS, report, scaled } from './figures.js';

const RATES: FaultRates = { error5xx: 0.05, timeout: 0.02, loseResponse: 0.01, dataError: 0.03 };
const STORM_MS = 30_000;
let world: World;
let db: Db;

before(async () => {
  world = await startWorld({
    dbUri: await freshDatabaseUri('chaos_faults'),
    story: storyOfSize(CHAOS_RECORDS),
    seed: 20261207,
    timeoutMs: 1500,
  });
  db = world.plugin.ctx.conn.db as unknown as Db;
});
after(async () => {
  await world?.close();
});

/** Retry sweeps (the Agenda job) until nothing is pending, moving the clocks to each due time. */
async function converge(): Promise<number> {
  const records = db.collection<{ tenantId: string; status: string; nextRetryAt: Date | null }>(
    'sync_records',
  );
  let sweeps = 0;
  for (;;) {
    const next = await records
      .find({ tenantId: world.tenantId, status: 'pending' })
      .sort({ nextRetryAt: 1 })
      .limit(1)
      .next();
    if (!next) return sweeps;
    assert.ok(++sweeps <= 30, `records still pending after 30 retry sweeps, e.g. ${JSON.stringify(next)}`);
    const wait = (next.nextRetryAt?.getTime() ?? 0) - world.clock.now();
    if (wait > 0) await world.advance(wait + 1_000);
    await runTenantJob(world, SYNC_JOBS.retry, 120_000);
  }
}

test(
  'faults on both systems: after convergence every record has exactly one matching target',
  { timeout: scaled(330_000) },
  async () => {
    const started = Date.now();
    for (const proxy of [world.jdyProxy, world.fxProxy]) {
      proxy.rates = RATES;
      proxy.tokenExpiryEvery = 100;
    }
    const runs: string[] = [];
    let sweeps = 0;
    // The storm hits the system each phase writes to: the CRM in phase 1, Jingdouyun in phase 2.
    const storm = (proxy: FaultProxy) => sleep(8_000).then(() => proxy.storm(STORM_MS));
    let storming = storm(world.fxProxy);
    runs.push((await runToEnd(world, scaled(300_000))).status);
    await storming;
    sweeps += await converge();
    await enterCrmPhase(world);
    storming = storm(world.jdyProxy);
    runs.push((await runToEnd(world, scaled(300_000))).status);
    await storming;
    sweeps += await converge();
    await enterJdyPhase(world);
    runs.push((await runToEnd(world, scaled(300_000))).status);
    sweeps += await converge();
    for (const proxy of [world.jdyProxy, world.fxProxy]) proxy.rates = NO_FAULTS;
    const quiet = await runUntilQuiet(world, scaled(300_000), async () => {
      const more = await converge();
      sweeps += more;
      return more;
    });

    await drainWritebacks(world);
    const verdict = await verify(world, db, world.tenantId);
    report('faults', {
      seconds: Math.round((Date.now() - started) / 1000),
      runs,
      quiet: quiet.map(runLabel),
      sweeps,
      clockMovedMin: Math.round(world.clock.offset / 60_000),
      jdy: world.jdyProxy.stats,
      fx: world.fxProxy.stats,
      ...verdict,
    });
    assert.deepEqual(verdict.problems, []);
    assert.ok(world.jdyProxy.stats.timeout + world.fxProxy.stats.timeout > 0, 'no timeout was injected');
    assert.ok(world.jdyProxy.stats.loseResponse + world.fxProxy.stats.loseResponse > 0, 'no answer was lost');
    assert.ok(world.jdyProxy.stats.throttled + world.fxProxy.stats.throttled > 0, 'no call met the storm');
  },
);
