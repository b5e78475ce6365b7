import type { Server } from 'node:http';
import path from 'node:path';
import type { AppContext } from './app-context.js';
import type { Config } from './config.js';
import { connectDatabase } from './db/connection.js';
import { startFerretDb, type RunningFerretDb } from './db/ferretdb.js';
import { TenantRepository } from './dal/tenant/tenant.repository.js';
import { TokenRepository } from './dal/token/token.repository.js';
import { SessionRepository } from './dal/session/session.repository.js';
import { CrmEventRepository } from './dal/crm-event/crm-event.repository.js';
import { CrmWritebackRepository } from './dal/crm-writeback/crm-writeback.repository.js';
import { FxCrm, FxTransport } from './fxiaoke/client/index.js';
import { ConnectionRepository } from './dal/connection/connection.repository.js';
import { SettingsRepository } from './dal/settings/settings.repository.js';
import { BindingRepository } from './dal/binding/binding.repository.js';
import { MappingRepository } from './dal/mapping/mapping.repository.js';
import { SyncRecordRepository } from './dal/sync-record/sync-record.repository.js';
import { SyncRunRepository } from './dal/sync-run/sync-run.repository.js';
import { CheckpointRepository } from './dal/checkpoint/checkpoint.repository.js';
import { LockRepository } from './dal/lock/lock.repository.js';
import { ErpLoginRepository } from './dal/erp-login/erp-login.repository.js';
import { DbJdyTokenStore } from './dal/token/jdy-token-store.js';
import { loadErpPlugin } from './erp/registry.js';
import { SetupService } from './setup/service.js';
import { SyncService } from './sync/service.js';
import { ModuleRegistry } from './sync/registry.js';
import { SYNC_MODULES } from './sync/objects/index.js';
import { defineJobs, scheduleRecurringJobs } from './jobs/definitions.js';
import { queueCrmEvents } from './jobs/handlers/crm-events.js';
import { TenantKicker } from './jobs/tenant-kicker.js';
import { createApp } from './http/app.js';
import { Scheduler } from './jobs/scheduler.js';
import { systemClock, type Clock } from './lib/clock.js';
import { createLogger, type Logger } from './lib/logger.js';
import { Metrics } from './lib/metrics.js';
import { SecretBox } from './lib/secret-box.js';

export interface RunningPlugin {
  ctx: AppContext;
  url: string;
  server: Server;
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  logger?: Logger;
  /** Start the HTTP server (default) — workers in tests may run the scheduler only. */
  http?: boolean;
}

/** A tenant's sync lease: renewed by every page, so only a crashed holder lets it lapse. */
const SYNC_LEASE_MS = 2 * 60_000;
/** Records written side by side within a page (both APIs allow it; their limiters pace the rest). */
const SYNC_CONCURRENCY = 8;

/** The composition root: config → database → repositories → scheduler → HTTP. */
export async function startPlugin(config: Config, options: StartOptions = {}): Promise<RunningPlugin> {
  const logger = options.logger ?? createLogger(config.logLevel);
  let embedded: RunningFerretDb | null = null;
  let uri = config.mongodbUri;
  if (!uri) {
    embedded = await startFerretDb({ dataDir: path.join(config.dataDir, 'db') });
    uri = `${embedded.uri}jdy_connector`;
    logger.info({ port: embedded.port }, 'embedded FerretDB started');
  }
  const conn = await connectDatabase(uri, logger);
  const box = new SecretBox(config.secretKey);
  const scheduler = new Scheduler(conn, logger, {
    pollMs: config.jobPollMs,
    lockLifetimeMs: config.jobLockLifetimeMs,
  });
  const clock = options.clock ?? systemClock;
  const metrics = new Metrics();
  const tenants = new TenantRepository(conn, box);
  const tokens = new TokenRepository(conn, box);
  const fxTransport = new FxTransport(config.fx, { tokens, clock, logger, metrics });
  const fx = new FxCrm(fxTransport, tenants);
  const repos = {
    tenants,
    tokens,
    sessions: new SessionRepository(conn),
    crmEvents: new CrmEventRepository(conn),
    crmWritebacks: new CrmWritebackRepository(conn),
    connections: new ConnectionRepository(conn, box),
    settings: new SettingsRepository(conn),
    bindings: new BindingRepository(conn),
    mappings: new MappingRepository(conn),
    syncRecords: new SyncRecordRepository(conn),
    runs: new SyncRunRepository(conn),
    checkpoints: new CheckpointRepository(conn),
    locks: new LockRepository(conn),
    erpLogins: new ErpLoginRepository(conn, box),
  };
  const erp = loadErpPlugin(config, {
    jdyTokens: new DbJdyTokenStore(tokens, () => clock.now()),
    clock,
    onSecretsChanged: (accountId, secrets) =>
      repos.connections.updateSecrets(erp.id, accountId, secrets, new Date(clock.now())),
  });
  const crmFor = fx.client.bind(fx);
  const sync = new SyncService({
    clock,
    logger,
    scheduler,
    modules: new ModuleRegistry(SYNC_MODULES),
    erp,
    crmFor,
    message: async (tenant, userIds, text) => {
      await fx.client(tenant, userIds[0] ?? '').files.sendText(userIds, text);
    },
    repos,
    // No longer than a job lock: a crashed holder's run is taken over once its job lock expires.
    leaseMs: Math.min(SYNC_LEASE_MS, config.jobLockLifetimeMs),
    concurrency: SYNC_CONCURRENCY,
  });
  const setup = new SetupService({
    clock,
    tenants,
    connections: repos.connections,
    settings: repos.settings,
    crmFor,
  });
  const ctx: AppContext = {
    config,
    logger,
    clock,
    conn,
    scheduler,
    crmEventKicker: new TenantKicker(
      (tenantId) => queueCrmEvents(scheduler, tenantId),
      (tenantId, error) =>
        logger.warn({ tenantId, err: String(error) }, 'event job not queued; the cleanup job will'),
    ),
    metrics,
    box,
    fx,
    erp,
    sync,
    setup,
    repos,
  };
  await Promise.all(Object.values(conn.models).map((m) => m.init()));
  defineJobs(ctx);
  sync.defineJobs();
  await scheduler.start();
  await scheduleRecurringJobs(ctx);
  await sync.scheduleGlobalJobs();
  await sync.reconcile();

  const app = createApp(ctx);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(options.http === false ? 0 : config.port, config.host, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host}:${port}`;
  logger.info({ url }, 'plugin listening');

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await scheduler.stop();
      await conn.close();
      await embedded?.stop();
    })());
  return { ctx, url, server, stop };
}
