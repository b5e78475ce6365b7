import type { RequestHandler } from 'express';
import type { AppContext } from '../../app-context.js';
import { csrfTokenOf, signedIn } from '../../http/session.js';

/** GET /api/session — who is signed in, and the CSRF token for state-changing requests. */
export const getSession =
  (ctx: AppContext): RequestHandler =>
  (req, res) => {
    const { session, sessionId } = signedIn(req);
    res.json({
      tenantId: session.tenantId,
      corpId: session.corpId,
      user: { openUserId: session.openUserId, name: session.name, isAdmin: session.isAdmin },
      csrfToken: csrfTokenOf(ctx, sessionId),
    });
  };
