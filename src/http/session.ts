import { createHmac, randomBytes } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { AppContext } from '../app-context.js';
import { asTenantId, type TenantId } from '../db/base-repository.js';
import type { SessionEntity } from '../dal/session/session.entity.js';
import { safeEqual } from '../fxiaoke/crypto.js';
import { forbidden, notFound, unauthorized } from './api-error.js';

/**
 * The plugin's own sessions (after CRM single sign-on, plugin-api.md). The cookie holds a random
 * id; the database holds its hash. The CSRF token is an HMAC of the id under SECRET_KEY, so it is
 * stable for the session, different for every session, and never stored.
 */
export const SESSION_COOKIE = 'jfx_sid';
export const CSRF_HEADER = 'x-csrf-token';

export interface SignedIn {
  session: SessionEntity;
  sessionId: string;
  tenantId: TenantId;
}

const signedInOf = new WeakMap<Request, SignedIn>();

export const newSessionId = (): string => randomBytes(32).toString('base64url');

export const csrfTokenOf = (ctx: AppContext, sessionId: string): string =>
  createHmac('sha256', ctx.config.secretKey).update(`csrf:${sessionId}`).digest('base64url');

export function sessionCookieOf(req: Request): string | undefined {
  const cookies = req.cookies as Record<string, unknown> | undefined;
  const value = cookies?.[SESSION_COOKIE];
  return typeof value === 'string' && value.length > 0 && value.length <= 128 ? value : undefined;
}

export function setSessionCookie(ctx: AppContext, res: Response, sessionId: string): void {
  res.cookie(SESSION_COOKIE, sessionId, {
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.config.publicUrl.startsWith('https:'),
    maxAge: ctx.config.sessionTtlMinutes * 60_000,
    path: '/',
  });
}

export function clearSessionCookie(ctx: AppContext, res: Response): void {
  res.clearCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.config.publicUrl.startsWith('https:'),
    path: '/',
  });
}

/** Attaches the live session of the cookie, if any; never refuses (requireSession does). */
export const loadSession =
  (ctx: AppContext): RequestHandler =>
  async (req, _res, next) => {
    const sessionId = sessionCookieOf(req);
    if (sessionId) {
      const session = await ctx.repos.sessions.findLive(sessionId, new Date(ctx.clock.now()));
      if (session) signedInOf.set(req, { session, sessionId, tenantId: asTenantId(session.tenantId) });
    }
    next();
  };

/** The signed-in person of this request; only call behind requireSession. */
export function signedIn(req: Request): SignedIn {
  const s = signedInOf.get(req);
  if (!s) throw unauthorized();
  return s;
}

/** The only tenant this request may see: every repository call of a session uses it. */
export const sessionTenant = (req: Request): TenantId => signedIn(req).tenantId;

/** 401 without a live session. */
export const requireSession: RequestHandler = (req, _res, next) => {
  if (!signedInOf.has(req)) throw unauthorized();
  next();
};

/** 403 for a session of someone who was not a CRM administrator at sign-in. */
export const requireAdmin: RequestHandler = (req, _res, next) => {
  if (!signedIn(req).session.isAdmin) throw forbidden('admin_required', '只有 CRM 管理员可以进行此操作');
  next();
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Every state-changing request of a session carries its CSRF token in `x-csrf-token` (403 otherwise). */
export const csrfGuard =
  (ctx: AppContext): RequestHandler =>
  (req, _res, next) => {
    const s = signedInOf.get(req);
    if (!s || SAFE_METHODS.has(req.method)) return next();
    const sent = req.get(CSRF_HEADER) ?? '';
    if (!safeEqual(sent, csrfTokenOf(ctx, s.sessionId)))
      throw forbidden('csrf_failed', '页面已过期，请刷新后重试');
    next();
  };

/**
 * A route naming a tenant (`:tenantId`) answers 404 for any tenant but the session's own, so an id
 * of another tenant is indistinguishable from one that does not exist.
 */
export const tenantGuard: RequestHandler = (req, _res, next) => {
  const named = req.params.tenantId;
  if (named !== undefined && named !== sessionTenant(req)) throw notFound();
  next();
};
