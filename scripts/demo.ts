/**
 * npm run demo — the whole product on one machine: the embedded database (FerretDB under
 * ./data/), both sandboxes seeded with the demo story, and the plugin, installed into the CRM
 * sandbox through its app-center push; plus the demo console, a page that makes changes "in the
 * CRM" and "in Jingdouyun". Prints the link that signs an administrator in, and what to do next.
 * Env: PORT (default 3000), JDY_SANDBOX_PORT (7301), FX_SANDBOX_PORT (7302), DEMO_CONSOLE_PORT
 * (7300), DATA_DIR (./data).
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { startDemoConsole } from '../src/demo/console.js';
import { DEMO_ADMIN, DEMO_USER } from '../src/demo/sandboxes.js';
import { demoSecretKey } from '../src/demo/secret-key.js';
import { startDemoStack } from '../src/demo/stack.js';
import { JDY_ACCOUNT_SETS, JDY_DEMO_LOGIN } from '../src/demo/story.js';

const dataDir = process.env.DATA_DIR ?? './data';
// The sandboxes live in memory and are seeded afresh at every start, so the plugin's embedded
// database starts afresh too: kept mappings would point at records that no longer exist.
if (!process.env.MONGODB_URI) await rm(path.join(dataDir, 'db'), { recursive: true, force: true });

const stack = await startDemoStack({
  port: Number(process.env.PORT ?? 3000),
  jdyPort: Number(process.env.JDY_SANDBOX_PORT ?? 7301),
  fxPort: Number(process.env.FX_SANDBOX_PORT ?? 7302),
  env: {
    ...process.env,
    NODE_ENV: 'development',
    DATA_DIR: dataDir,
    SECRET_KEY: process.env.SECRET_KEY ?? (await demoSecretKey(dataDir)),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  },
});
const { sandboxes, plugin } = stack;
const adminLink = sandboxes.ssoLink(DEMO_ADMIN.openUserId);
const demoConsole = await startDemoConsole({
  port: Number(process.env.DEMO_CONSOLE_PORT ?? 7300),
  jdyUrl: sandboxes.jdy.url,
  fxUrl: sandboxes.fx.url,
  adminLink,
});

console.log(`
醇香酒业 demo is running (杭州醇香酒业: Jingdouyun books + Fxiaoke CRM, both sandboxes seeded).

  1. Open the plugin as the CRM administrator ${DEMO_ADMIN.name} (single sign-on; lands on 概览):
       ${adminLink}
  2. 连接精斗云: log in with ${JDY_DEMO_LOGIN.mobile} / ${JDY_DEMO_LOGIN.password} and pick 「${JDY_ACCOUNT_SETS.main.accountName}」.
  3. 员工绑定: 同步精斗云职员 → tick all → 添加并自动绑定 (吴刚 has no CRM user: bind him by hand or by 导入).
  4. 预设配置 (optional): switch on 产品品牌 / 客户分类 / 仓库.
  5. 概览 → 立即同步: the first import brings Jingdouyun products and customers into the CRM.
     Then 同步日志: one product (JD0030, no category) fails on purpose — fix it in the console, retry.
  6. Demo console — make changes "in the CRM" and "in Jingdouyun" and watch them in 同步日志:
       ${demoConsole.url}

  Read-only user ${DEMO_USER.name}: ${sandboxes.ssoLink(DEMO_USER.openUserId)}
  Plugin ${plugin.url} (health: ${plugin.url}/healthz) · sandboxes: 精斗云 ${sandboxes.jdy.url}, 纷享销客 ${sandboxes.fx.url}
  Install push delivered: ${stack.installed ? 'yes' : 'no (see the plugin log)'}

Ctrl-C to stop. Every start is fresh (the sandboxes live in memory); the secret key stays in ${dataDir}/.`);

const stop = () =>
  void demoConsole
    .close()
    .then(() => stack.close())
    .then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
