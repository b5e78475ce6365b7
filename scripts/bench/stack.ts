/**
 * One benchmark stack: both sandboxes (in this process) seeded with the demo story plus generated
 * products and customers, rate limits on and scaled by the bench factor, the plugin in a child
 * process on the shared FerretDB, installed through the CRM app-center push, an admin signed in
 * by SSO, the demo account set connected and one employee bound — the wiring of the demo and the
 * smoke script, with no shortcut inside the plugin.
 */
import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { BindingRepository } from '../../src/dal/binding/binding.repository.js';
import { DEFAULT_SCHEDULE } from '../../src/dal/settings/settings.entity.js';
import { SettingsRepository } from '../../src/dal/settings/settings.repository.js';
import { TenantRepository } from '../../src/dal/tenant/tenant.repository.js';
import type { TenantId } from '../../src/db/base-repository.js';
import { connectDatabase } from '../../src/db/connection.js';
import { freePort } from '../../src/db/ferretdb.js';
import { DEMO_ADMIN, startSeededSandboxes, type SeededSandboxes } from '../../src/demo/sandboxes.js';
import { FX_APP, FX_TENANTS, JDY_ACCOUNT_SETS, JDY_APP, JDY_DEMO_LOGIN } from '../../src/demo/story.js';
import { silentLogger } from '../../src/lib/logger.js';
import { SecretBox } from '../../src/lib/secret-box.js';
import { generateLargeSeed } from '../../plugins/jingdouyun/sandbox/seed/generate.js';
import { requestJson } from '../../tests/helpers/http-json.js';
import { MeasuredChild } from './child.js';

/** The contracts' rate limits and the plugin's own (slightly lower) budgets, before scaling. */
export const LIMITS = {
  /** jingdouyun-api §3.4: calls per minute per account set. */
  jdyPerMinute: 500,
  /** fxiaoke-api §3.6: calls per (corpId, path) per 20 s. */
  crmPer20s: 100,
  /** The plugin's defaults (src/config.ts): JDY_RATE_LIMIT_PER_MINUTE, FX_RATE_LIMIT_PER_20S. */
  pluginJdyPerMinute: 480,
  pluginCrmPer20s: 95,
};

export const CORP_ID = FX_TENANTS.main.corpId;
export const ACCOUNT_ID = JDY_ACCOUNT_SETS.main.accountId;

export interface StackOptions {
  name: string;
  dbUri: string;
  factor: number;
  products: number;
  customers: number;
  /** Records created "now" (thousands per second, as right after a bulk import in JDY) instead of over a year. */
  burst: boolean;
  /** Added to every business call of both sandboxes (their delay faults), like a real network's round trip. */
  latencyMs: number;
  logFile: string;
  profileDir?: string;
}

const YEAR_MS = 365 * 86_400_000;

/** Business paths the plugin calls, for --latency-ms (the sandboxes answer in about 1 ms on loopback). */
const JDY_PATHS = [
  ...[
    'customer',
    'customer_group',
    'emp',
    'material',
    'material_brand',
    'material_group',
    'measure_unit',
    'store',
  ].flatMap((e) => [`/jdy/v2/bd/${e}`, `/jdy/v2/bd/${e}_detail`]),
  '/jdy/v2/scm/sal_order',
  '/jdy/v2/scm/sal_order_detail',
  '/jdy/v2/scm/inventory',
  '/jdy/v2/sys/deleted_log',
];
const CRM_PATHS = [
  ...['create', 'update', 'get', 'query'].map((a) => `/cgi/crm/v2/data/${a}`),
  '/cgi/crm/v2/object/describe',
  '/cgi/crm/data/queryProductCategory',
  '/cgi/crm/data/editProductCategory',
];

type Json = Record<string, unknown>;

const json = requestJson;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class BenchStack {
  private cookie = '';
  private csrf = '';

  private constructor(
    readonly options: StackOptions,
    readonly sandboxes: SeededSandboxes,
    readonly plugin: MeasuredChild,
    readonly pluginUrl: string,
    readonly env: NodeJS.ProcessEnv,
    readonly conn: Connection,
    readonly tenants: TenantRepository,
    readonly settings: SettingsRepository,
    readonly bindings: BindingRepository,
    readonly seededAt: number,
  ) {}

  static async start(options: StackOptions): Promise<BenchStack> {
    const port = await freePort();
    const pluginUrl = `http://127.0.0.1:${port}`;
    const sandboxes = await startSeededSandboxes({ pluginUrl });
    const now = Date.now();
    const history = options.burst ? undefined : { from: now - YEAR_MS, to: now - 3_600_000 };
    const { products, customers } = options;
    for (const body of generateLargeSeed({
      accountId: ACCOUNT_ID,
      products,
      customers,
      ...(history ? { history } : {}),
    })) {
      await json('POST', `${sandboxes.jdy.url}/__sandbox/seed`, body);
    }
    const seededAt = Date.now();
    const f = options.factor;
    await json('POST', `${sandboxes.jdy.url}/__sandbox/settings`, {
      rate_limit_enabled: true,
      rate_limit_per_minute: LIMITS.jdyPerMinute * f,
    });
    await json('POST', `${sandboxes.fx.url}/__sandbox/limits`, {
      rateLimit: true,
      tokenRateLimit: true,
      callsPer20s: LIMITS.crmPer20s * f,
      resetCounters: true,
    });
    const delay = options.latencyMs;
    const faults: Array<[string, Json]> = delay
      ? [
          ...JDY_PATHS.map((path): [string, Json] => [
            sandboxes.jdy.url,
            { path, count: 1e9, mode: 'delay', delay_ms: delay },
          ]),
          ...CRM_PATHS.map((path): [string, Json] => [
            sandboxes.fx.url,
            { path, times: 1e9, action: 'delay', delayMs: delay },
          ]),
        ]
      : [];
    for (const [base, fault] of faults) await json('POST', `${base}/__sandbox/faults`, fault);
    const secretKey = randomBytes(32);
    const mongodbUri = `${options.dbUri}${options.name}`;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: pluginUrl,
      MONGODB_URI: mongodbUri,
      SECRET_KEY: secretKey.toString('base64'),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      JDY_BASE_URL: sandboxes.jdy.url,
      JDY_CLIENT_ID: JDY_APP.clientId,
      JDY_CLIENT_SECRET: JDY_APP.clientSecret,
      JDY_RATE_LIMIT_PER_MINUTE: String(LIMITS.pluginJdyPerMinute * f),
      FX_BASE_URL: sandboxes.fx.url,
      FX_APP_ID: FX_APP.appId,
      FX_APP_SECRET: FX_APP.appSecret,
      FX_TOKEN: FX_APP.token,
      FX_ENCODING_AES_KEY: FX_APP.encodingAesKey,
      FX_RATE_LIMIT_PER_20S: String(LIMITS.pluginCrmPer20s * f),
    };
    const plugin = MeasuredChild.start('./plugin-process.ts', env, options.logFile, options.profileDir);
    const ready = await plugin.next();
    if (ready.type !== 'ready') throw new Error('plugin did not start');
    const conn = await connectDatabase(mongodbUri, silentLogger);
    const stack = new BenchStack(
      options,
      sandboxes,
      plugin,
      pluginUrl,
      env,
      conn,
      new TenantRepository(conn, new SecretBox(secretKey)),
      new SettingsRepository(conn),
      new BindingRepository(conn),
      seededAt,
    );
    await stack.install();
    return stack;
  }

  /** Install push → manual mode (no timed runs in the way) → SSO → JDY login/connect → a binding. */
  private async install(): Promise<void> {
    await json('POST', `${this.sandboxes.fx.url}/__sandbox/install`, {
      corpId: CORP_ID,
      type: 'PermanentCode',
    });
    const tenantId = await this.tenantId();
    await this.settings.update(tenantId, { schedule: { ...DEFAULT_SCHEDULE, mode: 'manual' } }, new Date());
    const sso = await fetch(this.sandboxes.ssoLink(DEMO_ADMIN.openUserId), { redirect: 'manual' });
    const entry = await fetch(sso.headers.get('location') ?? '', { redirect: 'manual' });
    this.cookie = (entry.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    this.csrf = (await this.api<{ csrfToken: string }>('GET', '/api/session')).csrfToken;
    const login = await this.api<{ loginId: string }>('POST', '/api/jdy/login', {
      mobile: JDY_DEMO_LOGIN.mobile,
      password: JDY_DEMO_LOGIN.password,
    });
    await this.api('POST', '/api/jdy/connect', { loginId: login.loginId, accountId: ACCOUNT_ID });
    const employees = await this.jdy<{
      rows: Array<{ id: string; number: string; name: string; mobile?: string }>;
    }>('GET', `/__sandbox/records?account_id=${ACCOUNT_ID}&entity=bd_employee`);
    const now = new Date();
    for (const e of employees.rows) {
      await this.bindings.upsertEmployee(
        tenantId,
        { jdyEmpId: e.id, jdyNumber: e.number, jdyName: e.name, jdyMobile: e.mobile ?? '' },
        now,
      );
    }
    await this.bindings.bind(
      tenantId,
      employees.rows[0]!.id,
      DEMO_ADMIN.openUserId,
      DEMO_ADMIN.name,
      'manual',
      now,
    );
  }

  /** The tenant once the install push has been handled. */
  async tenantId(): Promise<TenantId> {
    for (let i = 0; i < 300; i++) {
      const tenant = await this.tenants.findByCorpId(CORP_ID);
      if (tenant?.status === 'active') return TenantRepository.idOf(tenant);
      await sleep(100);
    }
    throw new Error('the install push was not handled within 30 s');
  }

  api<T = Json>(method: string, path: string, body?: unknown): Promise<T> {
    return json<T>(method, `${this.pluginUrl}${path}`, body, {
      cookie: this.cookie,
      'x-csrf-token': this.csrf,
    });
  }

  jdy<T = Json>(method: string, path: string, body?: unknown): Promise<T> {
    return json<T>(method, `${this.sandboxes.jdy.url}${path}`, body);
  }

  fx<T = Json>(method: string, path: string, body?: unknown): Promise<T> {
    return json<T>(method, `${this.sandboxes.fx.url}${path}`, body);
  }

  /** Seeded JDY records are read once the list window (now − 5 s) has passed them. */
  async waitForSeedWindow(): Promise<void> {
    await sleep(Math.max(0, this.seededAt + 6_000 - Date.now()));
  }

  /**
   * Runs a sync of `objects` through the plugin API and follows it: `samples` are (ms since the
   * request, records seen) every second. After `budgetMs` it stops following (`finished` false):
   * the run's counts so far are what it managed.
   */
  async syncRun(objects: readonly string[], budgetMs: number): Promise<FollowedRun> {
    const { runId } = await this.api<{ runId: string }>('POST', '/api/sync/run', { objects });
    const started = Date.now();
    const samples: Array<[number, number]> = [];
    for (;;) {
      await sleep(1000);
      const run = await this.api<RunView>('GET', `/api/sync/runs/${runId}`);
      const elapsed = Date.now() - started;
      samples.push([elapsed, run.counts.seen ?? 0]);
      const finished = run.status !== 'queued' && run.status !== 'running';
      if (finished || elapsed > budgetMs) return { run, samples, finished, startedAt: started };
      if (samples.length % 60 === 0) {
        console.error(
          `[bench] ${this.options.name}: ${run.counts.seen ?? 0} records after ${Math.round(elapsed / 1000)} s`,
        );
      }
    }
  }

  async close(): Promise<void> {
    await this.plugin.stop();
    await this.conn.dropDatabase().catch(() => undefined);
    await this.conn.close();
    await this.sandboxes.close();
  }
}

export interface FollowedRun {
  run: RunView;
  samples: Array<[number, number]>;
  finished: boolean;
  startedAt: number;
}

export interface RunView {
  runId: string;
  status: string;
  startedAt: string | null;
  finishedAt: string | null;
  counts: Record<string, number>;
  progress: Record<string, { counts?: Record<string, number>; state?: string }>;
  error: string | null;
}
