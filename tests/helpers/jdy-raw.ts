import { randomInt } from 'node:crypto';
import { appSignature, signRequest, wireQuery, type QueryPairs } from '../../plugins/jingdouyun/signing.js';

/** A tiny signed-request helper for sandbox tests: signs exactly the query it sends (§2.7). */
export interface JdyRawTarget {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  appToken?: string;
  routerAddr?: string;
}

export interface RawOptions {
  query?: QueryPairs;
  /** JSON-encoded unless a string or FormData. */
  body?: unknown;
  headers?: Record<string, string>;
  timestamp?: string;
  nonce?: string;
  /** Skip the signature headers entirely. */
  unsigned?: boolean;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  body: unknown;
  json: Record<string, unknown>;
}

export async function jdyRaw(
  target: JdyRawTarget,
  method: string,
  path: string,
  opts: RawOptions = {},
): Promise<RawResponse> {
  const pairs = opts.query ?? [];
  const timestamp = opts.timestamp ?? String(Date.now());
  const nonce = opts.nonce ?? String(randomInt(1, 2 ** 47));
  const headers: Record<string, string> = {};
  if (!opts.unsigned) {
    headers['X-Api-ClientID'] = target.clientId;
    headers['X-Api-Auth-Version'] = '2.0';
    headers['X-Api-TimeStamp'] = timestamp;
    headers['X-Api-Nonce'] = nonce;
    headers['X-Api-SignHeaders'] = 'X-Api-TimeStamp,X-Api-Nonce';
    headers['X-Api-Signature'] = signRequest(target.clientSecret, method, path, pairs, nonce, timestamp);
  }
  if (target.appToken) headers['app-token'] = target.appToken;
  if (target.routerAddr) headers['X-GW-Router-Addr'] = target.routerAddr;
  let body: string | FormData | undefined;
  if (opts.body instanceof FormData) body = opts.body;
  else if (typeof opts.body === 'string') body = opts.body;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (typeof body === 'string') headers['Content-Type'] = 'application/json';
  Object.assign(headers, opts.headers ?? {});
  const qs = pairs.length ? `?${wireQuery(pairs)}` : '';
  const res = await fetch(`${target.baseUrl}${path}${qs}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  const json = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  return { status: res.status, headers: res.headers, body: parsed, json };
}

/** Calls the unsigned control API; returns status and parsed body. */
export async function control(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${baseUrl}/__sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** Step 4 of the connection flow: a fresh app-token for an authorisation. */
export async function fetchAppToken(
  target: JdyRawTarget,
  appKey: string,
  appSecret: string,
): Promise<RawResponse & { token: string | null }> {
  const res = await jdyRaw(
    { ...target, appToken: undefined, routerAddr: undefined },
    'GET',
    '/jdyconnector/app_management/kingdee_auth_token',
    {
      query: [
        ['app_key', appKey],
        ['app_signature', appSignature(appKey, appSecret)],
      ],
    },
  );
  const data = res.json.data as Record<string, unknown> | null | undefined;
  return { ...res, token: typeof data?.['app-token'] === 'string' ? (data['app-token'] as string) : null };
}

/** The `data` of a G3 success envelope, or a thrown error showing the envelope. */
export function dataOf<T = Record<string, unknown>>(res: RawResponse): T {
  if (res.status !== 200 || res.json.errcode !== 0) {
    throw new Error(`unexpected response ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return res.json.data as T;
}
