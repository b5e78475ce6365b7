import { appSignature } from '../signing.js';
import type { Query } from './resources/common.js';
import { g3Fail, g3Ok, type Reply } from './reply.js';
import { randomToken, type SandboxState } from './state.js';

const MOBILE_RE = /^1[3-9]\d{9}$/;
const PASSPORT_FIELDS = ['client_id', 'client_secret', 'username', 'password'] as const;

/** Step 1 (§2.2): body fields win over query fields. */
export function passportLogin(state: SandboxState, q: Query, form: URLSearchParams | null): Reply {
  const value = (key: string): string | undefined => {
    const fromBody = form?.get(key);
    return fromBody !== null && fromBody !== undefined ? fromBody : q.first(key);
  };
  for (const field of PASSPORT_FIELDS) {
    const v = value(field);
    if (v === undefined || v === '') return g3Fail(1030002000, `${field}不能为空`);
  }
  const app = state.apps.get(value('client_id')!);
  if (!app || app.client_secret !== value('client_secret')) return g3Fail(1020002008, '应用凭证有误');
  const username = value('username')!;
  if (!MOBILE_RE.test(username)) return g3Fail(1020002008, '仅手机号账号可以使用开放平台接口');
  const user = [...state.users.values()].find((u) => u.username === username);
  if (!user || user.password !== value('password')) return g3Fail(1020002008, '用户名或密码错误');
  const ttl = state.settings.passport_token_ttl_s;
  const token = randomToken();
  const expires = state.now() + ttl * 1000;
  state.passportTokens.set(token, { uid: user.uid, expires });
  return g3Ok({
    access_token: token,
    expires_in: ttl,
    expires,
    uid: user.uid,
    nickname: user.nickname,
    avatar: '',
    gender: 0,
  });
}

/** Step 2 (§2.3), older envelope. */
export function accountGroups(state: SandboxState, q: Query): Reply {
  const token = q.first('access_token');
  const session = token ? state.passportTokens.get(token) : undefined;
  if (!session || state.now() >= session.expires) {
    return {
      status: 401,
      body: { success: false, errorCode: '401', message: 'access_token无效', data: null },
    };
  }
  const services: { serviceId: string; accountGroups: unknown[] }[] = [];
  for (const set of state.accountSets.values()) {
    if (!set.members.includes(session.uid)) continue;
    let service = services.find((s) => s.serviceId === set.service_id);
    if (!service) services.push((service = { serviceId: set.service_id, accountGroups: [] }));
    service.accountGroups.push({
      accountId: set.account_id,
      accountName: set.account_name,
      groupId: set.group_id,
      groupName: set.group_name,
      enable: set.enable,
    });
  }
  return { status: 200, body: { success: true, errorCode: '', message: '', data: services } };
}

/** Step 3 (§2.4): every authorisation of the calling client, optionally by outerInstanceId. */
export function pushAppAuthorize(state: SandboxState, clientId: string, q: Query): Reply {
  const outer = q.first('outerInstanceId');
  const rows = state.authorizations
    .filter((a) => a.client_id === clientId && (outer === undefined || a.outer_instance_id === outer))
    .map((a) => {
      const set = state.accountSets.get(a.account_id)!;
      return {
        appKey: a.app_key,
        appSecret: a.app_secret,
        accountId: a.account_id,
        accountName: set.account_name,
        agreementCompanyName: a.agreement_company_name,
        serviceId: set.service_id,
        outerInstanceId: a.outer_instance_id,
        domain: set.domain,
        groupName: set.group_name,
        status: a.status,
      };
    });
  return g3Ok(rows);
}

/** Step 4 (§2.5): checks in the contract's order, then a fresh app-token. */
export function kingdeeAuthToken(state: SandboxState, clientId: string, q: Query): Reply {
  const appKey = q.first('app_key');
  if (!appKey) return g3Fail(1030002000, 'app_key不能为空');
  const signature = q.first('app_signature');
  if (!signature) return g3Fail(1030002000, 'app_signature不能为空');
  const auth = state.authorizations.find((a) => a.app_key === appKey && a.client_id === clientId);
  if (!auth) return g3Fail(1020002008, 'app_key无效');
  const withAccount = (r: Reply): Reply => ({ ...r, accountId: auth.account_id });
  if (auth.status !== '1') return withAccount(g3Fail(1020002008, '应用授权已取消'));
  const set = state.accountSets.get(auth.account_id)!;
  if (set.enable !== '1') return withAccount(g3Fail(1020002008, '账套已停用'));
  if (signature !== appSignature(auth.app_key, auth.app_secret)) {
    return withAccount(g3Fail(1030002006, '授权密钥校验失败，请获取最新密钥'));
  }
  const uidText = q.first('uid');
  let uid = set.admin_uid;
  if (uidText !== undefined && uidText !== '') {
    const wanted = /^\d{1,15}$/.test(uidText) ? Number(uidText) : NaN;
    if (!set.members.includes(wanted)) return withAccount(g3Fail(1030002003, `用户[${uidText}]不存在`));
    uid = wanted;
  }
  const token = randomToken();
  const expires = state.now() + state.settings.app_token_ttl_ms;
  state.appTokens.set(token, {
    client_id: clientId,
    app_key: appKey,
    account_id: set.account_id,
    uid,
    expires,
    revoked: false,
  });
  return withAccount(g3Ok({ 'app-token': token, access_token: token, expires, uid }));
}
