import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startFerretDb, type RunningFerretDb } from '../../src/db/ferretdb.js';
import { startPlugin, type RunningPlugin } from '../../src/server.js';
import { testConfig } from '../helpers/config.js';

let db: RunningFerretDb;
let plugin: RunningPlugin;
let dataDir: string;

async function status(): Promise<number> {
  const res = await fetch(`${plugin.url}/healthz`, { signal: AbortSignal.timeout(5000) });
  return res.status;
}

async function waitForStatus(want: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 0;
  while (Date.now() < deadline) {
    last = await status();
    if (last === want) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  assert.fail(`/healthz answered ${last}, not ${want}, for ${timeoutMs} ms`);
}

before(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'jdyfx-health-'));
  db = await startFerretDb({ dataDir });
  plugin = await startPlugin(testConfig({ MONGODB_URI: `${db.uri}health` }));
});
after(async () => {
  await plugin?.stop().catch(() => undefined);
  await db?.stop();
});

test('/healthz is 200 with the database up, 503 while it is down, and 200 again when it returns', async () => {
  const res = await fetch(`${plugin.url}/healthz`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { db: 'ok', scheduler: 'ok', lastPollAt: null });

  await db.stop();
  await waitForStatus(503, 15_000);
  const body = (await (await fetch(`${plugin.url}/healthz`)).json()) as { db: string };
  assert.equal(body.db, 'down');

  db = await startFerretDb({ dataDir, port: db.port });
  await waitForStatus(200, 40_000);
});

test('/metrics answers Prometheus text with the request counter', async () => {
  await fetch(`${plugin.url}/healthz`);
  const text = await (await fetch(`${plugin.url}/metrics`)).text();
  assert.match(text, /# TYPE http_requests_total counter/);
  assert.match(text, /http_requests_total\{method="GET",route="\/healthz",status="200"\}/);
});
