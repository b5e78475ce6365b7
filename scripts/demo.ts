/**
 * npm run demo — the whole product on one machine: the embedded database (FerretDB under
 * ./data/), both sandboxes seeded with the demo story, and the plugin, installed into the CRM
 * sandbox through its app-center push. Prints the link that signs an administrator in.
 * Env: PORT (default 3000), JDY_SANDBOX_PORT (7301), FX_SANDBOX_PORT (7302), DATA_DIR (./data).
 */
import axios from 'axios';
import { loadConfig } from '../src/config.js';
import { DEMO_ADMIN, DEMO_USER, startSeededSandboxes } from '../src/demo/sandboxes.js';
import { demoSecretKey } from '../src/demo/secret-key.js';
import { FX_APP, FX_TENANTS, JDY_APP, JDY_DEMO_LOGIN } from '../src/demo/story.js';
import { startPlugin } from '../src/server.js';

const port = Number(process.env.PORT ?? 3000);
const dataDir = process.env.DATA_DIR ?? './data';
const pluginUrl = `http://127.0.0.1:${port}`;

const sandboxes = await startSeededSandboxes({
  pluginUrl,
  jdyPort: Number(process.env.JDY_SANDBOX_PORT ?? 7301),
  fxPort: Number(process.env.FX_SANDBOX_PORT ?? 7302),
});
const config = loadConfig({
  ...process.env,
  NODE_ENV: 'development',
  PORT: String(port),
  DATA_DIR: dataDir,
  PUBLIC_URL: pluginUrl,
  SECRET_KEY: process.env.SECRET_KEY ?? (await demoSecretKey(dataDir)),
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
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

// The CRM app center installs the plugin: a signed, encrypted push to our callback.
const install = await axios.post<{ delivered: boolean }>(`${sandboxes.fx.url}/__sandbox/install`, {
  corpId: FX_TENANTS.main.corpId,
  type: 'PermanentCode',
});

console.log(`
醇香酒业 demo is running.

  Plugin          ${plugin.url}        (health: ${plugin.url}/healthz)
  Sign in (admin) ${sandboxes.ssoLink(DEMO_ADMIN.openUserId)}
  Sign in (read-only user ${DEMO_USER.name}) ${sandboxes.ssoLink(DEMO_USER.openUserId)}

  Jingdouyun login to connect: ${JDY_DEMO_LOGIN.mobile} / ${JDY_DEMO_LOGIN.password}
  Sandboxes: 精斗云 ${sandboxes.jdy.url}, 纷享销客 ${sandboxes.fx.url}
  Install push delivered: ${install.data.delivered ? 'yes' : 'no (see the plugin log)'}

Ctrl-C to stop. Data is kept in ${dataDir}/.`);

const stop = () =>
  void plugin
    .stop()
    .then(() => sandboxes.close())
    .then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
