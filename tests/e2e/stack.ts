/**
 * The whole product for end-to-end tests: a fresh database, both sandboxes seeded with the demo
 * story, the plugin (HTTP, Agenda jobs, sync engine) installed into the CRM sandbox, and helpers to
 * sign in, connect Jingdouyun, bind employees, run syncs and look at both systems.
 *
 * One clock drives the plugin and both sandboxes (real time plus one offset): `advance` moves all
 * three, so windows, retry delays and token ages are exercised without sleeping.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { startPlugin, type RunningPlugin } from '../../src/server.js';
import { asTenantId, type TenantId } from '../../src/db/base-repository.js';
import { startSeededSandboxes, demoOpenUserId, type SeededSandboxes } from '../../src/demo/sandboxes.js';
import { FX_TENANTS, JDY_APP, JDY_DEMO_LOGIN, PEOPLE } from '../../src/demo/story.js';
import { demoSeed as fxDemoSeed } from '../../src/fxiaoke/sandbox/seed/demo.js';
import { demoSeed as jdyDemoSeed } from '../../plugins/jingdouyun/sandbox/seed/demo.js';
import { JdyClient, JdyTransport } from '../../plugins/jingdouyun/client/index.js';
import { SlidingWindowLimiter } from '../../src/lib/rate-limit.js';
import type { Clock } from '../../src/lib/clock.js';
import type { ObjectKey } from '../../src/sync/keys.js';
import type { ObjectProgress, RunCounts, RunStatus } from '../../src/dal/sync-run/sync-run.entity.js';
import { DEMO_CONNECTION, MAIN } from '../helpers/jdy-sync.js';
import { testConfig } from '../helpers/config.js';
import { freshDatabaseUri } from '../helpers/db.js';
import { waitFor } from '../fxiaoke/fx-helpers.js';

export { waitFor };

export type Json = Record<string, unknown>;

/**
 * Real time plus an offset shared with both sandboxes; sleeping waits for real. The plugin's side
 * can be frozen at an instant (a run's window end is then known to the millisecond).
 */
export class StackClock implements Clock {
  offset = 0;
  frozenAt: number | null = null;
  now(): number {
    return this.frozenAt ?? Date.now() + this.offset;
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
  }
}

export interface Answer<T = Json> {
  status: number;
  json: T;
}

export interface Session {
  tenantId: TenantId;
  corpId: string;
  openUserId: string;
  cookie: string;
  csrf: string;
}

export interface RunView {
  runId: string;
  status: RunStatus;
  counts: RunCounts;
  progress: Record<string, ObjectProgress>;
}

export interface RecordItem {
  id: string;
  object: string;
  direction: string;
  sourceId: string;
  sourceKey: string;
  targetId: string | null;
  status: string;
  reason: string | null;
  errorClass: string | null;
  attempts: number;
}

export interface Stack {
  plugin: RunningPlugin;
  sandboxes: SeededSandboxes;
  clock: StackClock;
  /** Moves the plugin's and both sandboxes' clocks on together (and unfreezes the plugin's). */
  advance(ms: number): Promise<void>;
  signIn(openUserId: string, corpId?: string): Promise<Session>;
  api<T = Json>(s: Session, method: string, path: string, body?: unknown): Promise<Answer<T>>;
  /** Logs in to JDY with the demo login and connects the main account set (as the session's admin). */
  connectJdy(s: Session): Promise<void>;
  /** Employee rows from JDY, and the given JDY numbers bound to the CRM user of the same story person. */
  bind(s: Session, jdyNumbers: readonly string[]): Promise<void>;
  /** Lets the CRM sandbox send the tenant's customer and order change events to the plugin. */
  hookEvents(s: Session): Promise<void>;
  /** POST /api/sync/run and waits until the run has finished. */
  run(s: Session, objects?: readonly ObjectKey[]): Promise<RunView>;
  /** The sync leases and running jobs, for timeout messages. */
  diagnose(): Promise<string>;
  /** Sync records of the session's tenant (GET /api/records). */
  records(s: Session, query: Record<string, string>): Promise<RecordItem[]>;
  fx: {
    url: string;
    ctl<T = Json>(path: string, body?: unknown, method?: string): Promise<T>;
    /** Every stored record of an object (invalid ones included), §11.1. */
    records(apiName: string, corpId?: string): Promise<Json[]>;
    /** An edit by a person in the CRM (sends change events), §11.4; answers the envelope. */
    ui(path: 'create' | 'update' | 'invalid', body: Json): Promise<Json>;
    /** Waits until the sandbox has delivered every queued change event. */
    flush(): Promise<void>;
  };
  jdy: {
    url: string;
    ctl<T = Json>(method: string, path: string, body?: unknown): Promise<T>;
    /** A business-API client of the main account set, as a JDY user would act. */
    client: JdyClient;
    rows(entity: string): Promise<Json[]>;
    /** One record by id, in detail shape. */
    row(entity: string, id: string): Promise<Json>;
    idOf(entity: string, number: string): Promise<string>;
  };
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function call<T>(
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  const res = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: 'manual',
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = { text };
  }
  return { status: res.status, json: json as T };
}

/** The CRM user of the story person with this JDY employee number. */
export function crmUserOfJdyNumber(number: string): { openUserId: string; name: string } {
  const crmPeople = PEOPLE.filter((p) => p.crmMobile !== null);
  const index = crmPeople.findIndex((p) => p.jdyNumber === number);
  assert.ok(index >= 0, `no CRM user for ${number}`);
  return { openUserId: demoOpenUserId(index + 1), name: crmPeople[index]!.name };
}

export async function startStack(prefix: string): Promise<Stack> {
  const clock = new StackClock();
  const port = await freePort();
  const pluginUrl = `http://127.0.0.1:${port}`;
  const sandboxes = await startSeededSandboxes({ pluginUrl, seed: false });
  const plugin = await startPlugin(
    testConfig({
      PORT: String(port),
      PUBLIC_URL: pluginUrl,
      MONGODB_URI: await freshDatabaseUri(prefix),
      JDY_BASE_URL: sandboxes.jdy.url,
      FX_BASE_URL: sandboxes.fx.url,
      JDY_RATE_LIMIT_PER_MINUTE: '100000',
      FX_RATE_LIMIT_PER_20S: '100000',
      SESSION_TTL_MINUTES: String(7 * 24 * 60),
      // Agenda keeps a lockLifetime/2 timer per job run after stop(): short, so the process exits.
      JOB_LOCK_LIFETIME_MS: '30000',
    }),
    { clock },
  );

  const fxCtl = async <T = Json>(
    path: string,
    body?: unknown,
    method = body === undefined ? 'GET' : 'POST',
  ): Promise<T> => {
    const r = await call<T>(`${sandboxes.fx.url}/__sandbox${path}`, method, body);
    assert.ok(r.status < 300, `fx ${method} ${path}: ${r.status} ${JSON.stringify(r.json)}`);
    return r.json;
  };
  const jdyCtl = async <T = Json>(method: string, path: string, body?: unknown): Promise<T> => {
    const r = await call<T>(`${sandboxes.jdy.url}/__sandbox${path}`, method, body);
    assert.ok(r.status < 300, `jdy ${method} ${path}: ${r.status} ${JSON.stringify(r.json)}`);
    return r.json;
  };
  await jdyCtl('POST', '/seed', jdyDemoSeed());
  await fxCtl('/seed', fxDemoSeed({ pluginUrl }));
  // Throughput is not what these tests measure: no limits on either side.
  await jdyCtl('POST', '/settings', { rate_limit_enabled: false });
  await fxCtl('/limits', { rateLimit: false, tokenRateLimit: false });

  const jdyClient = new JdyClient(
    new JdyTransport(
      {
        baseUrl: sandboxes.jdy.url,
        clientId: JDY_APP.clientId,
        clientSecret: JDY_APP.clientSecret,
        timeoutMs: 5000,
      },
      { clock, limiter: new SlidingWindowLimiter({ limit: 100_000, windowMs: 60_000, clock }) },
    ).session(DEMO_CONNECTION),
  );

  const api = async <T = Json>(
    s: Session,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Answer<T>> =>
    call<T>(`${plugin.url}${path}`, method, body, { cookie: s.cookie, 'x-csrf-token': s.csrf });

  const stack: Stack = {
    plugin,
    sandboxes,
    clock,
    async advance(ms) {
      await jdyCtl('POST', '/clock', { advance_ms: ms });
      await fxCtl('/clock', { advanceMs: ms });
      clock.offset += ms;
      clock.frozenAt = null;
    },
    async signIn(openUserId, corpId = FX_TENANTS.main.corpId) {
      const ctx = plugin.ctx;
      if (!(await ctx.repos.tenants.findByCorpId(corpId))) {
        const pushed = await fxCtl<{ delivered: boolean }>('/install', { corpId, type: 'PermanentCode' });
        assert.equal(pushed.delivered, true, JSON.stringify(pushed));
      }
      const tenant = await waitFor(`tenant ${corpId} active`, async () => {
        const t = await ctx.repos.tenants.findByCorpId(corpId);
        return t?.status === 'active' ? t : null;
      });
      const sso = await fetch(sandboxes.ssoLink(openUserId, corpId), { redirect: 'manual' });
      assert.equal(sso.status, 302);
      const entry = await fetch(String(sso.headers.get('location')), { redirect: 'manual' });
      assert.equal(entry.status, 302, 'signed in');
      const cookie = (entry.headers.get('set-cookie') ?? '').split(';')[0]!;
      const session = await call<{ csrfToken: string; tenantId: string }>(
        `${plugin.url}/api/session`,
        'GET',
        undefined,
        { cookie },
      );
      assert.equal(session.status, 200);
      assert.equal(session.json.tenantId, tenant._id);
      return {
        tenantId: asTenantId(session.json.tenantId),
        corpId,
        openUserId,
        cookie,
        csrf: session.json.csrfToken,
      };
    },
    api,
    async connectJdy(s) {
      const login = await api<{ loginId: string }>(s, 'POST', '/api/jdy/login', {
        mobile: JDY_DEMO_LOGIN.mobile,
        password: JDY_DEMO_LOGIN.password,
      });
      assert.equal(login.status, 200, JSON.stringify(login.json));
      const connect = await api(s, 'POST', '/api/jdy/connect', {
        loginId: login.json.loginId,
        accountId: MAIN,
      });
      assert.equal(connect.status, 200, JSON.stringify(connect.json));
    },
    async bind(s, jdyNumbers) {
      const ctx = plugin.ctx;
      const connection = await ctx.repos.connections.get(s.tenantId);
      assert.ok(connection);
      const now = new Date(clock.now());
      for await (const e of ctx.erp.connector.employees(ctx.repos.connections.open(connection))) {
        await ctx.repos.bindings.upsertEmployee(
          s.tenantId,
          { jdyEmpId: e.id, jdyNumber: e.number, jdyName: e.name, jdyMobile: e.mobile },
          now,
        );
        if (jdyNumbers.includes(e.number)) {
          const user = crmUserOfJdyNumber(e.number);
          assert.deepEqual(
            await ctx.repos.bindings.bind(s.tenantId, e.id, user.openUserId, user.name, 'manual', now),
            { ok: true },
          );
        }
      }
    },
    async hookEvents(s) {
      const tenant = await plugin.ctx.repos.tenants.findById(s.tenantId);
      assert.ok(tenant);
      await fxCtl('/hooks', {
        corpId: s.corpId,
        url: `${plugin.url}/hooks/fxiaoke/${s.tenantId}`,
        secret: plugin.ctx.repos.tenants.hookSecretOf(tenant),
        objects: ['AccountObj', 'SalesOrderObj'],
      });
    },
    async run(s, objects) {
      const started = await api<{ runId: string }>(s, 'POST', '/api/sync/run', objects ? { objects } : {});
      assert.equal(started.status, 202, JSON.stringify(started.json));
      let last: RunView | null = null;
      return waitFor(
        `run ${started.json.runId}`,
        async () => {
          last = (await api<RunView>(s, 'GET', `/api/sync/runs/${started.json.runId}`)).json;
          return ['queued', 'running'].includes(last.status) ? null : last;
        },
        120_000,
      ).catch(async (error: unknown) => {
        throw new Error(`${String(error)}: ${JSON.stringify(last)} ${await stack.diagnose()}`);
      });
    },
    async diagnose() {
      const db = plugin.ctx.conn.db!;
      const leases = await db.collection('locks').find({}).toArray();
      const jobs = await db
        .collection('jobs')
        .find({ lockedAt: { $ne: null } })
        .toArray();
      return JSON.stringify({
        now: clock.now(),
        leases,
        running: jobs.map((j) => [j.name, j.data, j.lockedAt]),
      });
    },
    async records(s, query) {
      const qs = new URLSearchParams({ pageSize: '200', ...query }).toString();
      const r = await api<{ items: RecordItem[] }>(s, 'GET', `/api/records?${qs}`);
      assert.equal(r.status, 200, JSON.stringify(r.json));
      return r.json.items;
    },
    fx: {
      url: sandboxes.fx.url,
      ctl: fxCtl,
      async records(apiName, corpId = FX_TENANTS.main.corpId) {
        const q = new URLSearchParams({ corpId, objectApiName: apiName }).toString();
        return (await fxCtl<{ records: Json[] }>(`/records?${q}`)).records;
      },
      async ui(path, body) {
        const r = await call<Json>(`${sandboxes.fx.url}/__sandbox/ui/${path}`, 'POST', {
          corpId: FX_TENANTS.main.corpId,
          ...body,
        });
        assert.equal(r.status, 200, JSON.stringify(r.json));
        assert.equal(r.json.errorCode, 0, JSON.stringify(r.json));
        return r.json;
      },
      async flush() {
        await fxCtl('/events/flush', {});
      },
    },
    jdy: {
      url: sandboxes.jdy.url,
      ctl: jdyCtl,
      client: jdyClient,
      async rows(entity) {
        return (await jdyCtl<{ rows: Json[] }>('GET', `/records?account_id=${MAIN}&entity=${entity}`)).rows;
      },
      async row(entity, id) {
        const row = (await stack.jdy.rows(entity)).find((r) => r.id === id);
        assert.ok(row, `${entity} ${id} not in JDY`);
        return row;
      },
      async idOf(entity, number) {
        const row = (await stack.jdy.rows(entity)).find((r) => (r.number ?? r.bill_no) === number);
        assert.ok(row, `${entity} ${number} not found`);
        return String(row.id);
      },
    },
    async close() {
      await plugin.stop();
      await sandboxes.close();
    },
  };
  return stack;
}
