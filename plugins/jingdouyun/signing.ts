import { createHmac } from 'node:crypto';

/**
 * Jingdouyun gateway signing (contract §2.5, §2.7), shared by the client and the sandbox so both
 * sides are checked against the same test vectors.
 */

/** RFC 3986 strict percent-encoding: everything but A-Z a-z 0-9 - _ . ~ becomes %XX (upper-case). */
export function enc(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Base64 of the lower-case hex text of HMAC-SHA256 (not of the raw digest). */
export function hmacHexBase64(key: string, message: string): string {
  const hex = createHmac('sha256', key).update(message, 'utf8').digest('hex');
  return Buffer.from(hex, 'utf8').toString('base64');
}

/** app_signature of step 4: HMAC(appSecret, appKey). */
export function appSignature(appKey: string, appSecret: string): string {
  return hmacHexBase64(appSecret, appKey);
}

export type QueryPairs = ReadonlyArray<readonly [string, string]>;

/** Canonical query: key=enc(enc(value)), stable-sorted by key in ASCII order, joined with &. */
export function canonicalQuery(pairs: QueryPairs): string {
  return pairs
    .map(([k, v], i) => ({ k, v, i }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.i - b.i))
    .map(({ k, v }) => `${k}=${enc(enc(v))}`)
    .join('&');
}

export function stringToSign(
  method: string,
  path: string,
  pairs: QueryPairs,
  nonce: string,
  timestamp: string,
): string {
  return [
    method.toUpperCase(),
    enc(path),
    canonicalQuery(pairs),
    `x-api-nonce:${nonce}`,
    `x-api-timestamp:${timestamp}`,
  ]
    .map((line) => `${line}\n`)
    .join('');
}

export function signRequest(
  clientSecret: string,
  method: string,
  path: string,
  pairs: QueryPairs,
  nonce: string,
  timestamp: string,
): string {
  return hmacHexBase64(clientSecret, stringToSign(method, path, pairs, nonce, timestamp));
}

/** The query string as sent on the wire: values encoded once with enc, in the given order. */
export function wireQuery(pairs: QueryPairs): string {
  return pairs.map(([k, v]) => `${k}=${enc(v)}`).join('&');
}
