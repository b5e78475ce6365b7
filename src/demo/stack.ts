import { createServer } from 'node:net';
import axios from 'axios';
import { loadConfig } from '../config.js';
import type { TenantEntity } from '../dal/tenant/tenant.entity.js';
import { startPlugin, type RunningPlugin } from '../server.js';
import { startSeededSandboxes, type SeededSandboxes } from './sandboxes.js';
import { FX_APP, FX_TENANTS, JDY_APP } from './story.js';

export interface DemoStack {
  sandboxes: SeededSandboxes;
  plugin: RunningPlugin;
  /** Whether the CRM sandbox's install push reached the plugin. */
  installed: boolean;
  close(): Promise<void>;
}

/** A free loopback port: the CRM seed needs the plugin's URL before the plugin listens. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no free port');
  return address.port;
}

/**
 * The demo stack (npm run demo and the end-to-end tests): both sandboxes seeded with the story, the
 * plugin configured for them, and the plugin installed into the CRM sandbox through its signed,
 * encrypted app-center push; resolves once the install job has activated the tenant (so the SSO
 * link works at once) and the CRM's change events are hooked to the plugin. `env` carries the rest of the configuration (database, secret key, logs).
 */
export async function startDemoStack(options: {
  port: number;
  jdyPort?: number;
  fxPort?: number;
  env: Record<string, string | undefined>;
}): Promise<DemoStack> {
  const port = options.port === 0 ? await freePort() : options.port;
  const pluginUrl = `http://127.0.0.1:${port}`;
  const sandboxes = await startSeededSandboxes({
    pluginUrl,
    ...(options.jdyPort === undefined ? {} : { jdyPort: options.jdyPort }),
    ...(options.fxPort === undefined ? {} : { fxPort: options.fxPort }),
  });
  const config = loadConfig({
    ...options.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: pluginUrl,
    JDY_BASE_URL: sandboxes.jdy.url,
    JDY_CLIENT_ID: JDY_APP.clientId,
    JDY_CLIENT_SECRET: JDY_APP.clientSecret,
    FX_BASE_URL: sandboxes.fx.url,
    FX_APP_ID: FX_APP.appId,
    FX_APP_SECRET: FX_APP.appSecret,
    FX_TOKEN: FX_APP.token,
    FX_ENCODING_AES_KEY: FX_APP.encodingAesKey,
  });
  const plugin = await startPlugin(config);
  const install = await axios.post<{ delivered: boolean }>(`${sandboxes.fx.url}/__sandbox/install`, {
    corpId: FX_TENANTS.main.corpId,
    type: 'PermanentCode',
  });
  const tenant = install.data.delivered ? await activeTenant(plugin, 20_000) : null;
  if (tenant) {
    // The CRM has no native change webhook: an administrator builds one per object as a workflow
    // (fxiaoke-api §9). The demo does it for them, so CRM edits reach the plugin at once.
    await axios.post(`${sandboxes.fx.url}/__sandbox/hooks`, {
      corpId: tenant.corpId,
      url: `${pluginUrl}/hooks/fxiaoke/${tenant._id}`,
      secret: plugin.ctx.repos.tenants.hookSecretOf(tenant),
      objects: ['AccountObj', 'SalesOrderObj'],
    });
  }
  return {
    sandboxes,
    plugin,
    installed: tenant !== null,
    close: async () => {
      await plugin.stop();
      await sandboxes.close();
    },
  };
}

/** The demo tenant once the install job has activated it (null after the timeout). */
async function activeTenant(plugin: RunningPlugin, timeoutMs: number): Promise<TenantEntity | null> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const tenant = await plugin.ctx.repos.tenants.findByCorpId(FX_TENANTS.main.corpId);
    if (tenant?.status === 'active') return tenant;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return null;
}
