/**
 * The world of a chaos test: both sandboxes behind fault proxies, the chaos story, a plugin
 * (started here, or in worker processes on the same database), installed, signed in, connected,
 * with bindings and presets — and the phases of the story driven through real sync runs.
 */
import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { asTenantId, type TenantId } from '../../src/db/base-repository.js';
import { freePort } from '../../src/db/ferretdb.js';
import { startJdySandbox, type RunningJdySandbox } from '../../plugins/jingdouyun/sandbox/index.js';
import { startFxSandbox, type RunningFxSandbox } from '../../src/fxiaoke/sandbox/index.js';
import { demoSeed as fxDemoSeed } from '../../src/fxiaoke/sandbox/seed/demo.js';
import { DEMO_ADMIN } from '../../src/demo/sandboxes.js';
import { FX_TENANTS, JDY_DEMO_LOGIN } from '../../src/demo/story.js';
import { startPlugin, type RunningPlugin } from '../../src/server.js';
import { SYNC_JOBS } from '../../src/sync/service.js';
import type { Clock } from '../../src/lib/clock.js';
import { testEnv } from '../helpers/config.js';
import { requestJson } from '../helpers/http-json.js';
import { loadConfig } from '../../src/config.js';
import { FaultProxy } from './fault-proxy.js';
import {
  MAIN_ACCOUNT,
  phase1Seed,
  phase3Seed,
  productNumber,
  type JdyOrderRow,
  type StorySize,
} from './story.js';

export const CORP = FX_TENANTS.main.corpId;
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** The plugin's clock: real time plus an offset the test moves together with both sandboxes' clocks. */
export class OffsetClock implements Clock {
  offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  sleep(ms: number): Promise<void> {
    return sleep(Math.max(0, ms));
  }
}

const call = <T = Record<string, unknown>>(
  url: string,
  method = 'GET',
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> => requestJson<T>(method, url, body, headers);

/** "yyyy-MM-dd HH:mm:ss" in Asia/Shanghai. */
export const shanghaiTime = (ms: number) =>
  new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

export interface World {
  jdy: RunningJdySandbox;
  fx: RunningFxSandbox;
  jdyProxy: FaultProxy;
  fxProxy: FaultProxy;
  clock: OffsetClock;
  /** The plugin's environment: worker processes get the same (same secret key, same database). */
  env: Record<string, string>;
  plugin: RunningPlugin;
  tenantId: TenantId;
  story: StorySize;
  jdyRecords<T = Record<string, unknown>>(entity: string): Promise<T[]>;
  crmRecords<T = Record<string, unknown>>(objectApiName: string): Promise<T[]>;
  /** Moves the plugin's and both sandboxes' clocks on together. */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

export interface WorldOptions {
  dbUri: string;
  story: StorySize;
  seed: number;
  /** Per-call timeout of the plugin's outside calls (the proxies hold "timed-out" calls this long). */
  timeoutMs?: number;
  env?: Record<string, string>;
}

/** Sandboxes, proxies, the story's phase 1, and a plugin installed, connected and set up. */
export async function startWorld(options: WorldOptions): Promise<World> {
  const jdy = await startJdySandbox({ port: 0 });
  const fx = await startFxSandbox({ port: 0 });
  const jdyProxy = await new FaultProxy({
    upstream: jdy.url,
    style: 'jdy',
    seed: options.seed,
    expireTokens: () =>
      call(`${jdy.url}/__sandbox/tokens/expire`, 'POST', { kind: 'app' }).then(() => undefined),
    dataTargets: [{ path: '/jdy/v2/scm/sal_order', keyOf: (b) => orderKeyOf(b) }],
  }).start();
  const fxProxy = await new FaultProxy({
    upstream: fx.url,
    style: 'fx',
    seed: options.seed + 1,
    expireTokens: () => call(`${fx.url}/__sandbox/tokens/expire`, 'POST', {}).then(() => undefined),
    dataTargets: [{ path: '/cgi/crm/v2/data/create', keyOf: (b) => crmCreateKeyOf(b) }],
  }).start();
  // The plugin's own limits and the sandboxes' are lifted: the story must sync within the test's
  // time (throttling is exercised by the storm instead).
  await call(`${jdy.url}/__sandbox/settings`, 'POST', { rate_limit_enabled: false });
  await call(`${fx.url}/__sandbox/limits`, 'POST', { rateLimit: false, tokenRateLimit: false });
  const modifyTime = shanghaiTime(Date.now() - 60_000);
  for (const body of phase1Seed(options.story, modifyTime))
    await call(`${jdy.url}/__sandbox/seed`, 'POST', body);

  const port = await freePort();
  const pluginUrl = `http://127.0.0.1:${port}`;
  const env = testEnv({
    PORT: String(port),
    PUBLIC_URL: pluginUrl,
    MONGODB_URI: options.dbUri,
    SECRET_KEY: randomBytes(32).toString('base64'),
    JDY_BASE_URL: jdyProxy.url,
    FX_BASE_URL: fxProxy.url,
    JDY_RATE_LIMIT_PER_MINUTE: '100000',
    FX_RATE_LIMIT_PER_20S: '100000',
    API_TIMEOUT_MS: String(options.timeoutMs ?? 5000),
    ...options.env,
  });
  await call(`${fx.url}/__sandbox/seed`, 'POST', fxDemoSeed({ pluginUrl }));
  const clock = new OffsetClock();
  const plugin = await startPlugin(loadConfig(env), { clock });
  const tenantId = await connectTenant(plugin, fx.url);

  const world: World = {
    jdy,
    fx,
    jdyProxy,
    fxProxy,
    clock,
    env,
    plugin,
    tenantId,
    story: options.story,
    jdyRecords: async (entity) =>
      (
        await call<{ rows: never[] }>(
          `${jdy.url}/__sandbox/records?account_id=${MAIN_ACCOUNT}&entity=${entity}`,
        )
      ).rows,
    crmRecords: async (api) =>
      (await call<{ records: never[] }>(`${fx.url}/__sandbox/records?corpId=${CORP}&objectApiName=${api}`))
        .records,
    async advance(ms) {
      clock.offset += ms;
      await call(`${jdy.url}/__sandbox/clock`, 'POST', { advance_ms: ms });
      await call(`${fx.url}/__sandbox/clock`, 'POST', { advanceMs: ms });
    },
    async close() {
      await plugin.stop().catch(() => undefined);
      await Promise.all([jdyProxy.close(), fxProxy.close()]);
      await Promise.all([jdy.close(), fx.close()]);
    },
  };
  return world;
}

/** Install push, SSO, JDY login and connect, employee bindings, presets, manual mode, auto-audit. */
async function connectTenant(plugin: RunningPlugin, fxUrl: string): Promise<TenantId> {
  await call(`${fxUrl}/__sandbox/install`, 'POST', { corpId: CORP, type: 'PermanentCode' });
  const ctx = plugin.ctx;
  const tenant = await waitFor(
    'the install',
    () => ctx.repos.tenants.findByCorpId(CORP).then((t) => t?.status === 'active' && t),
    20_000,
  );
  const sso = await fetch(`${fxUrl}/__sandbox/sso?corpId=${CORP}&openUserId=${DEMO_ADMIN.openUserId}`, {
    redirect: 'manual',
  });
  const entry = await fetch(sso.headers.get('location')!, { redirect: 'manual' });
  const cookie = (entry.headers.get('set-cookie') ?? '').split(';')[0]!;
  const session = await call<{ csrfToken: string }>(`${plugin.url}/api/session`, 'GET', undefined, {
    cookie,
  });
  const headers = { cookie, 'x-csrf-token': session.csrfToken };
  const login = await call<{ loginId: string }>(
    `${plugin.url}/api/jdy/login`,
    'POST',
    { mobile: JDY_DEMO_LOGIN.mobile, password: JDY_DEMO_LOGIN.password },
    headers,
  );
  await call(
    `${plugin.url}/api/jdy/connect`,
    'POST',
    { loginId: login.loginId, accountId: MAIN_ACCOUNT },
    headers,
  );
  const tenantId = asTenantId(tenant._id);
  const now = () => new Date(ctx.clock.now());
  const connection = await ctx.repos.connections.get(tenantId);
  const employees = [];
  for await (const e of ctx.erp.connector.employees(ctx.repos.connections.open(connection!)))
    employees.push(e);
  for (const e of employees) {
    await ctx.repos.bindings.upsertEmployee(
      tenantId,
      { jdyEmpId: e.id, jdyNumber: e.number, jdyName: e.name, jdyMobile: e.mobile ?? '' },
      now(),
    );
  }
  await ctx.repos.bindings.bind(tenantId, employees[0]!.id, DEMO_ADMIN.openUserId, 'admin', 'manual', now());
  for (const key of ['customerCategory', 'warehouse', 'brand'] as const) {
    const outcome = await ctx.setup.enablePreset(tenantId, key, DEMO_ADMIN.openUserId);
    if (outcome === 'fields_missing') throw new Error(`preset ${key}: CRM fields missing`);
  }
  await ctx.setup.checkOrderFields(tenantId, DEMO_ADMIN.openUserId);
  const settings = await ctx.repos.settings.get(tenantId);
  await ctx.repos.settings.update(
    tenantId,
    { schedule: { ...settings.schedule, mode: 'manual' }, autoAuditOrders: true },
    now(),
  );
  await ctx.sync.scheduleTenant(tenantId);
  return tenantId;
}

/** The number of an order create sent to JDY (its bill_no), the key a data error is logged under. */
function orderKeyOf(body: unknown): string | null {
  const b = body as { bill_no?: unknown; id?: unknown } | null;
  return b && !b.id && typeof b.bill_no === 'string' ? `salesOrder:${b.bill_no}` : null;
}

/** CRM creates of leaf objects (stock, payments, delivery notes): the key of their source record. */
function crmCreateKeyOf(body: unknown): string | null {
  const data = (body as { data?: { object_data?: Record<string, unknown> } } | null)?.data?.object_data;
  if (!data) return null;
  switch (data.dataObjectApiName) {
    case 'StockObj':
      return `inventory:${String(data.product_id)}:${String(data.warehouse_id)}`;
    case 'PaymentObj':
    case 'DeliveryNoteObj':
      return `${data.dataObjectApiName === 'PaymentObj' ? 'payment' : 'deliveryNote'}:${String(data.remark)}`;
    default:
      return null;
  }
}

// ---- the story's later phases ----

/** Phase 2 in the CRM: customers (with a 客户编号) and one order each, of 1–3 synced products. */
export async function enterCrmPhase(world: World): Promise<void> {
  const products = new Map(
    (await world.crmRecords<{ _id: string; product_code?: string; life_status?: string }>('ProductObj'))
      .filter((p) => p.life_status !== 'invalid' && p.product_code)
      .map((p) => [p.product_code!, p._id]),
  );
  const ui = (path: string, body: Record<string, unknown>) =>
    call<{ dataId?: string }>(`${world.fx.url}/__sandbox/ui/${path}`, 'POST', { corpId: CORP, ...body });
  const orderTime = Date.parse(`${shanghaiTime(Date.now()).slice(0, 10)}T00:00:00+08:00`);
  const work = Array.from({ length: world.story.crmCustomers }, (_, k) => k + 1);
  const worker = async () => {
    for (let k = work.shift(); k !== undefined; k = work.shift()) {
      const account = await ui('create', {
        objectApiName: 'AccountObj',
        object_data: { name: `混沌纷享客户${k}`, account_no: `XK${String(k).padStart(5, '0')}` },
      });
      const lines = Array.from({ length: (k % 3) + 1 }, (_, j) => {
        const id = products.get(productNumber(((k * 7 + j * 13) % world.story.products) + 1));
        if (!id) throw new Error('a story product did not reach the CRM');
        return {
          product_id: id,
          quantity: String(1 + ((k + j) % 5)),
          sales_price: String(10 + ((k * 3 + j) % 90)),
        };
      });
      await ui('create', {
        objectApiName: 'SalesOrderObj',
        object_data: { account_id: account.dataId, order_time: orderTime },
        details: { SalesOrderProductObj: lines },
      });
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
}

/** Phase 3 in JDY: outbounds, receipts and pre-receipts of the orders that came from the CRM. */
export async function enterJdyPhase(world: World): Promise<void> {
  const orders = (await world.jdyRecords<JdyOrderRow>('sal_bill_order')).filter((o) => o.bill_status === 'C');
  const [employee] = await world.jdyRecords<{ id: string }>('bd_employee');
  await call(
    `${world.jdy.url}/__sandbox/seed`,
    'POST',
    phase3Seed(world.story, orders, shanghaiTime(Date.now()).slice(0, 10), employee!.id),
  );
}

// ---- runs ----

/** Queues a run of every object; answers its id. */
export async function startRun(world: World): Promise<string> {
  // JDY windows end 5 s before now: records entered just before the run must be older than that.
  await sleep(5_500);
  return (await world.plugin.ctx.sync.startRun(world.tenantId, 'manual'))._id;
}

/** A finished run: its final state and how many records it wrote. */
export interface RunEnd {
  runId: string;
  status: string;
  written: number;
}

export const runLabel = (r: RunEnd): string => `${r.status}, ${r.written} written`;

/** Starts a run of every object and waits until it has finished. */
export async function runToEnd(world: World, timeoutMs: number): Promise<RunEnd> {
  return waitForRun(world.plugin.ctx.conn, world.tenantId, await startRun(world), timeoutMs);
}

export async function waitForRun(
  conn: Connection,
  tenantId: TenantId,
  runId: string,
  timeoutMs: number,
): Promise<RunEnd> {
  const runs = conn.db!.collection<{
    _id: string;
    status: string;
    tenantId: string;
    counts: { created: number; updated: number };
  }>('sync_runs');
  const run = await waitFor(
    `run ${runId}`,
    async () => {
      const r = await runs.findOne({ _id: runId, tenantId });
      return r && r.status !== 'queued' && r.status !== 'running' ? r : null;
    },
    timeoutMs,
  );
  return { runId, status: run.status, written: run.counts.created + run.counts.updated };
}

/**
 * After the story's last phase: the CRM's change events all handled, then runs until one writes
 * nothing. What a run writes changes the other side — an order sent to Jingdouyun reserves stock,
 * which moves that stock row's modify time — and only a later poll reads such a change (in use,
 * the next timed run). `between` (e.g. the retry sweeps) goes after each run. Answers those runs.
 */
export async function runUntilQuiet(
  world: World,
  timeoutMs: number,
  between: () => Promise<number> = async () => 0,
): Promise<RunEnd[]> {
  const queue = world.plugin.ctx.conn.db!.collection('crm_event_queue');
  const ends: RunEnd[] = [];
  for (;;) {
    await waitFor(
      'the change events to be handled',
      async () => (await queue.countDocuments({ tenantId: world.tenantId })) === 0,
      timeoutMs,
    );
    const run = await runToEnd(world, timeoutMs);
    ends.push(run);
    const swept = await between();
    if (run.written === 0 && swept === 0) return ends;
    if (ends.length >= 5) throw new Error(`runs still writing after ${ends.length} rounds`);
  }
}

/**
 * Until the plugin owes the CRM no write-back (an order's 同步状态): the tenant's writer job is
 * queued, the clocks moved to a postponed write's due time. Answers the rounds it took.
 */
export async function drainWritebacks(world: World, timeoutMs = 120_000): Promise<number> {
  const db = world.plugin.ctx.conn.db!;
  const owed = db.collection<{ tenantId: string; notBefore: Date }>('crm_writebacks');
  for (let rounds = 0; ; rounds++) {
    const next = await owed.find({ tenantId: world.tenantId }).sort({ notBefore: 1 }).limit(1).next();
    if (!next) return rounds;
    if (rounds >= 30) throw new Error(`write-backs still owed after 30 rounds, e.g. ${JSON.stringify(next)}`);
    const wait = next.notBefore.getTime() - world.clock.now();
    if (wait > 0) await world.advance(wait + 1_000);
    await runTenantJob(world, SYNC_JOBS.writeback, timeoutMs);
  }
}

/** Queues one of the tenant's jobs now and waits until a run of it has finished. */
export async function runTenantJob(world: World, name: string, timeoutMs: number): Promise<void> {
  const since = new Date();
  await world.plugin.ctx.scheduler.now(name, { tenantId: world.tenantId });
  await waitFor(
    `the ${name} job`,
    () => world.plugin.ctx.conn.db!.collection('jobs').findOne({ name, lastFinishedAt: { $gte: since } }),
    timeoutMs,
  );
}
