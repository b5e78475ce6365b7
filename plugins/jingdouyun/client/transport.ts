import axios, { isAxiosError, type AxiosInstance } from 'axios';
import FormData from 'form-data';
import { randomInt } from 'node:crypto';
import { systemClock, type Clock } from '../../../src/lib/clock.js';
import { IntegrationError, type ErrorClass } from '../../../src/lib/errors.js';
import { SlidingWindowLimiter } from '../../../src/lib/rate-limit.js';
import { parseRetryAfter, withRetry } from '../../../src/lib/retry.js';
import { TokenStrikes } from '../../../src/lib/token-strikes.js';
import { appSignature, signRequest, wireQuery, type QueryPairs } from '../signing.js';
import {
  BAD_FORMAT,
  CREDENTIALS_WRONG,
  NOT_AUTHORISED,
  NOT_AUTHORISED_TEXT,
  SERVICE_EXCEPTION,
  isJdyCode,
  jdyError,
} from './errors.js';
import { isRecord, type Json } from './parse.js';
import { decryptPersonalFields } from './privacy.js';

/** Operator configuration of the plugin's ISV app (contract §2.1). */
export interface JdyClientConfig {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
  uploadTimeoutMs?: number;
}

/** One authorised account set, from its push_app_authorize row; stored encrypted by the caller. */
export interface JdyConnection {
  accountId: string;
  appKey: string;
  appSecret: string;
  domain: string;
  groupName: string;
}

export interface JdyToken {
  token: string;
  /** Epoch ms of expiry. */
  expiresAt: number;
}

/** Where app-tokens live; a database-backed store lets every worker share one token per account set. */
export interface JdyTokenStore {
  get(accountId: string): Promise<JdyToken | undefined>;
  set(accountId: string, token: JdyToken): Promise<void>;
  /** Drops the cached token only if it is still `token` (another worker may have refreshed it). */
  clearIf(accountId: string, token: string): Promise<void>;
}

export class MemoryTokenStore implements JdyTokenStore {
  private readonly tokens = new Map<string, JdyToken>();
  async get(accountId: string): Promise<JdyToken | undefined> {
    return this.tokens.get(accountId);
  }
  async set(accountId: string, token: JdyToken): Promise<void> {
    this.tokens.set(accountId, token);
  }
  async clearIf(accountId: string, token: string): Promise<void> {
    if (this.tokens.get(accountId)?.token === token) this.tokens.delete(accountId);
  }
}

/** Called after a secret rotation (§2.9) so the caller persists the new appSecret/domain/groupName. */
export type ConnectionChangeHandler = (conn: JdyConnection) => Promise<void> | void;

/** A push_app_authorize row (§2.4). */
export interface JdyAuthorizationRow {
  appKey: string;
  appSecret: string;
  accountId: string;
  accountName: string;
  agreementCompanyName: string;
  serviceId: string;
  outerInstanceId: string;
  domain: string;
  groupName: string;
  status: string;
}

export type QueryValue = string | number | boolean | ReadonlyArray<string | number> | null | undefined;
export type JdyQuery = Readonly<Record<string, QueryValue>>;

export interface JdyTransportOptions {
  http?: AxiosInstance;
  clock?: Clock;
  /** Shared per process by default, keyed by accountId. */
  limiter?: SlidingWindowLimiter;
  /** Only used when no limiter is injected. */
  rateLimitPerMinute?: number;
  tokenStore?: JdyTokenStore;
  onConnectionChange?: ConnectionChangeHandler;
  /** Jitter source for backoff. */
  random?: () => number;
  /** X-Api-TimeStamp source: the gateway checks it against real time, whatever clock drives the logic. */
  wallClock?: () => number;
}

/** A little under the documented 500 calls per minute per account set (§3.4). */
export const DEFAULT_RATE_PER_MINUTE = 480;
export const RATE_WINDOW_MS = 60_000;
export const MAX_UPLOAD_BYTES = 10_485_760;
const REFRESH_MARGIN_MS = 3_600_000;
const TOKEN_TTL_FALLBACK_MS = 86_400_000;
const READ_ATTEMPTS = 4; // the first try plus three retries at ~1 s, 2 s, 4 s (§9.6)
const MAX_THROTTLED_REPEATS = 8;

const sharedLimiters = new Map<number, SlidingWindowLimiter>();

/** One limiter per process (per limit value), so every session of an account set shares its budget. */
export function sharedJdyLimiter(perMinute = DEFAULT_RATE_PER_MINUTE): SlidingWindowLimiter {
  let limiter = sharedLimiters.get(perMinute);
  if (!limiter) {
    limiter = new SlidingWindowLimiter({ limit: perMinute, windowMs: RATE_WINDOW_MS });
    sharedLimiters.set(perMinute, limiter);
  }
  return limiter;
}

/** Array parameters go out as repeated keys (§4.1); empty values are left out. */
export function toQueryPairs(query: JdyQuery = {}): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const v of value) pairs.push([key, String(v)]);
    else pairs.push([key, String(value)]);
  }
  return pairs;
}

type Body =
  { kind: 'json'; value: unknown } | { kind: 'form'; buffer: Buffer; headers: Record<string, string> };

interface RawRequest {
  method: 'GET' | 'POST';
  path: string;
  pairs: QueryPairs;
  body?: Body;
  signed: boolean;
  headers?: Record<string, string>;
  timeoutMs: number;
}

interface RawResponse {
  status: number;
  body: unknown;
  retryAfter: unknown;
}

interface BusinessRequest {
  method: 'GET' | 'POST';
  path: string;
  query?: JdyQuery;
  body?: Body;
  /** Writes are never repeated blindly: ambiguous failures surface with outcomeUnknown. */
  write: boolean;
  upload?: boolean;
}

/** errcode is a JSON integer, but may come as a digit string (§3.1). */
function errcodeOf(body: unknown): number | undefined {
  if (!isRecord(body)) return undefined;
  const code = body.errcode;
  if (typeof code === 'number' && Number.isInteger(code)) return code;
  if (typeof code === 'string' && /^-?\d+$/.test(code.trim())) return Number(code.trim());
  return undefined;
}

function descriptionOf(body: unknown, fallback: string): string {
  if (isRecord(body)) {
    for (const key of ['description', 'message', 'errorMessage']) {
      const v = body[key];
      if (typeof v === 'string' && v) return v;
    }
  }
  return fallback;
}

/** Failures worth repeating for reads (§9.6): network, timeout, 5xx, 1000002001. */
function isRepeatableFailure(e: unknown): boolean {
  if (!(e instanceof IntegrationError) || e.system !== 'jdy') return false;
  if (e.code === 'timeout' || e.code === 'network' || e.code === 'connection_refused') return true;
  if (e.code === SERVICE_EXCEPTION) return true;
  return e.httpStatus !== undefined && e.httpStatus >= 500 && e.httpStatus !== 519;
}

/** A write that failed ambiguously may have been applied: callers must look it up before repeating. */
function markOutcomeUnknown(e: unknown): unknown {
  if (!(e instanceof IntegrationError) || !isRepeatableFailure(e) || e.code === 'connection_refused')
    return e;
  return new IntegrationError({
    system: 'jdy',
    errorClass: e.errorClass,
    code: e.code,
    message: `${e.message}（写入结果未知，请先查询再决定是否重试）`,
    outcomeUnknown: true,
    httpStatus: e.httpStatus,
  });
}

/**
 * The only module that talks HTTP to Jingdouyun: signing, tokens, secret rotation, throttling,
 * retries and error classification. Everything above it works with a JdySession per account set.
 */
export class JdyTransport {
  readonly config: Required<JdyClientConfig>;
  private readonly http: AxiosInstance;
  /** Drives token refresh and list windows (the gateway timestamp uses wallClock). */
  readonly clock: Clock;
  private readonly limiter: SlidingWindowLimiter;
  private readonly tokenStore: JdyTokenStore;
  private readonly onConnectionChange: ConnectionChangeHandler | undefined;
  private readonly random: () => number;
  private readonly wallClock: () => number;
  private readonly refreshes = new Map<string, Promise<JdyToken>>();
  private readonly tokenStrikes = new TokenStrikes();

  constructor(config: JdyClientConfig, options: JdyTransportOptions = {}) {
    this.config = {
      timeoutMs: 30_000,
      uploadTimeoutMs: 120_000,
      ...config,
      baseUrl: config.baseUrl.replace(/\/+$/, ''),
    };
    this.http = options.http ?? axios.create();
    this.clock = options.clock ?? systemClock;
    this.limiter = options.limiter ?? sharedJdyLimiter(options.rateLimitPerMinute);
    this.tokenStore = options.tokenStore ?? new MemoryTokenStore();
    this.onConnectionChange = options.onConnectionChange;
    this.random = options.random ?? Math.random;
    this.wallClock = options.wallClock ?? Date.now;
  }

  session(conn: JdyConnection): JdySession {
    return new JdySession(this, { ...conn });
  }

  // ---- connection flow (unsigned passport calls, signed connector calls) ----

  /** Step 1 (§2.2); POST with a form body so the password never sits in a URL. */
  async passportLogin(username: string, password: string): Promise<Json> {
    const form = new URLSearchParams({
      client_id: this.config.clientId,
      client_secret: this.config.clientSecret,
      username,
      password,
    });
    return this.read(async () => {
      const res = await this.send({
        method: 'POST',
        path: '/auth/user/access_token',
        pairs: [],
        signed: false,
        body: {
          kind: 'form',
          buffer: Buffer.from(form.toString().replace(/\+/g, '%20'), 'utf8'),
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        },
        timeoutMs: this.config.timeoutMs,
      });
      const data = this.unwrapG3(res, '/auth/user/access_token');
      if (!isRecord(data)) throw this.unexpected('/auth/user/access_token', 'data is not an object');
      return data;
    });
  }

  /** Step 2 (§2.3), older envelope. */
  async accountGroups(passportToken: string): Promise<unknown[]> {
    const path = '/jdy/sys/accountGroup';
    return this.read(async () => {
      const res = await this.send({
        method: 'POST',
        path,
        pairs: [['access_token', passportToken]],
        signed: false,
        timeoutMs: this.config.timeoutMs,
      });
      const body = res.body;
      if (res.status >= 500 && res.status !== 519)
        throw jdyError(res.status, `HTTP ${res.status}`, { httpStatus: res.status });
      if (res.status === 401)
        throw jdyError(401, descriptionOf(body, '登录已失效'), { httpStatus: 401, errorClass: 'auth' });
      if (!isRecord(body) || body.success !== true) {
        const code = isRecord(body) && body.errorCode ? String(body.errorCode) : res.status;
        throw jdyError(code, descriptionOf(body, `HTTP ${res.status}`), { httpStatus: res.status });
      }
      return Array.isArray(body.data) ? body.data : [];
    });
  }

  /** Step 3 (§2.4): every authorisation of this client_id. */
  async pushAppAuthorize(outerInstanceId?: string): Promise<JdyAuthorizationRow[]> {
    const path = '/jdyconnector/app_management/push_app_authorize';
    return this.read(async () => {
      const res = await this.send({
        method: 'POST',
        path,
        pairs: toQueryPairs({ outerInstanceId }),
        signed: true,
        body: { kind: 'json', value: {} },
        timeoutMs: this.config.timeoutMs,
      });
      const data = this.unwrapG3(res, path);
      if (!Array.isArray(data)) throw this.unexpected(path, 'data is not a list');
      return data.filter(isRecord).map((row) => ({
        appKey: String(row.appKey ?? ''),
        appSecret: String(row.appSecret ?? ''),
        accountId: String(row.accountId ?? ''),
        accountName: String(row.accountName ?? ''),
        agreementCompanyName: String(row.agreementCompanyName ?? ''),
        serviceId: String(row.serviceId ?? ''),
        outerInstanceId: String(row.outerInstanceId ?? ''),
        domain: String(row.domain ?? ''),
        groupName: String(row.groupName ?? ''),
        status: String(row.status ?? ''),
      }));
    });
  }

  /** Step 4 (§2.5): a new app-token. Failures here are credential problems (auth). */
  async fetchAppToken(conn: JdyConnection, uid?: string | number): Promise<JdyToken> {
    const path = '/jdyconnector/app_management/kingdee_auth_token';
    return this.read(async () => {
      const res = await this.send({
        method: 'GET',
        path,
        pairs: toQueryPairs({
          app_key: conn.appKey,
          app_signature: appSignature(conn.appKey, conn.appSecret),
          uid,
        }),
        signed: true,
        timeoutMs: this.config.timeoutMs,
      });
      const data = this.unwrapG3(res, path, 'auth');
      if (!isRecord(data)) throw this.unexpected(path, 'data is not an object');
      const token = [data['app-token'], data.app_token, data.appToken].find(
        (v) => typeof v === 'string' && v,
      );
      if (typeof token !== 'string') throw this.unexpected(path, 'no app-token in the answer');
      const expires = typeof data.expires === 'number' ? data.expires : Number(data.expires);
      return {
        token,
        expiresAt:
          Number.isFinite(expires) && expires > 0 ? expires : this.clock.now() + TOKEN_TTL_FALLBACK_MS,
      };
    });
  }

  /** Selects the active authorisation of an account set (§2.4): first row with status "1". */
  static activeRow(rows: readonly JdyAuthorizationRow[], accountId: string): JdyAuthorizationRow | undefined {
    return rows.find((r) => r.accountId === accountId && r.status === '1');
  }

  static notAuthorised(): IntegrationError {
    return jdyError(NOT_AUTHORISED, NOT_AUTHORISED_TEXT, { errorClass: 'auth' });
  }

  // ---- tokens ----

  /** A valid app-token for the session's account set; single-flight refresh per account set. */
  async token(session: JdySession): Promise<string> {
    const accountId = session.connection.accountId;
    const cached = await this.tokenStore.get(accountId);
    if (cached && cached.expiresAt - this.clock.now() > REFRESH_MARGIN_MS) return cached.token;
    let flight = this.refreshes.get(accountId);
    if (!flight) {
      flight = this.refresh(session, cached).finally(() => this.refreshes.delete(accountId));
      this.refreshes.set(accountId, flight);
    }
    return (await flight).token;
  }

  private async refresh(session: JdySession, cached: JdyToken | undefined): Promise<JdyToken> {
    let token: JdyToken;
    try {
      token = await this.fetchWithRotation(session);
    } catch (e) {
      // A token in its last hour is still good; keep working through a passing outage.
      if (
        cached &&
        cached.expiresAt > this.clock.now() &&
        e instanceof IntegrationError &&
        e.errorClass === 'transient'
      ) {
        return cached;
      }
      throw e;
    }
    await this.tokenStore.set(session.connection.accountId, token);
    return token;
  }

  /** §2.9: a stale appSecret fails step 4; re-read the authorisation once, persist it, retry once. */
  private async fetchWithRotation(session: JdySession): Promise<JdyToken> {
    try {
      return await this.fetchAppToken(session.connection);
    } catch (e) {
      if (!isJdyCode(e, BAD_FORMAT) && !isJdyCode(e, CREDENTIALS_WRONG)) throw e;
      const conn = session.connection;
      const row = JdyTransport.activeRow(await this.pushAppAuthorize(), conn.accountId);
      if (!row) throw JdyTransport.notAuthorised();
      const next: JdyConnection = {
        accountId: conn.accountId,
        appKey: row.appKey,
        appSecret: row.appSecret,
        domain: row.domain,
        groupName: row.groupName,
      };
      const changed = (Object.keys(next) as Array<keyof JdyConnection>).some((k) => next[k] !== conn[k]);
      if (!changed) throw e;
      session.connection = next;
      await this.onConnectionChange?.({ ...next });
      return this.fetchAppToken(next);
    }
  }

  /** Drops a token that the gateway refused, unless another caller has already replaced it. */
  async dropToken(accountId: string, token: string): Promise<void> {
    await this.tokenStore.clearIf(accountId, token);
  }

  // ---- business calls ----

  async business(session: JdySession, req: BusinessRequest): Promise<unknown> {
    const pairs = toQueryPairs(req.query);
    const attempt = (): Promise<unknown> => this.businessAttempt(session, req, pairs);
    return req.write ? attempt() : this.read(attempt);
  }

  /** One logical attempt: throttling, 401 refresh-and-repeat-once and 429 waits happen inside it. */
  private async businessAttempt(
    session: JdySession,
    req: BusinessRequest,
    pairs: QueryPairs,
  ): Promise<unknown> {
    let refreshedAfter401 = false;
    let throttled = 0;
    for (;;) {
      const accountId = session.connection.accountId;
      await this.limiter.acquire(accountId);
      const token = await this.token(session);
      // Failures before the request left (limiter, token) cannot have changed anything.
      const res = await this.send({
        method: req.method,
        path: req.path,
        pairs,
        body: req.body,
        signed: true,
        headers: { 'app-token': token, 'X-GW-Router-Addr': session.connection.domain },
        timeoutMs: req.upload ? this.config.uploadTimeoutMs : this.config.timeoutMs,
      }).catch((e: unknown) => {
        throw req.write ? markOutcomeUnknown(e) : e;
      });
      if (res.status === 401) {
        const description = descriptionOf(res.body, 'token无效');
        if (refreshedAfter401) {
          // Refused again after a refresh: lost authorisation only when fresh tokens keep being refused.
          const errorClass = this.tokenStrikes.strike(accountId, token) ? 'auth' : 'transient';
          throw jdyError(401, description, { httpStatus: 401, errorClass, retryAfterMs: 5_000 });
        }
        refreshedAfter401 = true;
        await this.dropToken(accountId, token);
        continue;
      }
      if (res.status === 429) {
        throttled++;
        const waitMs =
          parseRetryAfter(res.retryAfter, this.clock.now()) ?? Math.min(60_000, 5_000 * 2 ** (throttled - 1));
        this.limiter.blockUntil(accountId, this.clock.now() + waitMs);
        if (throttled > MAX_THROTTLED_REPEATS) {
          throw jdyError(429, descriptionOf(res.body, '请求过于频繁'), {
            httpStatus: 429,
            retryAfterMs: waitMs,
          });
        }
        continue;
      }
      this.tokenStrikes.clear(accountId);
      let data: unknown;
      try {
        data = req.upload ? this.unwrapUpload(res, req.path) : this.unwrapG3(res, req.path);
      } catch (e) {
        throw req.write ? markOutcomeUnknown(e) : e;
      }
      return decryptPersonalFields(data, this.config.clientSecret);
    }
  }

  private read<T>(fn: () => Promise<T>): Promise<T> {
    return withRetry(fn, {
      attempts: READ_ATTEMPTS,
      baseDelayMs: 1_000,
      maxDelayMs: 4_000,
      decide: (e) => ({ retry: isRepeatableFailure(e) }),
      clock: this.clock,
      random: this.random,
    });
  }

  // ---- envelopes ----

  /** `businessClass` overrides the class of business codes (step 4 failures are credential problems). */
  private unwrapG3(res: RawResponse, path: string, businessClass?: ErrorClass): unknown {
    const code = errcodeOf(res.body);
    if (res.status !== 200) {
      throw jdyError(code ?? res.status, descriptionOf(res.body, `HTTP ${res.status}`), {
        httpStatus: res.status,
      });
    }
    if (code === undefined) throw this.unexpected(path, 'answer without errcode');
    if (code !== 0) {
      const errorClass = code === SERVICE_EXCEPTION ? 'transient' : businessClass;
      throw jdyError(code, descriptionOf(res.body, '未知错误'), { httpStatus: 200, errorClass });
    }
    return isRecord(res.body) ? res.body.data : undefined;
  }

  /** The upload endpoint has its own envelope (§7); gateway failures still use the G3 body. */
  private unwrapUpload(res: RawResponse, path: string): unknown {
    if (res.status !== 200) return this.unwrapG3(res, path);
    const body = res.body;
    if (!isRecord(body)) throw this.unexpected(path, 'answer is not an object');
    if (body.success === true) return body.data;
    const code = String(body.errorCode ?? 'unknown');
    throw jdyError(/^\d+$/.test(code) ? Number(code) : code, descriptionOf(body, '上传失败'), {
      httpStatus: 200,
      errorClass: /^\d+$/.test(code) ? undefined : 'data',
    });
  }

  private unexpected(path: string, what: string): IntegrationError {
    return new IntegrationError({
      system: 'jdy',
      errorClass: 'unexpected',
      code: 'bad_answer',
      message: `金蝶精斗云 ${path}: ${what}`,
    });
  }

  // ---- wire ----

  private signatureHeaders(method: string, path: string, pairs: QueryPairs): Record<string, string> {
    const nonce = String(randomInt(1, 2 ** 47));
    const timestamp = String(this.wallClock());
    return {
      'X-Api-ClientID': this.config.clientId,
      'X-Api-Auth-Version': '2.0',
      'X-Api-TimeStamp': timestamp,
      'X-Api-Nonce': nonce,
      'X-Api-SignHeaders': 'X-Api-TimeStamp,X-Api-Nonce',
      'X-Api-Signature': signRequest(this.config.clientSecret, method, path, pairs, nonce, timestamp),
    };
  }

  /** Sends one request as built (query encoded once, exactly the pairs that were signed). */
  private async send(req: RawRequest): Promise<RawResponse> {
    const headers: Record<string, string> = { Accept: 'application/json', ...req.headers };
    // Fresh nonce and timestamp on every attempt, retries included (§9.5).
    if (req.signed) Object.assign(headers, this.signatureHeaders(req.method, req.path, req.pairs));
    let data: string | Buffer | undefined;
    if (req.body?.kind === 'json') {
      data = JSON.stringify(req.body.value ?? {});
      headers['Content-Type'] = 'application/json';
    } else if (req.body?.kind === 'form') {
      data = req.body.buffer;
      Object.assign(headers, req.body.headers);
    }
    const qs = wireQuery(req.pairs);
    try {
      const res = await this.http.request<string>({
        method: req.method,
        url: `${this.config.baseUrl}${req.path}${qs ? `?${qs}` : ''}`,
        headers,
        data,
        timeout: req.timeoutMs,
        responseType: 'text',
        transformResponse: [(raw: unknown) => raw],
        validateStatus: () => true,
        maxRedirects: 0,
        maxBodyLength: Infinity,
      });
      return { status: res.status, body: parseBody(res.data), retryAfter: res.headers['retry-after'] };
    } catch (e) {
      throw networkError(e, req.method, req.path);
    }
  }
}

function parseBody(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** Network failures without the axios error attached: its config carries tokens and signatures. */
function networkError(e: unknown, method: string, path: string): IntegrationError {
  const code = isAxiosError(e) ? e.code : undefined;
  const timeout = code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ERR_CANCELED';
  const refused = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
  return new IntegrationError({
    system: 'jdy',
    errorClass: 'transient',
    code: timeout ? 'timeout' : refused ? 'connection_refused' : 'network',
    message: `金蝶精斗云 ${method} ${path}: ${timeout ? '请求超时' : `网络错误 ${code ?? ''}`.trim()}`,
  });
}

/**
 * Business calls of one account set. `connection` changes when a secret rotation is recovered
 * (the new values are also passed to onConnectionChange).
 */
export class JdySession {
  constructor(
    private readonly transport: JdyTransport,
    public connection: JdyConnection,
  ) {}

  get accountId(): string {
    return this.connection.accountId;
  }

  get clock(): Clock {
    return this.transport.clock;
  }

  get<T>(path: string, query?: JdyQuery): Promise<T> {
    return this.transport.business(this, { method: 'GET', path, query, write: false }) as Promise<T>;
  }

  /** A JSON POST that changes data: never repeated blindly. */
  post<T>(path: string, body: unknown): Promise<T> {
    return this.transport.business(this, {
      method: 'POST',
      path,
      body: { kind: 'json', value: body },
      write: true,
    }) as Promise<T>;
  }

  /** A JSON POST whose repetition is harmless (audit/unaudit, reads sent as POST). */
  postIdempotent<T>(path: string, body: unknown): Promise<T> {
    return this.transport.business(this, {
      method: 'POST',
      path,
      body: { kind: 'json', value: body },
      write: false,
    }) as Promise<T>;
  }

  /** Multipart upload (§7): one part named file1; size checked before sending. */
  async upload(path: string, content: Buffer, filename: string, contentType?: string): Promise<unknown> {
    if (content.length > MAX_UPLOAD_BYTES) {
      throw jdyError(1030002005, '文件大小超出限制，最大10MB', { errorClass: 'data' });
    }
    const form = new FormData();
    form.append('file1', content, { filename, contentType: contentType ?? 'application/octet-stream' });
    const headers = form.getHeaders() as Record<string, string>;
    return this.transport.business(this, {
      method: 'POST',
      path,
      body: { kind: 'form', buffer: form.getBuffer(), headers },
      write: true,
      upload: true,
    });
  }

  /** Proves the connection works and warms the token cache. */
  async ensureToken(): Promise<void> {
    await this.transport.token(this);
  }
}
