/**
 * Measures how much of the Jingdouyun rate limit the client uses: starts the sandbox with the limit
 * on, runs many concurrent reads for ~70 s through one account set, and prints calls per minute, the
 * fraction of the limit used and the 429s received. Run: npx tsx scripts/measure-jdy-throughput.ts
 */
import { SlidingWindowLimiter } from '../src/lib/rate-limit.js';
import { JdyClient, JdyTransport } from '../plugins/jingdouyun/client/index.js';

interface SandboxModule {
  startJdySandbox(options: { port: number }): Promise<{ url: string; close(): Promise<void> }>;
}

const SERVER_LIMIT = Number(process.env.JDY_LIMIT ?? 3000);
const CLIENT_LIMIT = Math.floor(SERVER_LIMIT * 0.97);
const DURATION_MS = Number(process.env.JDY_DURATION_MS ?? 70_000);
const WORKERS = 32;
const SECRET = '0123456789abcdef0123456789abcdef';

const sandboxPath = new URL('../plugins/jingdouyun/sandbox/index.ts', import.meta.url).href;
const { startJdySandbox } = (await import(sandboxPath)) as SandboxModule;
const sandbox = await startJdySandbox({ port: 0 });
const base = sandbox.url.replace(/\/+$/, '');

async function control(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

await control('POST', '/__sandbox/reset', {});
await control('POST', '/__sandbox/seed', {
  apps: [{ client_id: 'jdy-test-app', client_secret: SECRET }],
  users: [{ uid: 1001, username: '13800000001', password: 'secret' }],
  account_sets: [
    {
      account_id: '1580000000001',
      account_name: '演示账套',
      service_id: 'xc_std',
      group_id: 'g1',
      group_name: 'tf01',
      domain: 'https://tf.jdy.com',
      members: [1001],
      authorizations: [{ client_id: 'jdy-test-app', app_key: 'ak1', app_secret: 'as1' }],
    },
  ],
  records: [{ account_id: '1580000000001', entity: 'bd_customer', data: { number: 'C001', name: '甲公司' } }],
});
await control('POST', '/__sandbox/settings', {
  rate_limit_enabled: true,
  rate_limit_per_minute: SERVER_LIMIT,
});

const transport = new JdyTransport(
  { baseUrl: base, clientId: 'jdy-test-app', clientSecret: SECRET },
  { limiter: new SlidingWindowLimiter({ limit: CLIENT_LIMIT, windowMs: 60_000 }) },
);
const client = new JdyClient(
  transport.session({
    accountId: '1580000000001',
    appKey: 'ak1',
    appSecret: 'as1',
    domain: 'https://tf.jdy.com',
    groupName: 'tf01',
  }),
);
await client.session.ensureToken();
await control('DELETE', '/__sandbox/calls');

const started = Date.now();
let ok = 0;
let failed = 0;
await Promise.all(
  Array.from({ length: WORKERS }, async () => {
    while (Date.now() - started < DURATION_MS) {
      try {
        await client.customers.page({}, 1, 10);
        ok++;
      } catch {
        failed++;
      }
    }
  }),
);
const elapsedMs = Date.now() - started;

interface Call {
  at: number;
  status: number;
  path: string;
}
const calls: Call[] = [];
for (let since = 0; ;) {
  const page = (await control('GET', `/__sandbox/calls?since=${since}&limit=1000`)) as {
    calls: Array<Call & { seq: number }>;
  };
  if (page.calls.length === 0) break;
  calls.push(...page.calls);
  since = page.calls.at(-1)!.seq;
}
const business = calls.filter((c) => c.path.startsWith('/jdy/v2/'));
const throttled = business.filter((c) => c.status === 429).length;
// Busiest full minute as the sandbox counts it (accepted calls in any 60 s window).
const accepted = business
  .filter((c) => c.status === 200)
  .map((c) => c.at)
  .sort((a, b) => a - b);
let peak = 0;
for (let i = 0, j = 0; j < accepted.length; j++) {
  while (accepted[j]! - accepted[i]! >= 60_000) i++;
  peak = Math.max(peak, j - i + 1);
}
const perMinute = (ok / elapsedMs) * 60_000;
console.log(
  JSON.stringify(
    {
      server_limit_per_minute: SERVER_LIMIT,
      client_limit_per_minute: CLIENT_LIMIT,
      workers: WORKERS,
      elapsed_s: Math.round(elapsedMs / 100) / 10,
      calls_ok: ok,
      calls_failed: failed,
      calls_per_minute_avg: Math.round(perMinute),
      peak_60s_window: peak,
      fraction_of_limit_peak: Math.round((peak / SERVER_LIMIT) * 1000) / 1000,
      fraction_of_limit_avg: Math.round((perMinute / SERVER_LIMIT) * 1000) / 1000,
      http_429_received: throttled,
    },
    null,
    2,
  ),
);
await sandbox.close();
