import express, { type Express } from 'express';
import { controlRouter } from './control.js';
import { handleApi, type Sandbox } from './gateway.js';
import { loadSnapshot, saveSnapshot } from './snapshot.js';
import { SandboxState } from './state.js';

export const SANDBOX_KEY = 'jdySandbox';

/** Express app: `/__sandbox` control routes, everything else through the gateway (§2.8). */
export function createApp(options: { snapshotFile?: string } = {}): Express {
  const sb: Sandbox = { state: new SandboxState(), timers: new Set(), afterWrite: () => undefined };
  if (options.snapshotFile) {
    const file = options.snapshotFile;
    loadSnapshot(sb, file);
    sb.afterWrite = () => saveSnapshot(sb.state, file);
  }
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.locals[SANDBOX_KEY] = sb;
  app.use(
    '/__sandbox',
    controlRouter(sb, () => sb.afterWrite()),
  );
  app.use((req, res, next) => {
    handleApi(sb, req, res).catch(next);
  });
  return app;
}
