import { test } from 'node:test';
import assert from 'node:assert/strict';
import axios, { type InternalAxiosRequestConfig } from 'axios';
import { ManualClock } from '../../src/lib/clock.js';
import { SlidingWindowLimiter } from '../../src/lib/rate-limit.js';
import {
  JdyClient,
  JdyTransport,
  dtToMs,
  isDeletedLogUnavailable,
  msToDt,
} from '../../plugins/jingdouyun/client/index.js';

const CONFIG = {
  baseUrl: 'https://api.example.test',
  clientId: 'cid',
  clientSecret: '0123456789abcdef0123456789abcdef',
};
const CONN = { accountId: 'A1', appKey: 'ak', appSecret: 's', domain: 'https://tf.jdy.com', groupName: 'g' };
const T0 = dtToMs('2024-05-01 10:00:00');

interface Rec {
  id: string;
  number: string;
  modify_time: string;
}

/** A list endpoint following §4.1–4.3 (inclusive windows, modify_time then id order, count as string). */
function listServer(records: Rec[], seen: Array<Record<string, string>>, deletedLog: 'ok' | 404 = 'ok') {
  return axios.create({
    adapter: async (config: InternalAxiosRequestConfig) => {
      const url = new URL(config.url ?? '');
      const q = Object.fromEntries(url.searchParams.entries());
      const reply = (status: number, body: unknown) => ({
        data: JSON.stringify(body),
        status,
        statusText: '',
        headers: {},
        config,
      });
      if (url.pathname.endsWith('kingdee_auth_token')) {
        return reply(200, { errcode: 0, data: { 'app-token': 't', expires: T0 + 86_400_000 * 1000 } });
      }
      if (url.pathname === '/jdy/v2/sys/deleted_log' && deletedLog === 404) {
        return reply(404, { errcode: 404, description: 'API不存在', data: null });
      }
      seen.push(q);
      const start = Number(q.modify_start_time ?? 0);
      const end = Number(q.modify_end_time ?? Number.MAX_SAFE_INTEGER);
      const size = Number(q.page_size ?? 10);
      const page = Number(q.page ?? 1);
      const rows = records
        .filter((r) => dtToMs(r.modify_time) >= start && dtToMs(r.modify_time) <= end)
        .sort((a, b) => dtToMs(a.modify_time) - dtToMs(b.modify_time) || Number(a.id) - Number(b.id));
      return reply(200, {
        errcode: 0,
        description: 'success',
        data: {
          count: String(rows.length),
          page,
          page_size: size,
          total_page: Math.ceil(rows.length / size),
          rows: rows.slice((page - 1) * size, page * size),
        },
      });
    },
  });
}

function client(records: Rec[], deletedLog: 'ok' | 404 = 'ok') {
  const clock = new ManualClock(T0 + 86_400_000);
  const seen: Array<Record<string, string>> = [];
  const transport = new JdyTransport(CONFIG, {
    http: listServer(records, seen, deletedLog),
    clock,
    limiter: new SlidingWindowLimiter({ limit: 100_000, windowMs: 60_000, clock }),
  });
  return { c: new JdyClient(transport.session(CONN)), seen, clock };
}

test('windows: split by halves until a window fits a page; one-second windows page; all rows exactly once', async () => {
  const records: Rec[] = [];
  let id = 1;
  // 250 records in one second (needs paging), and 430 spread over an hour.
  for (let i = 0; i < 250; i++)
    records.push({ id: String(id++), number: `C${id}`, modify_time: '2024-05-01 10:30:00' });
  for (let i = 0; i < 430; i++) {
    records.push({ id: String(id++), number: `C${id}`, modify_time: msToDt(T0 + i * 8_000) });
  }
  const { c, seen } = client(records);
  const end = T0 + 3_600_000;
  const got: string[] = [];
  let checkpoint = T0 - 1;
  for await (const batch of c.customers.changes({ from: T0, to: end })) {
    assert.equal(batch.from, checkpoint + 1, 'windows are contiguous and in time order');
    checkpoint = batch.to;
    got.push(...batch.rows.map((r) => r.id));
  }
  assert.equal(checkpoint, end);
  assert.equal(got.length, records.length);
  assert.equal(new Set(got).size, records.length);
  for (const q of seen) {
    assert.equal(q.enable, '-1');
    assert.equal(q.page_size, '100');
    assert.ok(Number(q.modify_end_time) <= end, 'modify_end_time stays fixed at the run end');
    if (q.page !== '1') assert.ok(Number(q.modify_end_time) - Number(q.modify_start_time) < 1000);
  }
});

test('windows: default end is now − 5 s; empty range gives one empty batch', async () => {
  const { c, seen, clock } = client([]);
  const batches = [];
  for await (const b of c.salesOrders.changes({ from: T0 })) batches.push(b);
  assert.equal(batches.length, 1);
  assert.equal(batches[0]!.to, clock.now() - 5000);
  assert.equal(seen[0]!.enable, undefined, 'no enable filter on bills');
});

test('list paging stops on page ≥ total_page; count may be a string', async () => {
  const records = Array.from({ length: 230 }, (_, i) => ({
    id: String(i + 1),
    number: `M${i + 1}`,
    modify_time: '2024-05-01 10:00:00',
  }));
  const { c, seen } = client(records);
  let n = 0;
  for await (const row of c.materials.list()) n += row.id ? 1 : 0;
  assert.equal(n, 230);
  assert.equal(seen.length, 3);
  assert.equal(seen[0]!.enable, '-1');
  const page = await c.materials.page({}, 1, 100);
  assert.equal(page.count, 230);
});

test('deleted_log answering 404 becomes DELETED_LOG_UNAVAILABLE (reconcile instead)', async () => {
  const { c } = client([], 404);
  await assert.rejects(async () => {
    for await (const batch of c.deletions('bd_customer', { from: T0, to: T0 + 1000 })) assert.ok(batch);
  }, isDeletedLogUnavailable);
});
