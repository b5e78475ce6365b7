import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import type { Connection } from 'mongoose';
import { connectDatabase } from '../../src/db/connection.js';
import { Scheduler, SHANGHAI } from '../../src/jobs/scheduler.js';
import { silentLogger } from '../../src/lib/logger.js';
import { freshDatabaseUri } from '../helpers/db.js';

let uri: string;
let conn: Connection;
const children: ChildProcess[] = [];

function startWorker(lockLifetimeMs: number, interval: string): Promise<ChildProcess> {
  const child = fork('tests/helpers/agenda-worker.ts', [uri, String(lockLifetimeMs), interval], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(200);
  }
}

before(async () => {
  uri = await freshDatabaseUri('scheduler');
  conn = await connectDatabase(uri, silentLogger);
});
after(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await conn.close();
});

test('two processes sharing the database run a repeating job once per interval, with one job document', async () => {
  const [a, b] = await Promise.all([startWorker(60_000, '2 seconds'), startWorker(60_000, '2 seconds')]);
  // Each process registered the job at start: still one document.
  assert.equal(await conn.db!.collection('jobs').countDocuments({ name: 'test.tick' }), 1);
  await sleep(9_000);
  const runs = await conn.db!.collection('runs').find({ job: 'tick' }).sort({ at: 1 }).toArray();
  assert.ok(runs.length >= 3 && runs.length <= 5, `expected 3–5 runs in 9 s, got ${runs.length}`);
  for (let i = 1; i < runs.length; i++) {
    const gap = (runs[i]!.at as Date).getTime() - (runs[i - 1]!.at as Date).getTime();
    assert.ok(gap >= 1500, `two runs only ${gap} ms apart: the job ran twice in one interval`);
  }
  // A third start (a restart) still leaves one document.
  await startWorker(60_000, '2 seconds');
  assert.equal(await conn.db!.collection('jobs').countDocuments({ name: 'test.tick' }), 1);
  for (const c of [a, b, children.at(-1)!]) c.kill('SIGKILL');
});

test('a job whose process was killed is taken over by another process after the lock lifetime', async () => {
  await conn.db!.collection('jobs').deleteMany({});
  const lockLifetime = 3_000;
  const first = await startWorker(lockLifetime, '1 hour');
  const scheduler = new Scheduler(conn, silentLogger, { pollMs: 200, lockLifetimeMs: lockLifetime });
  await scheduler.now('test.long', { key: 'L' });
  const started = await waitFor(
    () => conn.db!.collection('runs').findOne({ job: 'long', pid: first.pid }),
    15_000,
  );
  first.kill('SIGKILL');
  const second = await startWorker(lockLifetime, '1 hour');
  const takenOver = await waitFor(
    () => conn.db!.collection('runs').findOne({ job: 'long', pid: second.pid }),
    30_000,
  );
  const delay = (takenOver.at as Date).getTime() - (started.at as Date).getTime();
  assert.ok(delay >= lockLifetime, `taken over after ${delay} ms, before the lock expired`);
  second.kill('SIGKILL');
});

test('a daily cron job in Asia/Shanghai gets its next run across UTC midnight', async () => {
  const scheduler = new Scheduler(conn, silentLogger, { pollMs: 60_000, lockLifetimeMs: 60_000 });
  scheduler.define({ name: 'test.cron', handler: async () => ({ status: 'done' }) });
  // 07:30 in Shanghai is 23:30 UTC of the day before.
  await scheduler.every('30 7 * * *', 'test.cron', { key: 'c' }, { name: 'test.cron' }, SHANGHAI);
  const job = await conn.db!.collection('jobs').findOne({ name: 'test.cron' });
  const next = job?.nextRunAt as Date;
  assert.equal(next.getUTCHours(), 23);
  assert.equal(next.getUTCMinutes(), 30);
  const shanghai = new Intl.DateTimeFormat('en-GB', {
    timeZone: SHANGHAI,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(next);
  assert.equal(shanghai, '07:30');
  const ahead = next.getTime() - Date.now();
  assert.ok(ahead > 0 && ahead <= 24 * 3600_000, `next run ${next.toISOString()} is not within a day`);
});
