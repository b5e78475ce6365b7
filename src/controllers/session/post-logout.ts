import type { RequestHandler } from 'express';
import type { AppContext } from '../../app-context.js';
import { clearSessionCookie, signedIn } from '../../http/session.js';

/** POST /api/logout — ends the session (CSRF-checked like every state-changing request). */
export const postLogout =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    await ctx.repos.sessions.remove(signedIn(req).sessionId);
    clearSessionCookie(ctx, res);
    res.status(204).end();
  };
