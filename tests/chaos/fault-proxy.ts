/**
 * A reverse proxy in front of a sandbox that injects faults into the plugin's calls at given
 * rates (seeded, so a failing run can be repeated): 5xx answers, requests held until the client
 * times out, requests applied upstream whose answer is then lost, a rate-limit storm, tokens
 * expired through the sandbox's control API every N calls, and non-transient (data) errors on
 * chosen writes. Every injected fault is counted, and data errors are logged with the record
 * they hit, so a test can match failures against them.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seeded } from '../helpers/prng.js';

export type SandboxStyle = 'jdy' | 'fx';

/** A write that gets a data error: which calls qualify, and the record key to log for it. */
export interface DataFaultTarget {
  path: string;
  /** The record key of a qualifying call, or null when the call does not qualify. */
  keyOf(body: unknown): string | null;
}

export interface FaultRates {
  error5xx: number;
  timeout: number;
  loseResponse: number;
  /** Data errors on qualifying writes (a share of those writes, not of all calls). */
  dataError: number;
}

export interface FaultStats {
  calls: number;
  error5xx: number;
  timeout: number;
  loseResponse: number;
  throttled: number;
  tokenExpiries: number;
  dataErrors: Array<{ path: string; key: string }>;
}

export const NO_FAULTS: FaultRates = { error5xx: 0, timeout: 0, loseResponse: 0, dataError: 0 };

/** The text of an injected data error: failures carrying it are the injected ones. */
export const INJECTED_DATA_ERROR = '注入的数据错误';

export interface FaultProxyOptions {
  upstream: string;
  style: SandboxStyle;
  seed: number;
  /** Expires the sandbox's tokens (its control API); called every `tokenExpiryEvery` calls. */
  expireTokens(): Promise<void>;
  dataTargets?: DataFaultTarget[];
}

export class FaultProxy {
  readonly stats: FaultStats = {
    calls: 0,
    error5xx: 0,
    timeout: 0,
    loseResponse: 0,
    throttled: 0,
    tokenExpiries: 0,
    dataErrors: [],
  };
  rates: FaultRates = NO_FAULTS;
  /** Calls per path (all calls, faulty or not): where the time goes. */
  readonly paths = new Map<string, number>();
  /** 0 = never. */
  tokenExpiryEvery = 0;
  private stormUntil = 0;
  private readonly random: () => number;
  private server: http.Server | null = null;
  private readonly held = new Set<ServerResponse>();
  url = '';

  constructor(private readonly options: FaultProxyOptions) {
    this.random = seeded(options.seed);
  }

  async start(): Promise<this> {
    const server = http.createServer((req, res) => {
      this.handle(req, res).catch(() => res.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  /** Every call is refused as over the rate limit for `ms`. */
  storm(ms: number): void {
    this.stormUntil = Date.now() + ms;
  }

  async close(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const path = (req.url ?? '/').split('?')[0]!;
    this.paths.set(path, (this.paths.get(path) ?? 0) + 1);
    const faulty = this.rates !== NO_FAULTS;
    if (faulty) {
      this.stats.calls++;
      if (this.tokenExpiryEvery && this.stats.calls % this.tokenExpiryEvery === 0) {
        this.stats.tokenExpiries++;
        await this.options.expireTokens();
      }
      if (Date.now() < this.stormUntil) return this.throttle(res);
      const roll = this.random();
      const { error5xx, timeout, loseResponse } = this.rates;
      if (roll < error5xx) return this.serverError(res);
      if (roll < error5xx + timeout) return this.hold(res);
      const data = this.dataFault(path, body);
      if (data) return this.dataError(res, path, data);
      if (roll < error5xx + timeout + loseResponse) {
        await this.forward(req, body);
        this.stats.loseResponse++;
        res.socket?.destroy();
        return;
      }
    }
    const answer = await this.forward(req, body);
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  }

  private dataFault(path: string, body: Buffer): string | null {
    if (!this.rates.dataError) return null;
    const target = this.options.dataTargets?.find((t) => t.path === path);
    if (!target) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return null;
    }
    const key = target.keyOf(parsed);
    return key !== null && this.random() < this.rates.dataError ? key : null;
  }

  private forward(
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: http.OutgoingHttpHeaders; body: Buffer }> {
    const target = new URL(req.url ?? '/', this.options.upstream);
    return new Promise((resolve, reject) => {
      const out = http.request(
        target,
        { method: req.method, headers: { ...req.headers, host: target.host } },
        (up) => {
          const parts: Buffer[] = [];
          up.on('data', (c: Buffer) => parts.push(c));
          up.on('end', () => {
            const headers = { ...up.headers };
            delete headers['transfer-encoding'];
            delete headers.connection;
            resolve({ status: up.statusCode ?? 502, headers, body: Buffer.concat(parts) });
          });
          up.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });
  }

  private json(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  private serverError(res: ServerResponse): void {
    this.stats.error5xx++;
    if (this.options.style === 'jdy')
      this.json(res, 503, { errcode: 503, description: '服务繁忙', data: null });
    else {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('injected');
    }
  }

  /** Never answered and never forwarded: the client's own timeout ends it. */
  private hold(res: ServerResponse): void {
    this.stats.timeout++;
    this.held.add(res);
    const release = setTimeout(() => res.destroy(), 120_000);
    res.on('close', () => {
      clearTimeout(release);
      this.held.delete(res);
    });
  }

  private throttle(res: ServerResponse): void {
    this.stats.throttled++;
    if (this.options.style === 'jdy') {
      this.json(res, 429, { errcode: 429, description: '请求过于频繁', data: null }, { 'retry-after': '2' });
    } else {
      this.json(res, 200, {
        errorCode: 30004,
        errorMessage: '调用频率过高',
        errorDescription: '',
        traceId: 'storm',
      });
    }
  }

  private dataError(res: ServerResponse, path: string, key: string): void {
    this.stats.dataErrors.push({ path, key });
    if (this.options.style === 'jdy') {
      this.json(res, 200, { errcode: 1030002010, description: INJECTED_DATA_ERROR, data: null });
    } else {
      this.json(res, 200, {
        errorCode: 32000,
        errorMessage: INJECTED_DATA_ERROR,
        errorDescription: '',
        traceId: 'inj',
      });
    }
  }
}
