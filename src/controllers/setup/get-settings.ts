import type { RequestHandler } from 'express';
import type { AppContext } from '../../app-context.js';
import { sessionTenant } from '../../http/session.js';
import { settingsView } from './settings-view.js';

/** GET /api/settings — default owner, who is notified of failures, and whether orders are audited. */
export const getSettings =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    res.json(settingsView(await ctx.repos.settings.get(sessionTenant(req))));
  };
