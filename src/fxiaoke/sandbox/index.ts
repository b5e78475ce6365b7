/** The Fxiaoke CRM sandbox: a strict fake of the open platform (contract: shared/specs/fxiaoke-api.md). */
import express, { type Express } from 'express';
import type { AddressInfo } from 'node:net';
import { controlRouter } from './control.js';
import { EventBus } from './events.js';
import { apiHandler } from './server.js';
import { SandboxState } from './state.js';

export type { FxSeedBody } from './seed/demo.js';

export interface FxSandboxOptions {
  /** 0 = a random free port. */
  port?: number;
  /** Default 127.0.0.1: the control API has no auth. */
  host?: string;
}

export interface RunningFxSandbox {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** A fresh sandbox with its own state. */
export function createFxSandboxApp(): Express {
  const st = new SandboxState();
  const bus = new EventBus(st);
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use('/__sandbox', controlRouter(st, bus));
  const api = apiHandler(st, bus);
  app.use((req, res, next) => {
    api(req, res).catch(next);
  });
  return app;
}

export async function startFxSandbox(options: FxSandboxOptions = {}): Promise<RunningFxSandbox> {
  const app = createFxSandboxApp();
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<import('node:http').Server>((resolve, reject) => {
    const s = app.listen(options.port ?? 0, host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
