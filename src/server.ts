import type { Server } from 'node:http';
import path from 'node:path';
import type { AppContext } from './app-context.js';
import type { Config } from './config.js';
import { connectDatabase } from './db/connection.js';
import { startFerretDb, type RunningFerretDb } from './db/ferretdb.js';
import { TenantRepository } from './dal/tenant/tenant.repository.js';
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
  const scheduler = new Scheduler(conn, logger, { pollMs: config.jobPollMs, lockLifetimeMs: config.jobLockLifetimeMs });
  const ctx: AppContext = {
    config,
    logger,
    clock: options.clock ?? systemClock,
    conn,
    scheduler,
    metrics: new Metrics(),
    box,
    repos: { tenants: new TenantRepository(conn, box) },
  };
  await Promise.all(Object.values(conn.models).map((m) => m.init()));
  await scheduler.start();

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
