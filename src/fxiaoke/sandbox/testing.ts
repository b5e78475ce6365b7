/** A small harness for tests and benchmarks: a running sandbox with one seeded test tenant. */
import { startFxSandbox, type RunningFxSandbox } from './index.js';

export const TEST_APP = {
  appId: 'FSAID_TEST0001',
  appSecret: 'testSecret',
  token: 'sandboxToken123',
  encodingAesKey: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8',
} as const;
export const TEST_CORP = 'FSCID_0123456789ABCDEF0123456789ABCDEF';
export const TEST_CODE = 'PC_test_0001';
export const ADMIN = 'FSUID_00000000000000000000000000000001';
export const USER = 'FSUID_00000000000000000000000000000002';
export const STOPPED = 'FSUID_00000000000000000000000000000003';
/** A second enterprise, for tenant-isolation tests. */
export const CORP_B = 'FSCID_B0000000000000000000000000000000';
export const CODE_B = 'PC_test_B';
export const ADMIN_B = 'FSUID_B0000000000000000000000000000001';

export interface Answer {
  status: number;
  json: Record<string, unknown>;
  text: string;
}

export class SandboxHarness {
  corpToken = '';
  private constructor(readonly sb: RunningFxSandbox) {}

  static async start(): Promise<SandboxHarness> {
    const h = new SandboxHarness(await startFxSandbox());
    await h.ctl('/seed', {
      tenants: [{ corpId: TEST_CORP, name: '测试企业', permanentCode: TEST_CODE, ...TEST_APP }],
      users: [
        { corpId: TEST_CORP, openUserId: ADMIN, name: '张三', mobile: '13800000001', isCrmAdmin: true },
        { corpId: TEST_CORP, openUserId: USER, name: '李四', mobile: '13800000002' },
        { corpId: TEST_CORP, openUserId: STOPPED, name: '王五', mobile: '13800000003', isStop: true },
      ],
    });
    await h.refreshToken();
    return h;
  }

  async refreshToken(): Promise<string> {
    const r = await this.post('/cgi/corpAccessToken/get/V2', {
      appId: TEST_APP.appId,
      appSecret: TEST_APP.appSecret,
      permanentCode: TEST_CODE,
    });
    this.corpToken = String(r.json.corpAccessToken);
    return this.corpToken;
  }

  async post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const res = await fetch(this.sb.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null) json = parsed as Record<string, unknown>;
    } catch {
      // text answers (404, 405, injected statuses) keep an empty json
    }
    return { status: res.status, json, text };
  }

  /** A CRM call as `user` (default the admin) with the current corp token. */
  crm(path: string, body: Record<string, unknown>, user: string = ADMIN): Promise<Answer> {
    return this.post(path, {
      corpAccessToken: this.corpToken,
      corpId: TEST_CORP,
      currentOpenUserId: user,
      ...body,
    });
  }

  /** A directory/media/message call with the corp token at the top level. */
  corp(path: string, body: Record<string, unknown>): Promise<Answer> {
    return this.post(path, { corpAccessToken: this.corpToken, corpId: TEST_CORP, ...body });
  }

  async ctl(path: string, body?: unknown, method = 'POST'): Promise<Answer> {
    const res = await fetch(`${this.sb.url}/__sandbox${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return {
      status: res.status,
      json: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {},
      text,
    };
  }

  close(): Promise<void> {
    return this.sb.close();
  }
}
