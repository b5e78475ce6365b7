import type {
  ErpConnection,
  ErpEmployee,
  ErpLogin,
  ErpPlugin,
  SecretsChanged,
} from '../../src/erp/plugin.js';
import type { Clock } from '../../src/lib/clock.js';
import {
  JdyClient,
  JdyTransport,
  MOBILE_RE,
  connectAccountSet,
  login,
  type JdyConnection,
  type JdyPassportLogin,
  type JdyTokenStore,
} from './client/index.js';
import { jdySyncAdapter } from './sync/adapter.js';
import { baseUnitMemo } from './sync/writers.js';

export interface JingdouyunPluginConfig {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  rateLimitPerMinute: number;
  /** Per call (default 30 s). */
  timeoutMs?: number;
}

/**
 * The Jingdouyun ERP plugin: the client of plugins/jingdouyun/client behind the host's ErpPlugin
 * interface. One transport per process, so the per-account-set rate limit and token cache are
 * shared by every caller.
 */
export function jingdouyunPlugin(
  config: JingdouyunPluginConfig,
  tokenStore: JdyTokenStore,
  onSecretsChanged: SecretsChanged,
  clock?: Clock,
): ErpPlugin & { clientFor(connection: ErpConnection): JdyClient } {
  const transport = new JdyTransport(
    {
      baseUrl: config.baseUrl,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      timeoutMs: config.timeoutMs,
    },
    {
      tokenStore,
      ...(clock ? { clock } : {}),
      rateLimitPerMinute: config.rateLimitPerMinute,
      onConnectionChange: (changed) => onSecretsChanged(changed.accountId, JSON.stringify(changed)),
    },
  );
  const clientFor = (connection: ErpConnection): JdyClient =>
    new JdyClient(transport.session(JSON.parse(connection.secrets) as JdyConnection));
  const baseUnits = baseUnitMemo(transport.clock);
  return {
    id: 'jingdouyun',
    displayName: '金蝶精斗云',
    clientFor,
    sync: (connection) => jdySyncAdapter(clientFor(connection), baseUnits),
    connector: {
      checkLogin: (value) => (MOBILE_RE.test(value.trim()) ? null : '精斗云账号必须是11位大陆手机号'),
      async login(mobile, password): Promise<ErpLogin> {
        const passport = await login(transport, mobile, password);
        const authorised = new Set(
          (await transport.pushAppAuthorize())
            .filter((row) => row.status === '1')
            .map((row) => row.accountId),
        );
        return {
          accountSets: passport.accountSets.map((s) => ({
            accountId: s.accountId,
            accountName: s.accountName,
            groupName: s.groupName,
            serviceId: s.serviceId,
            enabled: s.enabled,
            authorised: authorised.has(s.accountId),
          })),
          state: JSON.stringify(passport),
        };
      },
      async connect(erpLogin, accountId): Promise<ErpConnection> {
        const passport = JSON.parse(erpLogin.state) as JdyPassportLogin;
        const conn = await connectAccountSet(transport, passport, accountId);
        const set = passport.accountSets.find((s) => s.accountId === accountId);
        return { accountId, accountName: set?.accountName ?? accountId, secrets: JSON.stringify(conn) };
      },
      async *employees(connection): AsyncIterable<ErpEmployee> {
        for await (const e of clientFor(connection).employees.list({ enable: '-1' })) {
          yield { id: e.id, number: e.number, name: e.name, mobile: e.mobile, enabled: e.enable === '1' };
        }
      },
    },
  };
}
