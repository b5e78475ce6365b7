import { randomBytes } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Sandbox } from './gateway.js';
import { cmpId, isEntityNumber, SandboxState, type Fault, type Settings } from './state.js';
import { formatDt } from './time.js';
import { applySeed, SeedError } from './seeding.js';
import { renderDetail } from './resources/index.js';
import { inventoryRow } from './resources/inventory.js';
import { deletedRow } from './resources/deleted_log.js';
import type { Ctx } from './resources/common.js';
import { isObject, type Json } from './validate.js';

/** A control-API failure: HTTP 400 (bad body) or 404 (unknown app_key/account_id), §8. */
class ControlError extends Error {
  constructor(
    readonly status: number,
    readonly error: unknown,
  ) {
    super(typeof error === 'string' ? error : 'control error');
  }
}

const bad = (error: string): never => {
  throw new ControlError(400, error);
};

function bodyOf(req: Request): Json {
  const body: unknown = req.body ?? {};
  if (!isObject(body)) return bad('body must be a JSON object');
  return body;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** `/__sandbox/...` (§8): unsigned, not rate-limited, not logged, not faultable. */
export function controlRouter(sb: Sandbox, onChange: () => void): Router {
  const router = express.Router();
  router.use(express.json({ limit: '1gb', strict: false }));
  const handle =
    (fn: (req: Request) => Json, mutates = true) =>
    (req: Request, res: Response): void => {
      try {
        const result = fn(req);
        if (mutates) onChange();
        res.status(200).json({ ok: true, ...result });
      } catch (e) {
        if (e instanceof ControlError) res.status(e.status).json({ ok: false, error: e.error });
        else if (e instanceof SeedError) {
          res
            .status(400)
            .json({ ok: false, error: { index: e.index, errcode: e.errcode, description: e.description } });
        } else throw e;
      }
    };
  const clockBody = (): Json => {
    const now = sb.state.now();
    return { now, time: formatDt(now) };
  };

  router.post(
    '/reset',
    handle(() => {
      sb.state = new SandboxState();
      return {};
    }),
  );
  router.post(
    '/seed',
    handle((req) => ({ ids: applySeed(sb.state, bodyOf(req)) })),
  );
  router.get('/clock', handle(clockBody, false));
  router.post(
    '/clock',
    handle((req) => {
      const body = bodyOf(req);
      const state = sb.state;
      if (body.now !== undefined) {
        if (!isInt(body.now)) bad('now must be an integer (ms)');
        const now = body.now as number;
        if (now < state.now()) bad('the clock never goes back');
        state.clockOffset = now - Date.now();
      } else if (body.advance_ms !== undefined) {
        if (!isInt(body.advance_ms) || (body.advance_ms as number) < 0)
          bad('advance_ms must be an integer ≥ 0');
        state.clockOffset += body.advance_ms as number;
      } else bad('now or advance_ms is required');
      return clockBody();
    }),
  );
  router.get(
    '/settings',
    handle(() => ({ settings: sb.state.settings }), false),
  );
  router.post(
    '/settings',
    handle((req) => {
      const body = bodyOf(req);
      const next: Settings = { ...sb.state.settings };
      for (const [key, value] of Object.entries(body)) {
        if (key === 'rate_limit_enabled' || key === 'privacy_encryption') {
          if (typeof value !== 'boolean') bad(`${key} must be a boolean`);
          next[key] = value as boolean;
        } else if (
          key === 'rate_limit_per_minute' ||
          key === 'app_token_ttl_ms' ||
          key === 'passport_token_ttl_s'
        ) {
          if (!isInt(value) || (value as number) < 1) bad(`${key} must be a positive integer`);
          next[key] = value as number;
        } else bad(`unknown setting ${key}`);
      }
      sb.state.settings = next;
      return { settings: next };
    }),
  );
  router.post(
    '/faults',
    handle((req) => ({ fault_id: addFault(sb.state, bodyOf(req)) })),
  );
  router.get(
    '/faults',
    handle(() => ({ faults: sb.state.faults }), false),
  );
  router.delete(
    '/faults',
    handle(() => {
      sb.state.faults = [];
      return {};
    }),
  );
  router.post(
    '/authorizations/:app_key/rotate_secret',
    handle((req) => {
      const auth = sb.state.authByKey(String(req.params.app_key));
      if (!auth) throw new ControlError(404, `unknown app_key ${String(req.params.app_key)}`);
      const body = bodyOf(req);
      if (body.app_secret !== undefined && (typeof body.app_secret !== 'string' || body.app_secret === '')) {
        bad('app_secret must be a non-empty string');
      }
      auth.app_secret =
        typeof body.app_secret === 'string' ? body.app_secret : randomBytes(16).toString('hex');
      return { app_key: auth.app_key, app_secret: auth.app_secret };
    }),
  );
  router.post(
    '/authorizations/:app_key/status',
    handle((req) => {
      const auth = sb.state.authByKey(String(req.params.app_key));
      if (!auth) throw new ControlError(404, `unknown app_key ${String(req.params.app_key)}`);
      const status = bodyOf(req).status;
      if (status !== '1' && status !== '0') return bad('status must be "1" or "0"');
      auth.status = status;
      if (status === '0') {
        for (const t of sb.state.appTokens.values()) if (t.app_key === auth.app_key) t.revoked = true;
      }
      return {};
    }),
  );
  router.post(
    '/tokens/expire',
    handle((req) => {
      const body = bodyOf(req);
      const kind = body.kind ?? 'all';
      if (kind !== 'app' && kind !== 'passport' && kind !== 'all')
        bad('kind must be "app", "passport" or "all"');
      const accountId = body.account_id;
      if (accountId !== undefined && typeof accountId !== 'string') bad('account_id must be a string');
      const state = sb.state;
      const set = typeof accountId === 'string' ? state.accountSets.get(accountId) : undefined;
      if (typeof accountId === 'string' && !set)
        throw new ControlError(404, `unknown account_id ${accountId}`);
      const now = state.now();
      let expired = 0;
      if (kind !== 'passport') {
        for (const t of state.appTokens.values()) {
          if ((set && t.account_id !== set.account_id) || t.expires <= now) continue;
          t.expires = now;
          expired++;
        }
      }
      if (kind !== 'app') {
        for (const t of state.passportTokens.values()) {
          if ((set && !set.members.includes(t.uid)) || t.expires <= now) continue;
          t.expires = now;
          expired++;
        }
      }
      return { expired };
    }),
  );
  router.get(
    '/records',
    handle((req) => ({ rows: records(sb.state, req) }), false),
  );
  router.get(
    '/calls',
    handle((req) => {
      const since = Number(req.query.since ?? 0);
      const limit = Number(req.query.limit ?? 1000);
      const path = typeof req.query.path === 'string' ? req.query.path : null;
      if (!Number.isFinite(since) || !Number.isSafeInteger(limit) || limit < 1)
        bad('since and limit must be integers');
      const calls = sb.state.calls
        .filter((c) => c.seq > since && (path === null || c.path === path))
        .slice(0, limit);
      return { calls };
    }, false),
  );
  router.delete(
    '/calls',
    handle(() => {
      sb.state.calls = [];
      return {};
    }),
  );
  router.get('/files/:file_id/:filename', (req, res) => {
    const file = sb.state.files.get(String(req.params.file_id));
    if (!file) {
      res.status(404).json({ ok: false, error: 'unknown file' });
      return;
    }
    res
      .status(200)
      .type(file.content_type || 'application/octet-stream')
      .send(file.data);
  });
  router.use((_req: Request, res: Response) => {
    res.status(404).json({ ok: false, error: 'unknown control path' });
  });
  router.use((e: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(e);
    res.status(400).json({ ok: false, error: e instanceof Error ? e.message : 'bad request' });
  });
  return router;
}

const MODES = ['http', 'business', 'delay', 'commit_then_drop'] as const;

function addFault(state: SandboxState, body: Json): string {
  const path = body.path;
  if (typeof path !== 'string' || !path.startsWith('/')) return bad('path must be a path starting with /');
  const method = body.method ?? null;
  if (method !== null && typeof method !== 'string') bad('method must be a string');
  const mode = body.mode;
  const found = MODES.find((m) => m === mode);
  if (!found) return bad(`mode must be one of ${MODES.join(', ')}`);
  const count = body.count ?? 1;
  if (!isInt(count) || count < 1) bad('count must be a positive integer');
  const optInt = (key: string): number | null => {
    const v = body[key];
    if (v === undefined || v === null) return null;
    if (!isInt(v)) return bad(`${key} must be an integer`);
    return v;
  };
  const httpStatus = optInt('http_status');
  const errcode = optInt('errcode');
  const retryAfter = optInt('retry_after_s');
  const delay = optInt('delay_ms');
  const description = body.description ?? null;
  if (description !== null && typeof description !== 'string') bad('description must be a string');
  if (found === 'http' && (httpStatus === null || httpStatus < 400 || httpStatus > 599))
    bad('http_status must be 400–599');
  if (found === 'business' && (errcode === null || errcode === 0))
    bad('errcode is required and must not be 0');
  if (found === 'delay' && delay === null) bad('delay_ms is required');
  if (delay !== null && delay < 0) bad('delay_ms must be ≥ 0');
  const fault: Fault = {
    fault_id: `f${++state.faultSeq}`,
    path,
    method: typeof method === 'string' ? method.toUpperCase() : null,
    mode: found,
    http_status: httpStatus,
    errcode,
    description: description as string | null,
    retry_after_s: retryAfter,
    delay_ms: delay,
    remaining: count as number,
  };
  state.faults.push(fault);
  return fault.fault_id;
}

function records(state: SandboxState, req: Request): unknown[] {
  const accountId = typeof req.query.account_id === 'string' ? req.query.account_id : '';
  const entity = typeof req.query.entity === 'string' ? req.query.entity : '';
  const account = state.accountSets.get(accountId);
  if (!account) throw new ControlError(404, `unknown account_id ${accountId}`);
  const ctx: Ctx = { state, account, books: account.books, now: state.recordNow() };
  if (entity === 'inventory') {
    return [...account.books.inventory.byPair.values()]
      .sort((a, b) => cmpId(a.material_id, b.material_id) || cmpId(a.stock_id, b.stock_id))
      .map((r) => inventoryRow(ctx, r));
  }
  if (entity === 'deleted_log') return account.books.deleted.map(deletedRow);
  if (entity === 'attachment') {
    return [...state.files.values()]
      .filter((f) => f.account_id === accountId)
      .map((f) => ({
        file_id: f.file_id,
        filename: f.filename,
        size: f.size,
        content_type: f.content_type,
        url: `${req.protocol}://${req.get('host')}/__sandbox/files/${f.file_id}/${encodeURIComponent(f.filename)}`,
      }));
  }
  if (!isEntityNumber(entity)) return bad(`unknown entity ${entity}`);
  return [...account.books.storeOf(entity).byId.values()]
    .sort((a, b) => cmpId(a.id, b.id))
    .map((r) => renderDetail(ctx, entity, r));
}
