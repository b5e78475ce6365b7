import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Sandbox } from './gateway.js';
import { createApp, SANDBOX_KEY } from './server.js';

export type { SeedBody } from './seed/types.js';

export interface JdySandboxOptions {
  /** 0 = random. */
  port?: number;
  /** Default 127.0.0.1: the sandbox binds to loopback (§8). */
  host?: string;
  snapshotFile?: string;
}

export interface RunningJdySandbox {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function createJdySandboxApp(options: { snapshotFile?: string } = {}): Express {
  return createApp(options);
}

export async function startJdySandbox(options: JdySandboxOptions = {}): Promise<RunningJdySandbox> {
  const host = options.host ?? '127.0.0.1';
  const app = createApp(options.snapshotFile ? { snapshotFile: options.snapshotFile } : {});
  const sb = app.locals[SANDBOX_KEY] as Sandbox;
  const server = await new Promise<import('node:http').Server>((resolve, reject) => {
    const s = app.listen(options.port ?? 0, host, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const t of sb.timers) clearTimeout(t);
        sb.timers.clear();
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}
