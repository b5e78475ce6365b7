import type { RequestHandler } from 'express';
import type { AppContext } from '../../app-context.js';
import { sessionTenant } from '../../http/session.js';
import { connectionView } from './connection-view.js';

/** GET /api/jdy/connection — none, connected or paused (with why). */
export const getJdyConnection =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    res.json(connectionView(await ctx.repos.connections.get(sessionTenant(req))));
  };
