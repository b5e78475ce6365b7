import type { Request, Response } from 'express';
import multer from 'multer';
import { signRequest } from '../signing.js';
import { accountGroups, kingdeeAuthToken, passportLogin, pushAppAuthorize } from './auth.js';
import { encryptPersonal } from './privacy.js';
import { Query, type Ctx } from './resources/common.js';
import { BUSINESS_ROUTES } from './resources/index.js';
import { g3Error, g3Ok, gatewayFail, type Reply } from './reply.js';
import { randomToken, type AccountSet, type AppToken, type Fault, type SandboxState } from './state.js';
import { ApiError, isObject } from './validate.js';

const AUTH_ROUTES = new Set([
  'GET /auth/user/access_token',
  'POST /auth/user/access_token',
  'POST /jdy/sys/accountGroup',
  'POST /jdyconnector/app_management/push_app_authorize',
  'GET /jdyconnector/app_management/kingdee_auth_token',
]);

const NONCE_TTL_MS = 300_000;
const MAX_FILE = 10_485_760;
const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_FILE },
  defParamCharset: 'utf8',
}).any();

/** Holds the mutable state (reset swaps nothing but its content) and the pending dropped connections. */
export interface Sandbox {
  state: SandboxState;
  timers: Set<NodeJS.Timeout>;
  /** Called after anything that changed state (snapshots). */
  afterWrite: () => void;
}

/** One request's outcome plus what the call log needs. */
interface Outcome {
  reply: Reply;
  fault: Fault | null;
  drop: boolean;
  body: unknown;
  accountId: string | null;
}

export async function handleApi(sb: Sandbox, req: Request, res: Response): Promise<void> {
  const started = Date.now();
  const at = sb.state.now();
  const url = req.originalUrl;
  const qIndex = url.indexOf('?');
  const rawPath = qIndex < 0 ? url : url.slice(0, qIndex);
  const rawQuery = qIndex < 0 ? '' : url.slice(qIndex + 1);
  const path = safeDecode(rawPath) ?? rawPath;
  const method = req.method.toUpperCase();
  const routeKey = `${method} ${path}`;
  const route = BUSINESS_ROUTES.get(routeKey);
  const isUpload = route?.kind === 'upload';
  const rawBody = isUpload ? null : await readBody(req);
  const pairs = parseQuery(rawQuery);
  const q = new Query(pairs ?? []);
  const out: Outcome = {
    reply: gatewayFail(404, 'API不存在'),
    fault: null,
    drop: false,
    body: logBody(req, rawBody),
    accountId: null,
  };
  try {
    await runChecks(sb, req, res, { path, method, routeKey, rawBody, pairs, q }, out);
  } catch (e) {
    out.reply = e instanceof ApiError ? g3Error(e) : gatewayFail(500, '服务异常');
  }
  const { reply } = out;
  const state = sb.state;
  if (method === 'POST' || path.startsWith('/jdyconnector/') || path === '/auth/user/access_token')
    sb.afterWrite();
  state.logCall({
    at,
    method,
    path,
    query: mask(q.dict()) as Record<string, string[]>,
    headers: lowerHeaders(req),
    body: mask(out.body),
    status: reply.status,
    errcode: errcodeOf(reply.body),
    account_id: out.accountId ?? reply.accountId ?? null,
    fault_id: out.fault?.fault_id ?? null,
    duration_ms: Date.now() - started,
  });
  if (out.drop) {
    const delay = out.fault?.delay_ms ?? 60_000;
    const timer = setTimeout(() => {
      sb.timers.delete(timer);
      req.socket.destroy();
    }, delay);
    sb.timers.add(timer);
    return;
  }
  res.status(reply.status);
  for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.send(JSON.stringify(reply.body));
}

interface Incoming {
  path: string;
  method: string;
  routeKey: string;
  rawBody: Buffer | null;
  pairs: [string, string][] | null;
  q: Query;
}

/** §2.8 checks in order; sets `out.reply`. */
async function runChecks(
  sb: Sandbox,
  req: Request,
  res: Response,
  inc: Incoming,
  out: Outcome,
): Promise<void> {
  const { path, method, routeKey, q } = inc;
  const route = BUSINESS_ROUTES.get(routeKey);
  // 1. unknown method + path
  if (!route && !AUTH_ROUTES.has(routeKey)) return;
  // 2. injected fault
  const fault = takeFault(sb.state, path, method);
  if (fault) {
    out.fault = fault;
    if (fault.mode === 'http') {
      const headers =
        fault.retry_after_s !== null ? { 'Retry-After': String(fault.retry_after_s) } : undefined;
      out.reply = {
        status: fault.http_status!,
        body: {
          errcode: fault.errcode ?? fault.http_status,
          description: fault.description ?? '注入故障',
          data: null,
        },
        ...(headers ? { headers } : {}),
      };
      return;
    }
    if (fault.mode === 'business') {
      out.reply = {
        status: 200,
        body: { errcode: fault.errcode, description: fault.description ?? '注入故障', data: null },
      };
      return;
    }
    if (fault.mode === 'delay') await new Promise((r) => setTimeout(r, fault.delay_ms ?? 0));
    else out.drop = true;
  }
  // Re-read state: a delay may have spanned a reset.
  const state = sb.state;
  // 3. passport login and accountGroup are not signed
  if (path === '/auth/user/access_token') {
    const form = method === 'POST' && inc.rawBody ? new URLSearchParams(inc.rawBody.toString('utf8')) : null;
    out.reply = passportLogin(state, q, form);
    return;
  }
  if (path === '/jdy/sys/accountGroup') {
    out.reply = accountGroups(state, q);
    return;
  }
  // 4–7. signature
  const clientId = checkSignature(state, req, inc, out);
  if (clientId === null) return;
  // 8. connector paths
  if (path === '/jdyconnector/app_management/push_app_authorize') {
    out.reply = pushAppAuthorize(state, clientId, q);
    return;
  }
  if (path === '/jdyconnector/app_management/kingdee_auth_token') {
    out.reply = kingdeeAuthToken(state, clientId, q);
    return;
  }
  // 9. app-token
  const token = appToken(state, req.get('app-token'), clientId);
  if (!token) {
    out.reply = gatewayFail(401, 'token无效');
    return;
  }
  const account = state.accountSets.get(token.account_id)!;
  out.accountId = account.account_id;
  // 10. router address
  const router = req.get('X-GW-Router-Addr');
  if (router === undefined || stripSlash(router) !== stripSlash(account.domain)) {
    out.reply = gatewayFail(404, 'No Route');
    return;
  }
  // 11. rate limit
  const retryAfter = rateLimit(state, account);
  if (retryAfter !== null) {
    out.reply = gatewayFail(429, '请求过于频繁', { 'Retry-After': String(retryAfter) });
    return;
  }
  const ctx: Ctx = { state, account, books: account.books, now: state.recordNow() };
  if (!route) return;
  if (route.kind === 'upload') {
    out.reply = await handleUpload(sb, req, res, ctx, out);
    return;
  }
  if (route.kind === 'read') {
    out.reply = privacy(state, clientId, g3Ok(route.run(ctx, q)));
    return;
  }
  // 12. JSON body
  const body = parseJsonObject(inc.rawBody);
  if (!body) {
    out.reply = gatewayFail(400, '请求体不是合法JSON');
    return;
  }
  out.reply = privacy(state, clientId, g3Ok(state.atomic(() => route.run(ctx, body))));
}

function checkSignature(state: SandboxState, req: Request, inc: Incoming, out: Outcome): string | null {
  const clientId = req.get('X-Api-ClientID');
  const version = req.get('X-Api-Auth-Version');
  const timestamp = req.get('X-Api-TimeStamp');
  const nonce = req.get('X-Api-Nonce');
  const signHeaders = req.get('X-Api-SignHeaders');
  const signature = req.get('X-Api-Signature');
  const wellFormed =
    !!clientId &&
    version === '2.0' &&
    timestamp !== undefined &&
    /^\d{13}$/.test(timestamp) &&
    nonce !== undefined &&
    /^[0-9A-Za-z]{1,64}$/.test(nonce) &&
    signHeaders !== undefined &&
    signHeaders.replace(/\s+/g, '').toLowerCase() === 'x-api-timestamp,x-api-nonce' &&
    !!signature;
  if (!wellFormed) {
    out.reply = gatewayFail(400, '签名参数缺失或格式错误');
    return null;
  }
  const realNow = Date.now();
  if (Math.abs(realNow - Number(timestamp)) > NONCE_TTL_MS) {
    out.reply = gatewayFail(400, '时间戳已过期');
    return null;
  }
  const app = state.apps.get(clientId);
  const expected =
    app && inc.pairs
      ? signRequest(app.client_secret, inc.method, inc.path, inc.pairs, nonce, timestamp)
      : null;
  if (expected === null || expected !== signature) {
    out.reply = gatewayFail(519, '签名校验失败');
    return null;
  }
  for (const [key, seen] of state.nonces) {
    if (realNow - seen <= NONCE_TTL_MS) break;
    state.nonces.delete(key);
  }
  const nonceKey = `${clientId}\n${nonce}\n${timestamp}`;
  if (state.nonces.has(nonceKey)) {
    out.reply = gatewayFail(400, '请求重复');
    return null;
  }
  state.nonces.set(nonceKey, realNow);
  return clientId;
}

function appToken(state: SandboxState, value: string | undefined, clientId: string): AppToken | null {
  const token = value ? state.appTokens.get(value) : undefined;
  if (!token || token.revoked || token.client_id !== clientId || state.now() >= token.expires) return null;
  return token;
}

/** §3.4: sliding 60 s window on the virtual clock; returns Retry-After seconds when refused. */
function rateLimit(state: SandboxState, account: AccountSet): number | null {
  if (!state.settings.rate_limit_enabled) return null;
  const now = state.now();
  const books = account.books;
  let drop = 0;
  while (drop < books.rate.length && books.rate[drop]! <= now - 60_000) drop++;
  if (drop > 0) books.rate = books.rate.slice(drop);
  if (books.rate.length >= state.settings.rate_limit_per_minute) {
    const oldest = books.rate[0] ?? now;
    return Math.max(1, Math.ceil((oldest + 60_000 - now) / 1000));
  }
  books.rate.push(now);
  return null;
}

function takeFault(state: SandboxState, path: string, method: string): Fault | null {
  const fault = state.faults.find((f) => f.path === path && (f.method === null || f.method === method));
  if (!fault) return null;
  fault.remaining -= 1;
  if (fault.remaining <= 0) state.faults = state.faults.filter((f) => f !== fault);
  return fault;
}

function privacy(state: SandboxState, clientId: string, reply: Reply): Reply {
  if (!state.settings.privacy_encryption) return reply;
  const secret = state.apps.get(clientId)!.client_secret;
  return { ...reply, body: encryptPersonal(reply.body, secret) };
}

/** §7: multipart with one `file1` part, at most 10 MB; this endpoint's own envelope. */
async function handleUpload(
  sb: Sandbox,
  req: Request,
  res: Response,
  ctx: Ctx,
  out: Outcome,
): Promise<Reply> {
  const failure = (errorCode: string, message: string): Reply => ({
    status: 200,
    body: { success: false, errorCode, message, data: null },
  });
  const error = await new Promise<unknown>((resolve) => upload(req, res, (e: unknown) => resolve(e)));
  const files = Array.isArray(req.files) ? req.files : [];
  const file = files.find((f) => f.fieldname === 'file1');
  if (error instanceof multer.MulterError && error.code === 'LIMIT_FILE_SIZE') {
    out.body = { file1: { filename: null, size: null } };
    return failure('1030002005', '文件大小超出限制，最大10MB');
  }
  if (error) {
    out.body = null;
    return failure('1030002000', 'file1不能为空');
  }
  if (!file) {
    out.body = null;
    return failure('1030002000', 'file1不能为空');
  }
  out.body = { file1: { filename: file.originalname, size: file.size } };
  const fileId = randomToken(12);
  sb.state.files.set(fileId, {
    file_id: fileId,
    account_id: ctx.account.account_id,
    filename: file.originalname,
    size: file.size,
    content_type: file.mimetype,
    data: file.buffer,
  });
  const url = `${req.protocol}://${req.get('host')}/__sandbox/files/${fileId}/${encodeURIComponent(file.originalname)}`;
  return { status: 200, body: { success: true, errorCode: 'success', message: '', data: { file1: url } } };
}

function readBody(req: Request): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/** Percent-decodes the raw query (`+` is a space, §2.7); null when it cannot be decoded. */
function parseQuery(raw: string): [string, string][] | null {
  const pairs: [string, string][] = [];
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = safeDecode((eq < 0 ? part : part.slice(0, eq)).replace(/\+/g, ' '));
    const value = safeDecode((eq < 0 ? '' : part.slice(eq + 1)).replace(/\+/g, ' '));
    if (key === null || value === null) return null;
    pairs.push([key, value]);
  }
  return pairs;
}

function parseJsonObject(raw: Buffer | null): Record<string, unknown> | null {
  if (!raw) return null;
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    return isObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

function logBody(req: Request, raw: Buffer | null): unknown {
  if (!raw || raw.length === 0) return null;
  const text = raw.toString('utf8');
  if ((req.get('content-type') ?? '').includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const SECRET_KEYS = new Set(['password', 'client_secret', 'appSecret']);

function mask(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(mask);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEYS.has(k) ? (Array.isArray(v) ? v.map(() => '***') : '***') : mask(v);
  }
  return out;
}

function lowerHeaders(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function errcodeOf(body: unknown): number | string | null {
  if (!isObject(body)) return null;
  const code = body.errcode ?? body.errorCode;
  return typeof code === 'number' || typeof code === 'string' ? code : null;
}

const stripSlash = (s: string): string => (s.endsWith('/') ? s.slice(0, -1) : s);
