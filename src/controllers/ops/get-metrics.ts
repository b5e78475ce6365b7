import type { RequestHandler } from 'express';
import type { AppContext } from '../../app-context.js';

/** GET /metrics — Prometheus text. */
export const getMetrics =
  (ctx: AppContext): RequestHandler =>
  async (_req, res) => {
    res.setHeader('content-type', ctx.metrics.registry.contentType);
    res.send(await ctx.metrics.registry.metrics());
  };
