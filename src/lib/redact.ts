/**
 * Removes secrets from anything about to be logged or stored (request/response logs of sync
 * attempts, error details). Keys are matched by name at any depth; values that look like bearer
 * tokens in headers are masked too. Always returns a copy.
 */
const SECRET_KEY_RE =
  /pass(word)?|secret|token|signature|permanent_?code|aes_?key|authorization|cookie|app_?key|codeSig|^sig$|^code$|x-api-signature|csrf/i;

export const REDACTED = '***';

export function isSecretKey(key: string): boolean {
  return SECRET_KEY_RE.test(key);
}

export function redact<T>(value: T, depth = 0): T {
  if (depth > 20) return REDACTED as T;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = isSecretKey(k) && v !== null && v !== undefined && v !== '' ? REDACTED : redact(v, depth + 1);
    }
    return out as T;
  }
  return value;
}

/** Masks secret query parameters inside a URL (e.g. access_token=…, password=…). */
export function redactUrl(url: string): string {
  return url.replace(/([?&])([^=&#]+)=([^&#]*)/g, (all, sep: string, key: string) =>
    isSecretKey(decodeURIComponent(key)) ? `${sep}${key}=${REDACTED}` : all,
  );
}
