/** Token and code endpoints (§2.3, §2.4): their own checks, same-token rule and token-call limit. */
import { fail, MSG, type Json } from './errors.js';
import { hex, type App, type SandboxState, type Token, type TokenIssuer } from './state.js';

const LIFETIME = 7_200_000;
const REUSE = 6_600_000;

/** Rows 6–7 of §2.3, then the same-token rule. */
function issue(
  st: SandboxState,
  issuer: TokenIssuer,
  make: () => Token,
): { token: Token; expiresIn: number } {
  if (issuer.inFlight > 1) fail(30004, MSG.freq);
  const now = st.now();
  if (st.tokenRateLimit) {
    issuer.calls = issuer.calls.filter((t) => t > now - 60_000);
    if (issuer.calls.length >= 10) fail(30004, MSG.freq);
    issuer.calls.push(now);
  }
  const cur = issuer.current;
  if (cur && st.tokenValid(cur) && now - cur.issuedAt < REUSE) {
    return { token: cur, expiresIn: Math.floor((cur.issuedAt + LIFETIME - now) / 1000) };
  }
  const token = make();
  st.tokens.set(token.value, token);
  issuer.current = token;
  return { token, expiresIn: 7200 };
}

function appOf(st: SandboxState, body: Json): App {
  const app = typeof body.appId === 'string' ? st.apps.get(body.appId) : undefined;
  if (!app) return fail(10006, MSG.param('appId'));
  if (body.appSecret !== app.appSecret) return fail(10006, MSG.param('appSecret'));
  return app;
}

export function corpAccessToken(st: SandboxState, body: Json): Json {
  const app = appOf(st, body);
  if (typeof body.permanentCode !== 'string' || body.permanentCode === '')
    fail(10006, MSG.param('permanentCode'));
  const tenant = st.tenantByCode(app.appId, body.permanentCode) ?? fail(20015, 'permanentCode is wrong');
  if (!tenant.authorized) fail(20022, 'app not authorized by the tenant');
  const { token, expiresIn } = issue(st, tenant.tokens, () => ({
    value: hex(16, true),
    kind: 'corp',
    corpId: tenant.corpId,
    appId: app.appId,
    issuedAt: st.now(),
    revoked: false,
  }));
  return { corpAccessToken: token.value, corpId: tenant.corpId, expiresIn };
}

export function appAccessToken(st: SandboxState, body: Json): Json {
  const app = appOf(st, body);
  const { token, expiresIn } = issue(st, app.tokens, () => ({
    value: hex(16, true),
    kind: 'app',
    corpId: null,
    appId: app.appId,
    issuedAt: st.now(),
    revoked: false,
  }));
  return { appAccessToken: token.value, expiresIn };
}

export function openUserId(st: SandboxState, body: Json, path: string): Json {
  const t = typeof body.appAccessToken === 'string' ? st.tokens.get(body.appAccessToken) : undefined;
  if (!t || t.kind !== 'app' || !st.tokenValid(t)) return fail(20005, 'appAccessToken is missing or expired');
  if (!st.takeWindow(`app:${t.appId}|${path}`)) fail(30004, MSG.freq);
  if (typeof body.code !== 'string' || body.code === '') fail(10006, MSG.param('code'));
  const code = st.codes.get(body.code as string);
  const usable = code && !code.used && st.now() - code.issuedAt < 300_000 && code.appId === t.appId;
  if (code) code.used = true;
  if (!usable || !code) return fail(20024, 'code is invalid, used or expired');
  return { openUserId: code.openUserId, corpId: code.corpId };
}
