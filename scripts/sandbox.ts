/**
 * npm run sandbox — both sandboxes (Jingdouyun and the Fxiaoke CRM), seeded with the demo story,
 * until Ctrl-C. Flags: --jdy-port N (default 7301), --fx-port N (default 7302),
 * --plugin-url URL (where the CRM sandbox sends install pushes and SSO redirects; default
 * http://127.0.0.1:3000), --no-seed.
 */
import { parseArgs } from 'node:util';
import { DEMO_ADMIN, DEMO_USER, startSeededSandboxes } from '../src/demo/sandboxes.js';
import { JDY_ACCOUNT_SETS, JDY_DEMO_LOGIN } from '../src/demo/story.js';

const { values } = parseArgs({
  options: {
    'jdy-port': { type: 'string', default: process.env.JDY_SANDBOX_PORT ?? '7301' },
    'fx-port': { type: 'string', default: process.env.FX_SANDBOX_PORT ?? '7302' },
    'plugin-url': { type: 'string', default: process.env.PLUGIN_URL ?? 'http://127.0.0.1:3000' },
    'no-seed': { type: 'boolean', default: false },
  },
});

const sandboxes = await startSeededSandboxes({
  pluginUrl: values['plugin-url'],
  jdyPort: Number(values['jdy-port']),
  fxPort: Number(values['fx-port']),
  seed: !values['no-seed'],
});

console.log(`
精斗云 sandbox   ${sandboxes.jdy.url}   (control API: ${sandboxes.jdy.url}/__sandbox/…)
纷享销客 sandbox ${sandboxes.fx.url}   (control API: ${sandboxes.fx.url}/__sandbox/…)

Demo Jingdouyun login: ${JDY_DEMO_LOGIN.mobile} / ${JDY_DEMO_LOGIN.password}
  account sets: ${JDY_ACCOUNT_SETS.main.accountName} (authorised), ${JDY_ACCOUNT_SETS.trial.accountName} (not authorised)
SSO into the plugin at ${values['plugin-url']}:
  admin ${DEMO_ADMIN.name}:     ${sandboxes.ssoLink(DEMO_ADMIN.openUserId)}
  non-admin ${DEMO_USER.name}:  ${sandboxes.ssoLink(DEMO_USER.openUserId)}

Ctrl-C to stop.`);

const stop = () => void sandboxes.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
