import { isRecord } from './parse.js';
import { ACCOUNT_SET_DISABLED, ACCOUNT_SET_DISABLED_TEXT, CREDENTIALS_WRONG, jdyError } from './errors.js';
import { JdyTransport, type JdyConnection } from './transport.js';

/** Only 11-digit mainland mobile numbers can use the open platform (§2.2 rule 3). */
export const MOBILE_RE = /^1[3-9]\d{9}$/;

export interface JdyAccountSetInfo {
  serviceId: string;
  accountId: string;
  accountName: string;
  groupId: string;
  groupName: string;
  enabled: boolean;
}

/** Result of steps 1–2. The passport token is only good for the connection flow. */
export interface JdyPassportLogin {
  passportToken: string;
  uid: string;
  nickname: string;
  accountSets: JdyAccountSetInfo[];
}

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
/** `enable` comes as "1"/"0" from the sandbox; the real service has been seen sending 1 or true. */
const isEnabled = (v: unknown): boolean => v === '1' || v === 1 || v === true;

function accountSetsOf(data: readonly unknown[]): JdyAccountSetInfo[] {
  const sets: JdyAccountSetInfo[] = [];
  for (const service of data) {
    if (!isRecord(service) || !Array.isArray(service.accountGroups)) continue;
    for (const g of service.accountGroups) {
      if (!isRecord(g)) continue;
      sets.push({
        serviceId: str(service.serviceId),
        accountId: str(g.accountId),
        accountName: str(g.accountName),
        groupId: str(g.groupId),
        groupName: str(g.groupName),
        enabled: isEnabled(g.enable),
      });
    }
  }
  return sets;
}

/** Steps 1–2 (§2.2–2.3): the password is used here only and never stored or logged. */
export async function login(
  transport: JdyTransport,
  mobile: string,
  password: string,
): Promise<JdyPassportLogin> {
  const username = mobile.trim();
  if (!MOBILE_RE.test(username)) {
    throw jdyError(CREDENTIALS_WRONG, '仅手机号账号可以使用开放平台接口', { errorClass: 'auth' });
  }
  const data = await transport.passportLogin(username, password);
  const passportToken = str(data.access_token);
  if (!passportToken) throw jdyError('bad_answer', '登录应答缺少 access_token', { errorClass: 'unexpected' });
  const groups = await transport.accountGroups(passportToken);
  return {
    passportToken,
    uid: str(data.uid),
    nickname: str(data.nickname),
    accountSets: accountSetsOf(groups),
  };
}

/**
 * Steps 3–4 (§2.4–2.5, §9.2): the account set must be one of the user's and enabled, and must have an
 * active authorisation of this app; the first app-token is fetched (and cached) to prove it works.
 */
export async function connectAccountSet(
  transport: JdyTransport,
  passport: JdyPassportLogin,
  accountId: string,
  outerInstanceId?: string,
): Promise<JdyConnection> {
  const set = passport.accountSets.find((s) => s.accountId === accountId);
  if (!set) throw JdyTransport.notAuthorised();
  if (!set.enabled) throw jdyError(ACCOUNT_SET_DISABLED, ACCOUNT_SET_DISABLED_TEXT, { errorClass: 'auth' });
  const row = JdyTransport.activeRow(await transport.pushAppAuthorize(outerInstanceId), accountId);
  if (!row) throw JdyTransport.notAuthorised();
  const conn: JdyConnection = {
    accountId,
    appKey: row.appKey,
    appSecret: row.appSecret,
    domain: row.domain,
    groupName: row.groupName || set.groupName,
  };
  await transport.session(conn).ensureToken();
  return conn;
}
