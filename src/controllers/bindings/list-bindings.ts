import type { RequestHandler } from 'express';
import type { AppContext } from '../../app-context.js';
import { sessionTenant } from '../../http/session.js';
import { bindingView } from './binding-view.js';

/** GET /api/bindings — every known JDY employee of the tenant and the CRM user bound to it, if any. */
export const listBindings =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    res.json((await ctx.repos.bindings.list(sessionTenant(req))).map(bindingView));
  };
