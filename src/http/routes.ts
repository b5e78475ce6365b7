import { Router } from 'express';
import type { AppContext } from '../app-context.js';
import { getHealthz } from '../controllers/ops/get-healthz.js';
import { getMetrics } from '../controllers/ops/get-metrics.js';

/** Every endpoint of the plugin, one line each; the handlers live one per file in controllers/. */
export function routes(ctx: AppContext): Router {
  const r = Router();
  r.get('/healthz', getHealthz(ctx));
  r.get('/metrics', getMetrics(ctx));
  return r;
}
