/**
 * The real plugin against both demo sandboxes, for the security tests: the CRM enterprise installed
 * through its signed push, sign-in through the CRM's SSO redirect, the plugin's log captured in a
 * string, and raw views of every collection (the native driver, not the repositories).
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { AppContext } from '../../src/app-context.js';
import { DEMO_ADMIN, startSeededSandboxes, type SeededSandboxes } from '../../src/demo/sandboxes.js';
import { FX_TENANTS } from '../../src/demo/story.js';
import type { TenantEntity } from '../../src/dal/tenant/tenant.entity.js';
import { routes } from '../../src/http/routes.js';
import { createLogger } from '../../src/lib/logger.js';
import { startPlugin, type RunningPlugin } from '../../src/server.js';
import { waitFor } from '../fxiaoke/fx-helpers.js';
import { testConfig } from '../helpers/config.js';
import { freshDatabaseUri } from '../helpers/db.js';

export type CorpId = (typeof FX_TENANTS)[keyof typeof FX_TENANTS]['corpId'];

export interface Signed {
  cookie: string;
  /** The cookie's value: the session id. */
  sessionId: string;
  csrf: string;
  setCookie: string;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

export interface World {
  plugin: RunningPlugin;
  sandboxes: SeededSandboxes;
  /** Everything the plugin logged so far (pino JSON lines). */
  logs(): string;
  install(corpId: CorpId, type?: 'PermanentCode' | 'CancelPermanentCode'): Promise<TenantEntity>;
  /** The CRM's SSO redirect for this user, pointed at the plugin's entry URL. */
  ssoLink(openUserId: string, corpId?: CorpId): Promise<string>;
  signIn(openUserId?: string, corpId?: CorpId, cookie?: string): Promise<Signed>;
  api(path: string, init?: RequestInit & { cookie?: string }): Promise<Answer>;
  /** A state-changing call of a signed-in person: cookie, CSRF token, a JSON body (text as is). */
  send(s: Signed, method: string, path: string, body?: unknown): Promise<Answer>;
  /** Document count of every collection of the plugin's database. */
  counts(): Promise<Record<string, number>>;
  /** Documents in the whole database (one dbStats call: cheap enough to take around every request). */
  total(): Promise<number>;
  /** Every document of every collection, as one JSON text. */
  dump(): Promise<string>;
  stop(): Promise<void>;
}

export async function startWorld(
  name: string,
  env: Record<string, string> = {},
  logLevel = 'silent',
): Promise<World> {
  // The seed's own plugin URL is never used: pushes and redirects name the plugin explicitly.
  const sandboxes = await startSeededSandboxes({ pluginUrl: 'http://127.0.0.1:9' });
  let logText = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logText += chunk.toString('utf8');
      done();
    },
  });
  const plugin = await startPlugin(
    testConfig({
      MONGODB_URI: await freshDatabaseUri(name),
      FX_BASE_URL: sandboxes.fx.url,
      JDY_BASE_URL: sandboxes.jdy.url,
      // A short job lock lets the process exit promptly after stop() (see entry-points.test.ts).
      JOB_LOCK_LIFETIME_MS: '4000',
      ...env,
    }),
    { logger: createLogger(logLevel, sink) },
  );
  const db = () => plugin.ctx.conn.db!;
  const collections = async () => (await db().listCollections().toArray()).map((c) => c.name).sort();

  const api = async (path: string, init: RequestInit & { cookie?: string } = {}): Promise<Answer> => {
    const { cookie, ...rest } = init;
    const res = await fetch(plugin.url + path, {
      redirect: 'manual',
      ...rest,
      headers: { ...(cookie ? { cookie } : {}), ...(rest.headers as Record<string, string> | undefined) },
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON: files, pages, the callback's literal answers
    }
    return { status: res.status, headers: res.headers, text, json };
  };

  const ssoLink = async (openUserId: string, corpId: CorpId = FX_TENANTS.main.corpId): Promise<string> => {
    const redirect = encodeURIComponent(`${plugin.url}/app/entry`);
    const res = await fetch(`${sandboxes.ssoLink(openUserId, corpId)}&redirect=${redirect}`, {
      redirect: 'manual',
    });
    assert.equal(res.status, 302, 'the CRM sandbox redirects to the entry URL');
    return res.headers.get('location')!;
  };

  return {
    plugin,
    sandboxes,
    logs: () => logText,
    async install(corpId, type = 'PermanentCode') {
      const res = await fetch(`${sandboxes.fx.url}/__sandbox/install`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ corpId, type, callbackUrl: `${plugin.url}/fxiaoke/callback` }),
      });
      assert.equal(
        ((await res.json()) as { delivered: boolean }).delivered,
        true,
        'the push was answered success',
      );
      const status = type === 'PermanentCode' ? 'active' : 'uninstalled';
      // Generous: the install job runs after the reply, and the machine may be busy.
      return waitFor(
        `tenant ${corpId} ${status}`,
        async () => {
          const t = await plugin.ctx.repos.tenants.findByCorpId(corpId);
          return t?.status === status ? t : null;
        },
        60_000,
      );
    },
    ssoLink,
    async signIn(openUserId = DEMO_ADMIN.openUserId, corpId = FX_TENANTS.main.corpId, cookie) {
      const res = await fetch(await ssoLink(openUserId, corpId), {
        redirect: 'manual',
        headers: cookie ? { cookie } : {},
      });
      assert.equal(res.status, 302, `sign-in of ${openUserId}: ${await res.clone().text()}`);
      const setCookie = res.headers.get('set-cookie') ?? '';
      const pair = setCookie.split(';')[0]!;
      const session = await api('/api/session', { cookie: pair });
      assert.equal(session.status, 200);
      return {
        cookie: pair,
        sessionId: decodeURIComponent(pair.slice(pair.indexOf('=') + 1)),
        csrf: (session.json as { csrfToken: string }).csrfToken,
        setCookie,
      };
    },
    api,
    send: (s, method, path, body = {}) =>
      api(path, {
        method,
        cookie: s.cookie,
        headers: { 'content-type': 'application/json', 'x-csrf-token': s.csrf },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    async counts() {
      const out: Record<string, number> = {};
      for (const name of await collections()) out[name] = await db().collection(name).countDocuments();
      return out;
    },
    async total() {
      return Number((await db().command({ dbStats: 1 })).objects);
    },
    async dump() {
      const all: Record<string, unknown[]> = {};
      for (const name of await collections()) all[name] = await db().collection(name).find().toArray();
      return JSON.stringify(all);
    },
    async stop() {
      await plugin.stop();
      await sandboxes.close();
    },
  };
}

export interface Route {
  method: string;
  path: string;
  /** "METHOD /path" */
  key: string;
}

/** Every /api route and method the plugin's router serves now (endpoints added later included). */
export function apiRoutes(ctx: AppContext): Route[] {
  const out: Route[] = [];
  for (const layer of routes(ctx).stack) {
    const route = layer.route as { path: string; methods: Record<string, boolean> } | undefined;
    if (!route?.path.startsWith('/api/')) continue;
    for (const [m, on] of Object.entries(route.methods)) {
      const method = m.toUpperCase();
      if (on && m !== '_all') out.push({ method, path: route.path, key: `${method} ${route.path}` });
    }
  }
  return out;
}

/** The uniform refusal of the plugin API: `{error: {code, message}}`, the message in Chinese. */
export function assertRefusal(a: Answer, what: string): void {
  const error = (a.json as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  assert.ok(error, `${what}: ${a.status} without an error body: ${a.text.slice(0, 200)}`);
  assert.equal(typeof error.code, 'string', `${what}: error.code`);
  assert.match(
    String(error.message),
    /\p{Script=Han}/u,
    `${what}: the message is Chinese: ${String(error.message)}`,
  );
}
