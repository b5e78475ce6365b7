/** The install push of §2.2: encrypt, sign, POST to the callback, one retry 1000 ms after a failure. */
import { encryptPush, pushSignature } from '../crypto.js';
import { alnum, type App, type SandboxState, type Tenant } from './state.js';

export interface PushAttempt {
  attempt: number;
  httpStatus: number | null;
  body: string | null;
  error: string | null;
  elapsedMs: number;
}

async function attempt(n: number, url: string, payload: string): Promise<PushAttempt> {
  const started = Date.now();
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: payload,
      signal: AbortSignal.timeout(3000),
    });
    const body = await res.text();
    const ok = res.status === 200 && body.trim() === 'success';
    return {
      attempt: n,
      httpStatus: res.status,
      body,
      error: ok ? null : `unexpected answer: HTTP ${res.status}`,
      elapsedMs: Date.now() - started,
    };
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return { attempt: n, httpStatus: null, body: null, error: msg, elapsedMs: Date.now() - started };
  }
}

/** Applies the state change first (whatever the outcome), then pushes. */
export async function installPush(
  st: SandboxState,
  tenant: Tenant,
  app: App,
  type: 'PermanentCode' | 'CancelPermanentCode',
  url: string,
): Promise<{ delivered: boolean; message: { type: string; content: string }; attempts: PushAttempt[] }> {
  if (type === 'PermanentCode') tenant.authorized = true;
  else {
    tenant.authorized = false;
    revokeCorpTokens(st, tenant);
  }
  const message = { type, content: tenant.permanentCode };
  const content = encryptPush(app.encodingAesKey, app.appId, JSON.stringify(message));
  const nonce = alnum(16);
  const timeStamp = String(st.now());
  const payload = JSON.stringify({
    nonce,
    timeStamp,
    content,
    sig: pushSignature(app.token, timeStamp, nonce, content),
  });
  const attempts = [await attempt(1, url, payload)];
  if (attempts[0]?.error !== null) {
    await new Promise((r) => setTimeout(r, 1000));
    attempts.push(await attempt(2, url, payload));
  }
  return { delivered: attempts[attempts.length - 1]?.error === null, message, attempts };
}

/** Invalidates every corp token of the tenant; answers how many were still valid. */
export function revokeCorpTokens(st: SandboxState, tenant: Tenant): number {
  let n = 0;
  for (const t of st.tokens.values()) {
    if (t.kind === 'corp' && t.corpId === tenant.corpId && !t.revoked) {
      if (st.tokenValid(t)) n += 1;
      t.revoked = true;
    }
  }
  tenant.tokens.current = null;
  return n;
}
