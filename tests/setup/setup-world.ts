/**
 * The real plugin against both sandboxes seeded with the demo story, for the admin-setup tests:
 * install through the CRM's signed push, sign-in through its SSO redirect, JSON and multipart calls
 * with the session cookie and CSRF header, and raw reads of the plugin's collections.
 */
import assert from 'node:assert/strict';
import { startSeededSandboxes, type SeededSandboxes } from '../../src/demo/sandboxes.js';
import { FX_TENANTS, JDY_ACCOUNT_SETS, JDY_DEMO_LOGIN } from '../../src/demo/story.js';
import type { TenantEntity } from '../../src/dal/tenant/tenant.entity.js';
import { startPlugin, type RunningPlugin } from '../../src/server.js';
import { waitFor } from '../fxiaoke/fx-helpers.js';
import { testConfig } from '../helpers/config.js';
import { freshDatabaseUri } from '../helpers/db.js';

export const MAIN_CORP = FX_TENANTS.main.corpId;
export const OTHER_CORP = FX_TENANTS.other.corpId;

export interface Session {
  cookie: string;
  csrf: string;
}

export interface Answer {
  status: number;
  headers: Headers;
  json: unknown;
  body: Buffer;
}

export interface CallOptions {
  method?: string;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as multipart/form-data. */
  form?: FormData;
  /** Leave the CSRF header out. */
  noCsrf?: boolean;
}

export interface SetupWorld {
  plugin: RunningPlugin;
  sandboxes: SeededSandboxes;
  install(corpId: string): Promise<TenantEntity>;
  signIn(openUserId: string, corpId?: string): Promise<Session>;
  call(session: Session | null, path: string, options?: CallOptions): Promise<Answer>;
  /** JDY login with the demo account, then connect the authorised account set. */
  connectJdy(session: Session): Promise<void>;
  /** Raw documents of a collection (the native driver, not the repositories). */
  docs(collection: string, filter?: Record<string, unknown>): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

export async function startSetupWorld(name: string): Promise<SetupWorld> {
  // The seed's plugin URL is never used: pushes and redirects below name the plugin explicitly.
  const sandboxes = await startSeededSandboxes({ pluginUrl: 'http://127.0.0.1:9' });
  const plugin = await startPlugin(
    testConfig({
      MONGODB_URI: await freshDatabaseUri(name),
      FX_BASE_URL: sandboxes.fx.url,
      JDY_BASE_URL: sandboxes.jdy.url,
      // A short job lock lets the process exit promptly after stop() (see entry-points.test.ts).
      JOB_LOCK_LIFETIME_MS: '4000',
    }),
  );

  const call = async (session: Session | null, path: string, options: CallOptions = {}): Promise<Answer> => {
    const headers: Record<string, string> = {};
    if (session) headers.cookie = session.cookie;
    if (session && !options.noCsrf) headers['x-csrf-token'] = session.csrf;
    if (options.json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(plugin.url + path, {
      method: options.method ?? (options.json !== undefined || options.form ? 'POST' : 'GET'),
      headers,
      body: options.form ?? (options.json === undefined ? undefined : JSON.stringify(options.json)),
      redirect: 'manual',
    });
    const body = Buffer.from(await res.arrayBuffer());
    let json: unknown = null;
    if ((res.headers.get('content-type') ?? '').includes('json')) json = JSON.parse(body.toString('utf8'));
    return { status: res.status, headers: res.headers, json, body };
  };

  return {
    plugin,
    sandboxes,
    async install(corpId) {
      const res = await fetch(`${sandboxes.fx.url}/__sandbox/install`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          corpId,
          type: 'PermanentCode',
          callbackUrl: `${plugin.url}/fxiaoke/callback`,
        }),
      });
      assert.equal(((await res.json()) as { delivered: boolean }).delivered, true, 'the push was answered');
      return waitFor(`tenant ${corpId}`, async () => {
        const t = await plugin.ctx.repos.tenants.findByCorpId(corpId);
        return t?.status === 'active' ? t : null;
      });
    },
    async signIn(openUserId, corpId = MAIN_CORP) {
      const redirect = encodeURIComponent(`${plugin.url}/app/entry`);
      const link = await fetch(`${sandboxes.ssoLink(openUserId, corpId)}&redirect=${redirect}`, {
        redirect: 'manual',
      });
      assert.equal(link.status, 302, 'the CRM sandbox redirects to the entry URL');
      const entry = await fetch(link.headers.get('location')!, { redirect: 'manual' });
      assert.equal(entry.status, 302, `sign-in of ${openUserId}`);
      const cookie = (entry.headers.get('set-cookie') ?? '').split(';')[0]!;
      const session = await call({ cookie, csrf: '' }, '/api/session');
      assert.equal(session.status, 200);
      return { cookie, csrf: (session.json as { csrfToken: string }).csrfToken };
    },
    call,
    async connectJdy(session) {
      const login = await call(session, '/api/jdy/login', {
        json: { mobile: JDY_DEMO_LOGIN.mobile, password: JDY_DEMO_LOGIN.password },
      });
      assert.equal(login.status, 200, JSON.stringify(login.json));
      const { loginId } = login.json as { loginId: string };
      const connect = await call(session, '/api/jdy/connect', {
        json: { loginId, accountId: JDY_ACCOUNT_SETS.main.accountId },
      });
      assert.equal(connect.status, 200, JSON.stringify(connect.json));
    },
    async docs(collection, filter = {}) {
      return plugin.ctx.conn.db!.collection(collection).find(filter).toArray() as Promise<
        Record<string, unknown>[]
      >;
    },
    async stop() {
      await plugin.stop();
      await sandboxes.close();
    },
  };
}

/** A multipart body with one file in field `file`. */
export function fileForm(content: Buffer, filename: string, field = 'file'): FormData {
  const form = new FormData();
  form.append(field, new Blob([new Uint8Array(content)]), filename);
  return form;
}
