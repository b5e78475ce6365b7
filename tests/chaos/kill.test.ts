/**
 * Chaos 2 — two plugin processes (startPlugin in child processes) on one database sync the story;
 * one of them is killed with SIGKILL at random moments, ten times, and started again each time.
 * Every run still completes (the start-up reconcile and the job locks hand work over), and every
 * source record has exactly one matching target: nothing lost, nothing duplicated.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import type { Db } from 'mongodb';
import { seeded } from '../helpers/prng.js';
import { freshDatabaseUri } from '../helpers/db.js';
import { CHAOS_RECORDS, report, scaled } from './figures.js';
import { storyOfSize } from './story.js';
import { verify } from './verify.js';
import {
  drainWritebacks,
  enterCrmPhase,
  enterJdyPhase,
  runLabel,
  runUntilQuiet,
  sleep,
  startRun,
  startWorld,
  waitForRun,
  type World,
} from './world.js';

const KILLS = Number(process.env.CHAOS_KILLS ?? 10);
let world: World;
let db: Db;
const workers: Array<ChildProcess | null> = [null, null];

function startWorker(slot: number): Promise<void> {
  const child = fork('tests/chaos/worker.ts', [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...world.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  workers[slot] = child;
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code, signal) => reject(new Error(`worker exited early (${code ?? signal})`)));
  });
}

/** The worker holding the tenant's sync lease (the one mid-run) most of the time, else either. */
async function victim(random: () => number): Promise<number> {
  const lease = await db
    .collection<{ _id: string; owner: string }>('locks')
    .findOne({ _id: `sync:${world.tenantId}` });
  const pid = Number(/^proc-(\d+)-/.exec(lease?.owner ?? '')?.[1]);
  const holder = workers.findIndex((w) => w?.pid === pid);
  return holder >= 0 && random() < 0.8 ? holder : random() < 0.5 ? 0 : 1;
}

before(async () => {
  world = await startWorld({
    dbUri: await freshDatabaseUri('chaos_kill'),
    story: storyOfSize(CHAOS_RECORDS),
    seed: 4242,
  });
  db = world.plugin.ctx.conn.db as unknown as Db;
  // The plugin started here only sets the tenant up and queues runs: the two workers do the syncing.
  await world.plugin.ctx.scheduler.stop();
  await Promise.all([startWorker(0), startWorker(1)]);
});
after(async () => {
  for (const w of workers) if (w && w.exitCode === null) w.kill('SIGKILL');
  await world?.close();
});

test(
  'two workers, one killed ten times mid-sync: every run completes, nothing lost or duplicated',
  { timeout: scaled(330_000) },
  async () => {
    const started = Date.now();
    const random = seeded(99);
    let kills = 0;
    const runs: string[] = [];
    const phases = [async () => undefined, () => enterCrmPhase(world), () => enterJdyPhase(world)];
    for (const [i, enter] of phases.entries()) {
      await enter();
      const runId = await startRun(world);
      // The kills spread over the phases' runs, at random moments; a run that ends early passes its share on.
      const quota = Math.ceil((KILLS - kills) / (phases.length - i));
      const finished = waitForRun(world.plugin.ctx.conn, world.tenantId, runId, scaled(300_000));
      let done = false;
      void finished.then(
        () => (done = true),
        () => (done = true),
      );
      for (let k = 0; k < quota && !done; k++) {
        await sleep(300 + random() * 1_500);
        if (done) break;
        const slot = await victim(random);
        workers[slot]!.kill('SIGKILL');
        kills++;
        await startWorker(slot);
      }
      runs.push((await finished).status);
    }
    const quiet = await runUntilQuiet(world, scaled(300_000));
    await drainWritebacks(world);
    const verdict = await verify(world, db, world.tenantId);
    report('kill', {
      seconds: Math.round((Date.now() - started) / 1000),
      kills,
      runs,
      quiet: quiet.map(runLabel),
      ...verdict,
    });
    assert.equal(kills, KILLS, `only ${kills} kills happened before the runs ended`);
    assert.deepEqual(runs, ['completed', 'completed', 'completed']);
    assert.ok(
      quiet.every((r) => r.status === 'completed'),
      `runs after the story: ${quiet.map(runLabel).join('; ')}`,
    );
    assert.deepEqual(verdict.problems, []);
    assert.equal(verdict.failed, 0);
  },
);
