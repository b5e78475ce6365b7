import axios from 'axios';
import { startJdySandbox, type RunningJdySandbox } from '../../plugins/jingdouyun/sandbox/index.js';
import { demoSeed as jdyDemoSeed } from '../../plugins/jingdouyun/sandbox/seed/demo.js';
import { startFxSandbox, type RunningFxSandbox } from '../fxiaoke/sandbox/index.js';
import { demoSeed as fxDemoSeed } from '../fxiaoke/sandbox/seed/demo.js';
import { FX_TENANTS, PEOPLE } from './story.js';

export interface SeededSandboxes {
  jdy: RunningJdySandbox;
  fx: RunningFxSandbox;
  /** A link that signs a CRM user into the plugin through the CRM sandbox's SSO redirect. */
  ssoLink(openUserId: string, corpId?: string): string;
  close(): Promise<void>;
}

/** The openUserId the CRM demo seed gives the n-th CRM person of the story (1-based). */
export const demoOpenUserId = (n: number, tenant = 1): string =>
  `FSUID_${String(tenant).padStart(2, '0')}${String(n).padStart(30, '0')}`;

/** The first CRM admin of the story and the first non-admin, for demo links and tests. */
export const DEMO_ADMIN = { openUserId: demoOpenUserId(1), name: PEOPLE[0]!.name };
export const DEMO_USER = { openUserId: demoOpenUserId(3), name: PEOPLE[2]!.name };

/** Both sandboxes started on loopback and seeded with the demo story. */
export async function startSeededSandboxes(options: {
  pluginUrl: string;
  jdyPort?: number;
  fxPort?: number;
  seed?: boolean;
}): Promise<SeededSandboxes> {
  const jdy = await startJdySandbox({ port: options.jdyPort ?? 0 });
  const fx = await startFxSandbox({ port: options.fxPort ?? 0 });
  if (options.seed !== false) {
    await axios.post(`${jdy.url}/__sandbox/seed`, jdyDemoSeed());
    await axios.post(`${fx.url}/__sandbox/seed`, fxDemoSeed({ pluginUrl: options.pluginUrl }));
  }
  return {
    jdy,
    fx,
    ssoLink: (openUserId, corpId = FX_TENANTS.main.corpId) =>
      `${fx.url}/__sandbox/sso?corpId=${encodeURIComponent(corpId)}&openUserId=${encodeURIComponent(openUserId)}`,
    close: async () => {
      await Promise.all([jdy.close(), fx.close()]);
    },
  };
}
