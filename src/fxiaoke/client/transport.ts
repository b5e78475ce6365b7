import axios, { isAxiosError, type AxiosInstance, type AxiosResponse } from 'axios';
import FormData from 'form-data';
import type { TenantId } from '../../db/base-repository.js';
import { tokenKeys } from '../../dal/token/token.repository.js';
import type { TokenRepository } from '../../dal/token/token.repository.js';
import { systemClock, type Clock } from '../../lib/clock.js';
import { IntegrationError } from '../../lib/errors.js';
import { silentLogger, type Logger } from '../../lib/logger.js';
import type { Metrics } from '../../lib/metrics.js';
import { SlidingWindowLimiter } from '../../lib/rate-limit.js';
import { backoffMs } from '../../lib/retry.js';
import { TokenStrikes } from '../../lib/token-strikes.js';
import { FX, fxError, msUntilNextGmt8Day, retryClassOf } from './errors.js';
import { FxTokenCache, type FetchedToken } from './token-cache.js';

export type Json = Record<string, unknown>;

/** The plugin's app-center app (§2.1) and our side of the limits. */
export interface FxAppConfig {
  baseUrl: string;
  appId: string;
  appSecret: string;
  /** Calls per (tenant, path) per 20 s on our side; the CRM allows 100 (§3.6). */
  rateLimitPer20s: number;
  timeoutMs?: number;
}

/** What a business call needs to know about its tenant; the permanent code is opened only on refresh. */
export interface FxTenantAuth {
  tenantId: TenantId;
  corpId: string;
  permanentCode: () => string;
}

export interface FxTransportOptions {
  tokens: TokenRepository;
  http?: AxiosInstance;
  clock?: Clock;
  logger?: Logger;
  metrics?: Metrics;
  limiter?: SlidingWindowLimiter;
  random?: () => number;
}

export interface CorpTokenAnswer extends FetchedToken {
  corpId: string;
}

export interface Download {
  content: Buffer;
  filename: string;
}

type Payload = { kind: 'json'; body: Json } | { kind: 'form'; form: FormData; query: Record<string, string> };

interface CallSpec {
  path: string;
  /** Builds the request with the current corp token. */
  payload: (corpToken: string) => Payload;
  write: boolean;
  binary?: boolean;
}

interface RawAnswer {
  status: number;
  contentType: string;
  data: Buffer | Json | string;
  disposition: string;
}

const RATE_WINDOW_MS = 20_000;
const A_TRIES = 6;
const C_READ_TRIES = 3;
const A_BASE_MS = 1000;
const A_MAX_MS = 20_000;
/** §12 item 2: after a token-call 30004 wait at least 6 s. */
const TOKEN_FREQUENCY_WAIT_MS = 6_000;
const TOKEN_CALL_TRIES = 3;

/**
 * The only module that talks HTTP to the CRM (contract fxiaoke-api.md): body-mode credentials,
 * tokens (FxTokenCache), the per-(tenant, path) budget, the retry classes of §3.7 and error
 * classification into IntegrationError. It never logs request bodies, which carry credentials.
 */
export class FxTransport {
  readonly clock: Clock;
  readonly tokenCache: FxTokenCache;
  private readonly http: AxiosInstance;
  private readonly logger: Logger;
  private readonly metrics: Metrics | undefined;
  private readonly limiter: SlidingWindowLimiter;
  private readonly random: () => number;
  private readonly timeoutMs: number;
  /** 30002: the tenant's daily quota is used up until this time (ms). */
  private readonly parkedUntil = new Map<string, number>();
  private readonly tokenStrikes = new TokenStrikes();

  constructor(
    readonly config: FxAppConfig,
    options: FxTransportOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.http = options.http ?? axios.create();
    this.logger = options.logger ?? silentLogger;
    this.metrics = options.metrics;
    this.random = options.random ?? Math.random;
    this.timeoutMs = config.timeoutMs ?? 30_000;
    this.limiter =
      options.limiter ??
      new SlidingWindowLimiter({
        limit: config.rateLimitPer20s,
        windowMs: RATE_WINDOW_MS,
        clock: this.clock,
      });
    this.tokenCache = new FxTokenCache(options.tokens, this.clock);
  }

  // ---- business calls ----

  /** A CRM data/metadata call (§3.1): credentials and the acting user at the top, parameters in `data`. */
  crm(auth: FxTenantAuth, path: string, userId: string, body: Json, write: boolean): Promise<Json> {
    return this.json(auth, {
      path,
      write,
      payload: (token) => ({
        kind: 'json',
        body: { ...body, corpAccessToken: token, corpId: auth.corpId, currentOpenUserId: userId },
      }),
    });
  }

  /** A directory or message call (§4, §10): parameters at the top level, no acting user. */
  corp(auth: FxTenantAuth, path: string, body: Json, write = false): Promise<Json> {
    return this.json(auth, {
      path,
      write,
      payload: (token) => ({ kind: 'json', body: { ...body, corpAccessToken: token, corpId: auth.corpId } }),
    });
  }

  /** §10: multipart with the file part `media`; credentials travel in the query string. */
  async upload(
    auth: FxTenantAuth,
    type: 'image' | 'document',
    filename: string,
    content: Buffer,
  ): Promise<Json> {
    return this.json(auth, {
      path: '/media/upload',
      write: true,
      payload: (token) => {
        const form = new FormData();
        // RFC 5987 `filename*` carries a non-ASCII name unambiguously; `filename` is the ASCII fallback.
        const fallback = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
        // form-data only fills headers it has none of, so the part header is written whole.
        const header =
          `--${form.getBoundary()}\r\n` +
          `Content-Disposition: form-data; name="media"; filename="${fallback}"; ` +
          `filename*=UTF-8''${encodeURIComponent(filename)}\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n';
        form.append('media', content, { header, knownLength: content.length });
        return { kind: 'form', form, query: { corpAccessToken: token, corpId: auth.corpId, type } };
      },
    });
  }

  /** §10: bytes on success, the JSON envelope on failure (told apart by Content-Type). */
  async download(auth: FxTenantAuth, ref: { mediaId: string } | { npath: string }): Promise<Download> {
    const answer = await this.call(auth, {
      path: '/media/download',
      write: false,
      binary: true,
      payload: (token) => ({ kind: 'json', body: { ...ref, corpAccessToken: token, corpId: auth.corpId } }),
    });
    const content = Buffer.isBuffer(answer.data) ? answer.data : Buffer.from(String(answer.data));
    const match = /filename\*=UTF-8''([^;]+)/i.exec(answer.disposition);
    return { content, filename: match?.[1] ? decodeURIComponent(match[1]) : '' };
  }

  // ---- tokens and SSO ----

  /** §2.3 without the cache: the install job learns the corpId of a permanent code this way. */
  async fetchCorpToken(permanentCode: string): Promise<CorpTokenAnswer> {
    const body = await this.tokenCall('/cgi/corpAccessToken/get/V2', {
      appId: this.config.appId,
      appSecret: this.config.appSecret,
      permanentCode,
    });
    const token = body.corpAccessToken;
    const corpId = body.corpId;
    if (typeof token !== 'string' || typeof corpId !== 'string' || typeof body.expiresIn !== 'number') {
      throw fxError({
        code: 'bad_answer',
        errorClass: 'unexpected',
        message: '纷享销客令牌接口的应答不完整',
      });
    }
    return { token, corpId, expiresIn: body.expiresIn };
  }

  /** Puts a token fetched outside the cache (install) into it. */
  rememberCorpToken(tenantId: TenantId, token: FetchedToken): Promise<void> {
    return this.tokenCache.store(tokenKeys.fxCorp(tenantId), 'fx-corp', token);
  }

  /** Uninstall: forget the tenant's token and any "reconnect needed" mark. */
  dropTenantTokens(tenantId: TenantId): Promise<void> {
    return this.tokenCache.drop(tokenKeys.fxCorp(tenantId));
  }

  /**
   * §2.4 step 4: the user of an SSO code. 20005 → one new app token and one retry; 20024 (code
   * unknown, used or expired) surfaces as a data error the entry page turns into a refusal.
   */
  async openUserId(code: string): Promise<{ openUserId: string; corpId: string }> {
    const key = tokenKeys.fxApp(this.config.appId);
    const fetchApp = async (): Promise<FetchedToken> => {
      const body = await this.tokenCall('/cgi/appAccessToken/get', {
        appId: this.config.appId,
        appSecret: this.config.appSecret,
      });
      if (typeof body.appAccessToken !== 'string' || typeof body.expiresIn !== 'number') {
        throw fxError({
          code: 'bad_answer',
          errorClass: 'unexpected',
          message: '纷享销客应用令牌接口的应答不完整',
        });
      }
      return { token: body.appAccessToken, expiresIn: body.expiresIn };
    };
    let token = await this.tokenCache.get(key, 'fx-app', fetchApp);
    const path = '/oauth2/openUserId/get';
    for (let tokenRetried = false, aTry = 0; ;) {
      await this.limiter.acquire(`app:${this.config.appId}|${path}`);
      const answer = await this.send(
        path,
        { kind: 'json', body: { appAccessToken: token, code } },
        false,
        null,
      );
      const failure = this.failureOf(path, answer);
      if (!failure) {
        const body = answer.data as Json;
        if (typeof body.openUserId !== 'string' || typeof body.corpId !== 'string') {
          throw fxError({
            code: 'bad_answer',
            errorClass: 'unexpected',
            message: '纷享销客登录接口的应答不完整',
          });
        }
        return { openUserId: body.openUserId, corpId: body.corpId };
      }
      if (failure.code === FX.APP_TOKEN && !tokenRetried) {
        tokenRetried = true;
        token = await this.tokenCache.replace(key, 'fx-app', token, fetchApp);
        continue;
      }
      if (failure.code === FX.FREQUENCY && ++aTry < A_TRIES) {
        await this.clock.sleep(backoffMs(aTry, A_BASE_MS, A_MAX_MS, this.random));
        continue;
      }
      // Never repeat an exchange blindly: the first try that reached the code check consumed it.
      throw failure;
    }
  }

  // ---- internals ----

  private async json(auth: FxTenantAuth, spec: CallSpec): Promise<Json> {
    const answer = await this.call(auth, spec);
    return answer.data as Json;
  }

  /** The §3.7 loop for one business call. */
  private async call(auth: FxTenantAuth, spec: CallSpec): Promise<RawAnswer> {
    const key = tokenKeys.fxCorp(auth.tenantId);
    const fetchCorp = () => this.fetchCorpTokenFor(auth);
    let token = await this.tokenCache.get(key, 'fx-corp', fetchCorp);
    let tokenRetried = false;
    let aTry = 0;
    let cTry = 0;
    for (;;) {
      this.checkParked(auth);
      await this.limiter.acquire(`${auth.corpId}|${spec.path}`);
      let answer: RawAnswer;
      try {
        answer = await this.send(spec.path, spec.payload(token), spec.binary ?? false, auth);
      } catch (error) {
        // Class C without an answer: network error, timeout, lost response.
        if (spec.write) throw this.unknownOutcome(spec.path, error);
        if (++cTry >= C_READ_TRIES) throw error;
        await this.clock.sleep(backoffMs(cTry, A_BASE_MS, A_MAX_MS, this.random));
        continue;
      }
      const failure = this.failureOf(spec.path, answer);
      if (!failure) {
        this.tokenStrikes.clear(key);
        return answer;
      }
      const cls = typeof failure.code === 'number' ? retryClassOf(failure.code, spec.path) : null;
      if (failure.code === FX.DAILY_QUOTA) {
        const wait = msUntilNextGmt8Day(this.clock.now());
        this.parkedUntil.set(auth.tenantId, this.clock.now() + wait);
        throw fxError({ ...this.initOf(failure), errorClass: 'transient', retryAfterMs: wait });
      }
      if (cls === 'A') {
        if (++aTry >= A_TRIES) throw fxError({ ...this.initOf(failure), retryAfterMs: A_MAX_MS });
        await this.clock.sleep(backoffMs(aTry, A_BASE_MS, A_MAX_MS, this.random));
        continue;
      }
      if (failure.code === FX.CORP_TOKEN) {
        if (tokenRetried) {
          // Refused again after a refresh (§3.7 B): lost authorisation only when it keeps happening
          // with no call going through in between — a token may also expire just after our refresh.
          if (!this.tokenStrikes.strike(key, token)) {
            throw fxError({ ...this.initOf(failure), errorClass: 'transient', retryAfterMs: 5_000 });
          }
          await this.tokenCache.markAuthFailed(key, 'fx-corp', String(FX.CORP_TOKEN));
          throw fxError({
            ...this.initOf(failure),
            errorClass: 'auth',
            message: '纷享销客访问令牌连续失效，需要重新授权',
          });
        }
        tokenRetried = true;
        token = await this.tokenCache.replace(key, 'fx-corp', token, fetchCorp);
        continue;
      }
      if (cls === 'C' || failure.errorClass === 'transient') {
        if (spec.write) throw this.unknownOutcome(spec.path, failure);
        if (++cTry >= C_READ_TRIES) throw failure;
        await this.clock.sleep(backoffMs(cTry, A_BASE_MS, A_MAX_MS, this.random));
        continue;
      }
      throw failure;
    }
  }

  /** The corp token of a known tenant; credential refusals stop the tenant until reinstall. */
  private async fetchCorpTokenFor(auth: FxTenantAuth): Promise<FetchedToken> {
    try {
      const answer = await this.fetchCorpToken(auth.permanentCode());
      if (answer.corpId !== auth.corpId) {
        throw fxError({ code: 'corp_mismatch', errorClass: 'auth', message: '永久授权码属于另一个企业' });
      }
      return answer;
    } catch (error) {
      if (error instanceof IntegrationError && error.errorClass === 'auth') {
        await this.tokenCache.markAuthFailed(tokenKeys.fxCorp(auth.tenantId), 'fx-corp', String(error.code));
      }
      throw error;
    }
  }

  /** A token endpoint (§2.3, §2.4): 30004 → wait ≥ 6 s; any other refusal is a credential problem. */
  private async tokenCall(path: string, body: Json): Promise<Json> {
    for (let attempt = 1; ; attempt++) {
      let answer: RawAnswer;
      try {
        answer = await this.send(path, { kind: 'json', body }, false, null);
      } catch (error) {
        if (attempt >= TOKEN_CALL_TRIES) throw error;
        await this.clock.sleep(backoffMs(attempt, A_BASE_MS, A_MAX_MS, this.random));
        continue;
      }
      const failure = this.failureOf(path, answer);
      if (!failure) return answer.data as Json;
      if (failure.code === FX.FREQUENCY && attempt < TOKEN_CALL_TRIES) {
        await this.clock.sleep(TOKEN_FREQUENCY_WAIT_MS + Math.round(this.random() * 1000));
        continue;
      }
      if (failure.errorClass === 'transient' || failure.errorClass === 'unexpected') throw failure;
      // 10006, 20015, 20022…: the app or tenant credentials are refused (class D on token calls).
      throw fxError({ ...this.initOf(failure), errorClass: 'auth' });
    }
  }

  private checkParked(auth: FxTenantAuth): void {
    const until = this.parkedUntil.get(auth.tenantId);
    if (until === undefined) return;
    const now = this.clock.now();
    if (now >= until) {
      this.parkedUntil.delete(auth.tenantId);
      return;
    }
    throw fxError({
      code: FX.DAILY_QUOTA,
      errorClass: 'transient',
      message: '纷享销客今日接口调用额度已用完，次日 0 点（北京时间）后继续',
      retryAfterMs: until - now,
    });
  }

  private async send(
    path: string,
    payload: Payload,
    binary: boolean,
    auth: FxTenantAuth | null,
  ): Promise<RawAnswer> {
    const started = this.clock.now();
    let res: AxiosResponse<unknown>;
    try {
      res =
        payload.kind === 'json'
          ? await this.http.post(this.config.baseUrl + path, payload.body, {
              headers: { 'Content-Type': 'application/json; charset=utf-8' },
              timeout: this.timeoutMs,
              responseType: binary ? 'arraybuffer' : 'json',
              validateStatus: () => true,
              maxBodyLength: Infinity,
              maxContentLength: Infinity,
            })
          : await this.http.post(this.config.baseUrl + path, payload.form.getBuffer(), {
              params: payload.query,
              headers: payload.form.getHeaders(),
              timeout: this.timeoutMs * 4,
              validateStatus: () => true,
              maxBodyLength: Infinity,
            });
    } catch (error) {
      const timeout = isAxiosError(error) && (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT');
      const code = timeout ? 'timeout' : 'network';
      this.observe(path, code, auth, started, undefined);
      // The axios error holds the request (credentials): keep only its code.
      throw fxError({
        code,
        errorClass: 'transient',
        path,
        message: timeout ? `纷享销客接口 ${path} 超时` : `无法连接纷享销客接口 ${path}`,
      });
    }
    const contentType = String(res.headers['content-type'] ?? '');
    let data: Buffer | Json | string;
    if (binary && !contentType.includes('application/json')) data = Buffer.from(res.data as ArrayBuffer);
    else if (binary) data = parseJson(Buffer.from(res.data as ArrayBuffer).toString('utf8'));
    else data = typeof res.data === 'string' ? parseJson(res.data) : (res.data as Json);
    const answer: RawAnswer = {
      status: res.status,
      contentType,
      data,
      disposition: String(res.headers['content-disposition'] ?? ''),
    };
    // A file download answers bytes, not an envelope: its HTTP 200 is the success code.
    const errorCode = isJson(data) ? data.errorCode : res.status === 200 ? 0 : undefined;
    this.observe(
      path,
      String(errorCode ?? res.status),
      auth,
      started,
      isJson(data) ? data.traceId : undefined,
    );
    return answer;
  }

  /** null on success; otherwise the classified error (§3.4 statuses, then errorCode). */
  private failureOf(path: string, answer: RawAnswer): IntegrationError | null {
    const { status, data } = answer;
    if (status !== 200) {
      const envelope = isJson(data) ? data : null;
      if (status >= 500 || status === 429) {
        return fxError({
          code: `http_${status}`,
          errorClass: 'transient',
          httpStatus: status,
          path,
          message: `纷享销客接口 ${path} 暂时不可用（HTTP ${status}）`,
        });
      }
      return fxError({
        code: typeof envelope?.errorCode === 'number' ? envelope.errorCode : `http_${status}`,
        errorClass: 'unexpected',
        httpStatus: status,
        path,
        traceId: traceOf(envelope),
        message: `纷享销客接口 ${path} 拒绝了请求（HTTP ${status}）`,
      });
    }
    if (Buffer.isBuffer(data)) return null;
    if (!isJson(data) || typeof data.errorCode !== 'number') {
      return fxError({
        code: 'bad_answer',
        errorClass: 'unexpected',
        path,
        message: `纷享销客接口 ${path} 的应答无法识别`,
      });
    }
    if (data.errorCode === 0) return null;
    const text = [data.errorMessage, data.errorDescription].find((t) => typeof t === 'string' && t) as
      string | undefined;
    return fxError({
      code: data.errorCode,
      path,
      traceId: traceOf(data),
      message: `纷享销客返回错误 ${data.errorCode}${text ? `：${text}` : ''}`,
    });
  }

  private initOf(e: IntegrationError) {
    return {
      code: e.code,
      message: e.message,
      traceId: e.traceId,
      httpStatus: e.httpStatus,
      errorClass: e.errorClass,
    };
  }

  private unknownOutcome(path: string, error: unknown): IntegrationError {
    const base = error instanceof IntegrationError ? error : null;
    return fxError({
      code: base?.code ?? 'network',
      errorClass: 'transient',
      path,
      traceId: base?.traceId,
      httpStatus: base?.httpStatus,
      outcomeUnknown: true,
      message: `${base?.message ?? `纷享销客接口 ${path} 无应答`}（写入结果未知，须先按业务键查询再决定是否重试）`,
    });
  }

  private observe(
    path: string,
    code: string,
    auth: FxTenantAuth | null,
    started: number,
    traceId: unknown,
  ): void {
    this.metrics?.outsideCalls.inc({ system: 'crm', path, code });
    const entry = {
      system: 'crm',
      path,
      code,
      tenantId: auth?.tenantId,
      traceId: typeof traceId === 'string' ? traceId : undefined,
      ms: this.clock.now() - started,
    };
    if (code === '0') this.logger.debug(entry, 'crm call');
    else this.logger.warn(entry, 'crm call failed');
  }
}

function isJson(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
}

function parseJson(text: string): Json | string {
  try {
    const parsed: unknown = JSON.parse(text);
    return isJson(parsed) ? parsed : text;
  } catch {
    return text;
  }
}

function traceOf(body: Json | null): string | undefined {
  return typeof body?.traceId === 'string' ? body.traceId : undefined;
}
