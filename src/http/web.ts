import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type Response } from 'express';

/**
 * The plugin pages: static files of src/web/ (plain ES modules, no build step) served at /app/.
 * Everything is revalidated on each load (no hashed file names), and every response carries a
 * strict Content-Security-Policy that still lets the CRM frame the pages (frame-ancestors, not
 * X-Frame-Options). Paths that are not files (e.g. /app/entry, the SSO entry) fall through.
 */
export interface WebOptions {
  /** Allow any page to frame the plugin (development: the CRM sandbox runs on localhost). */
  frameAnyOrigin: boolean;
  /** The folder with index.html; defaults to src/web/ (also found from dist/src/http/). */
  root?: string;
}

/** The CRM origins allowed to frame the pages in production. */
export const CRM_FRAME_ORIGINS = ['https://*.fxiaoke.com'] as const;

export function webRoot(): string {
  const candidates = ['../web/', '../../../src/web/'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  return candidates.find((dir) => existsSync(path.join(dir, 'index.html'))) ?? candidates[0]!;
}

export function contentSecurityPolicy(frameAnyOrigin: boolean): string {
  const ancestors = ["'self'", ...CRM_FRAME_ORIGINS, ...(frameAnyOrigin ? ['*'] : [])].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${ancestors}`,
  ].join('; ');
}

export function webRouter(options: WebOptions): Router {
  const root = options.root ?? webRoot();
  const csp = contentSecurityPolicy(options.frameAnyOrigin);
  const secure = (res: Response): void => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-cache');
  };

  const r = Router();
  // /app → /app/ so the relative asset paths of index.html resolve under /app/.
  r.get('/', (req, res, next) => {
    if (!req.originalUrl.split('?')[0]!.endsWith('/')) return res.redirect(301, `${req.baseUrl}/`);
    secure(res);
    res.sendFile(path.join(root, 'index.html'), (error) => error && next(error));
  });
  r.use(
    express.static(root, {
      index: false,
      redirect: false,
      dotfiles: 'ignore',
      fallthrough: true,
      setHeaders: (res) => secure(res),
    }),
  );
  return r;
}
