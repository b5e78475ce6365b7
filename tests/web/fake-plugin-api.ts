/**
 * A FAKE of the plugin API (shared/specs/plugin-api.md) with canned data, used only by
 * tests/web/pages.test.ts to drive the plugin pages in a real browser while the real endpoints are
 * being built. It serves src/web/ through the real web router, checks the CSRF header and the admin
 * flag like the real API, and records every API call so tests can assert what the pages sent.
 */
import type { AddressInfo } from 'node:net';
import { OBJECT_KEYS } from '../../src/sync/keys.js';
import type { Server } from 'node:http';
import express, { type Request, type Response } from 'express';
import { webRouter } from '../../src/http/web.js';

export const CSRF = 'csrf-test-token';

export interface Call {
  method: string;
  path: string;
  query: Record<string, unknown>;
  body: unknown;
}

interface Binding {
  id: string;
  jdyEmpId: string;
  jdyNumber: string;
  jdyName: string;
  jdyMobile: string;
  crmUserId: string | null;
  crmUserName: string | null;
  source: 'auto' | 'manual' | 'import';
}

interface RecordItem {
  id: string;
  object: string;
  direction: 'jdy_to_crm' | 'crm_to_jdy';
  sourceId: string;
  sourceKey: string;
  targetId: string | null;
  status: 'synced' | 'failed' | 'skipped' | 'waiting' | 'pending';
  reason: string | null;
  errorClass: string | null;
  attempts: number;
  updatedAt: string;
}

export interface FakeState {
  signedIn: boolean;
  admin: boolean;
  connection: {
    status: 'none' | 'connected' | 'paused';
    accountId?: string;
    accountName?: string;
    connectedAt?: string;
    pausedReason?: string;
  };
  bindings: Binding[];
  presets: {
    key: string;
    enabled: boolean;
    enabledAt: string | null;
    crmSetup: 'ready' | 'missing';
    missing: { object: string; field: string; label: string; type: string }[];
  }[];
  schedule: {
    mode: 'manual' | 'timed';
    intervalMinutes: number;
    inventoryIntervalMinutes: number;
    window: { start: string; end: string } | null;
  };
  settings: { defaultOwnerId: string | null; notifyUserIds: string[]; autoAuditOrders: boolean };
  runs: unknown[];
  records: RecordItem[];
}

export const CRM_USERS = [
  { crmUserId: 'FSUID_1000', name: '王建国', mobile: '13800000001' },
  { crmUserId: 'FSUID_1001', name: '李娜', mobile: '13911110001' },
  { crmUserId: 'FSUID_1002', name: '张伟', mobile: '13911110002' },
  { crmUserId: 'FSUID_1003', name: '陈静', mobile: '13911110003' },
  { crmUserId: 'FSUID_1004', name: '刘洋', mobile: '13911110004' },
  { crmUserId: 'FSUID_1005', name: '赵敏', mobile: '13911110005' },
];

const EMPLOYEES = [
  { jdyEmpId: 'E1', number: 'ZY001', name: '李娜', mobile: '13911110001' },
  { jdyEmpId: 'E2', number: 'ZY002', name: '张伟', mobile: '13911110002' },
  { jdyEmpId: 'E3', number: 'ZY003', name: '陈静', mobile: '+86 139 1111 0003' },
  { jdyEmpId: 'E4', number: 'ZY004', name: '周杰', mobile: '13600000009' },
  { jdyEmpId: 'E5', number: 'ZY005', name: '刘洋', mobile: '13911110004' },
  { jdyEmpId: 'E6', number: 'ZY006', name: '孙丽', mobile: '' },
];

const OBJECTS = OBJECT_KEYS;
const iso = (minutesAgo: number): string =>
  new Date(Date.UTC(2026, 10, 22, 6, 30) - minutesAgo * 60_000).toISOString();

export const FAILED_ORDER_ID = 'rec-order-failed';

export const FAILED_ORDER_DETAIL = {
  snapshot: JSON.stringify({
    id: 'SO-20261122-0007',
    customer: '杭州西湖名酒行',
    lines: [{ product: 'JX-009', qty: 12 }],
  }),
  mapping: null,
  nextRetryAt: null,
  attemptCount: 2,
  attempts: [
    {
      at: iso(90),
      runId: 'run-5',
      request: JSON.stringify({
        path: '/jdy/v2/scm/sal_order/save',
        body: {
          bill_no: 'SO-20261122-0007',
          customer_id: 'C10086',
          material_entity: [{ material_number: 'JX-009', qty: 12 }],
        },
        headers: { 'X-Api-Auth-Version': '2.0', 'app-token': '[已隐去]' },
      }),
      response: JSON.stringify({ errcode: 2001, description: '商品编码 JX-009 不存在' }),
      error: '订单产品 JX-009 在精斗云中不存在',
    },
    {
      at: iso(15),
      runId: 'run-6',
      request: JSON.stringify({ step: 'map', product: 'JX-009' }),
      response: null,
      error: '订单产品“JX-009 五粮春 52度 500ml”不是从精斗云同步的产品：请先在精斗云建立该商品并同步到纷享',
    },
  ],
};

function initialState(): FakeState {
  const statuses: RecordItem['status'][] = [
    'synced',
    'synced',
    'synced',
    'failed',
    'waiting',
    'synced',
    'skipped',
    'pending',
  ];
  const records: RecordItem[] = [
    {
      id: FAILED_ORDER_ID,
      object: 'salesOrder',
      direction: 'crm_to_jdy',
      sourceId: '6745a0c2e4b0a1b2c3d4e5f6',
      sourceKey: 'SO-20261122-0007',
      targetId: null,
      status: 'failed',
      reason: '订单产品“JX-009 五粮春 52度 500ml”不是从精斗云同步的产品：请先在精斗云建立该商品并同步到纷享',
      errorClass: 'data',
      attempts: 2,
      updatedAt: iso(15),
    },
  ];
  for (let i = 0; i < 44; i++) {
    const object = OBJECTS[i % OBJECTS.length]!;
    const status = statuses[i % statuses.length]!;
    const toJdy = object === 'salesOrder' || (object === 'customer' && i % 2 === 0);
    records.push({
      id: `rec-${i}`,
      object,
      direction: toJdy ? 'crm_to_jdy' : 'jdy_to_crm',
      sourceId: `${toJdy ? '6745' : ''}${100000 + i}`,
      sourceKey:
        object === 'product'
          ? `JX-${String(i).padStart(3, '0')} 五粮液 52度 500ml`
          : `${object.toUpperCase().slice(0, 3)}-${1000 + i}`,
      targetId: status === 'synced' ? `T${200000 + i}` : null,
      status,
      reason:
        status === 'failed'
          ? '计量单位尚未同步到纷享（精斗云单位 箱）'
          : status === 'waiting'
            ? '客户尚未成交，成交后自动同步'
            : status === 'skipped'
              ? '收款单没有关联来自纷享的销售订单'
              : null,
      errorClass: status === 'failed' ? 'data' : null,
      attempts: status === 'synced' ? 1 : status === 'failed' ? 3 : 0,
      updatedAt: iso(30 + i * 7),
    });
  }
  return {
    signedIn: true,
    admin: true,
    connection: {
      status: 'connected',
      accountId: 'A-7788',
      accountName: '杭州醇香酒业有限公司',
      connectedAt: iso(60 * 24),
    },
    bindings: [
      {
        id: 'b1',
        jdyEmpId: 'E1',
        jdyNumber: 'ZY001',
        jdyName: '李娜',
        jdyMobile: '13911110001',
        crmUserId: 'FSUID_1001',
        crmUserName: '李娜',
        source: 'auto',
      },
      {
        id: 'b2',
        jdyEmpId: 'E2',
        jdyNumber: 'ZY002',
        jdyName: '张伟',
        jdyMobile: '13911110002',
        crmUserId: 'FSUID_1002',
        crmUserName: '张伟',
        source: 'import',
      },
      {
        id: 'b3',
        jdyEmpId: 'E4',
        jdyNumber: 'ZY004',
        jdyName: '周杰',
        jdyMobile: '13600000009',
        crmUserId: null,
        crmUserName: null,
        source: 'auto',
      },
      {
        id: 'b4',
        jdyEmpId: 'E5',
        jdyNumber: 'ZY005',
        jdyName: '刘洋',
        jdyMobile: '13911110004',
        crmUserId: 'FSUID_1004',
        crmUserName: '刘洋',
        source: 'manual',
      },
    ],
    presets: [
      { key: 'brand', enabled: true, enabledAt: iso(60 * 23), crmSetup: 'ready', missing: [] },
      {
        key: 'customerCategory',
        enabled: true,
        enabledAt: iso(60 * 2),
        crmSetup: 'missing',
        missing: [
          {
            object: 'object_customer_category__c',
            field: 'object_customer_category__c',
            label: '客户分类',
            type: 'object',
          },
          { object: 'AccountObj', field: 'customer_category__c', label: '客户分类', type: 'lookup' },
        ],
      },
      { key: 'warehouse', enabled: false, enabledAt: null, crmSetup: 'ready', missing: [] },
    ],
    schedule: {
      mode: 'timed',
      intervalMinutes: 5,
      inventoryIntervalMinutes: 1,
      window: { start: '08:00', end: '20:00' },
    },
    settings: {
      defaultOwnerId: 'FSUID_1000',
      notifyUserIds: ['FSUID_1000', 'FSUID_1003'],
      autoAuditOrders: false,
    },
    runs: [
      {
        runId: 'run-7',
        trigger: 'initial',
        objects: ['customerCategory', 'productCategory', 'unit', 'product', 'customer'],
        status: 'running',
        startedAt: iso(3),
        finishedAt: null,
        counts: { seen: 1840, created: 1700, updated: 0, unchanged: 0, skipped: 0, waiting: 0, failed: 12 },
        progress: {
          customerCategory: { status: 'done', seen: 12 },
          productCategory: { status: 'done', seen: 36 },
          unit: { status: 'done', seen: 18 },
          product: { status: 'running', seen: 1774, total: 5200 },
          customer: { status: 'pending', seen: 0 },
        },
      },
      {
        runId: 'run-6',
        trigger: 'timed',
        objects: ['product', 'payment', 'deliveryNote', 'inventory'],
        status: 'completed_with_errors',
        startedAt: iso(15),
        finishedAt: iso(14),
        counts: { seen: 40, created: 3, updated: 30, unchanged: 5, skipped: 1, waiting: 0, failed: 1 },
        progress: {},
      },
      {
        runId: 'run-5',
        trigger: 'manual',
        objects: ['salesOrder'],
        status: 'completed',
        startedAt: iso(90),
        finishedAt: iso(89),
        counts: { seen: 6, created: 5, updated: 1, unchanged: 0, skipped: 0, waiting: 0, failed: 0 },
        progress: {},
      },
    ],
    records,
  };
}

function fail(
  res: Response,
  status: number,
  code: string,
  message: string,
  details: { field: string; message: string }[] = [],
): void {
  res.status(status).json({ error: { code, message, details } });
}

function xlsx(res: Response, name: string): void {
  res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  res.setHeader(
    'Content-Disposition',
    `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
  );
  res.send(Buffer.from('PK fake xlsx'));
}

export interface FakePluginApi {
  url: string;
  state: FakeState;
  calls: Call[];
  reset(): void;
  close(): Promise<void>;
}

export async function startFakePluginApi(): Promise<FakePluginApi> {
  const app = express();
  const calls: Call[] = [];
  const fake = { state: initialState() };
  const st = (): FakeState => fake.state;

  app.use('/app', webRouter({ frameAnyOrigin: true }));
  app.use('/api', express.json());
  app.use('/api', (req, res, next) => {
    calls.push({ method: req.method, path: req.path, query: { ...req.query }, body: req.body as unknown });
    if (!st().signedIn) return fail(res, 401, 'unauthenticated', '请先登录');
    if (req.method !== 'GET') {
      if (req.get('x-csrf-token') !== CSRF) return fail(res, 403, 'csrf_failed', '页面已过期，请刷新后重试');
      if (!st().admin) return fail(res, 403, 'admin_required', '只有 CRM 管理员可以进行此操作');
    }
    next();
  });
  const body = (req: Request): Record<string, unknown> =>
    req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};

  app.get('/api/session', (_req, res) => {
    res.json({
      tenantId: 't-1',
      corpId: 'FSCorp_1',
      user: { openUserId: 'FSUID_1000', name: st().admin ? '王建国' : '李娜', isAdmin: st().admin },
      csrfToken: CSRF,
    });
  });

  // JDY connection.
  app.get('/api/jdy/connection', (_req, res) => res.json(st().connection));
  app.post('/api/jdy/login', (req, res) => {
    const { mobile, password } = body(req);
    if (typeof mobile !== 'string' || !/^1[3-9]\d{9}$/.test(mobile))
      return fail(res, 400, 'invalid_input', '输入有误', [
        { field: 'mobile', message: '请输入 11 位中国大陆手机号' },
      ]);
    if (password !== 'demo1234')
      return fail(res, 422, 'jdy_login_failed', '精斗云登录失败：账号或密码错误（剩余 4 次尝试）');
    res.json({
      loginId: 'login-1',
      expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(),
      accountSets: [
        {
          serviceId: 'S1',
          accountId: 'A-7788',
          accountName: '杭州醇香酒业有限公司',
          groupName: '醇香集团',
          authorised: true,
        },
        {
          serviceId: 'S2',
          accountId: 'A-9901',
          accountName: '醇香酒业（测试账套）',
          groupName: '醇香集团',
          authorised: false,
        },
      ],
    });
  });
  app.post('/api/jdy/connect', (req, res) => {
    const { accountId } = body(req);
    if (accountId !== 'A-7788') return fail(res, 422, 'account_not_authorised', '该账套未授权本应用');
    st().connection = {
      status: 'connected',
      accountId: 'A-7788',
      accountName: '杭州醇香酒业有限公司',
      connectedAt: new Date().toISOString(),
    };
    res.json(st().connection);
  });
  app.post('/api/jdy/reset', (req, res) => {
    if (body(req).confirm !== st().connection.accountName)
      return fail(res, 400, 'confirm_mismatch', '确认文字与账套名称不一致');
    st().connection = { status: 'none' };
    res.json({ ok: true });
  });

  // Bindings.
  app.get('/api/jdy/employees', (_req, res) =>
    res.json(
      EMPLOYEES.map((e) => ({
        ...e,
        bound: st().bindings.some((b) => b.jdyEmpId === e.jdyEmpId && b.crmUserId !== null),
      })),
    ),
  );
  app.get('/api/crm-users', (_req, res) => res.json(CRM_USERS));
  app.post('/api/bindings/from-jdy', (req, res) => {
    const ids = body(req).jdyEmpIds;
    if (!Array.isArray(ids) || ids.length === 0) return fail(res, 400, 'invalid_input', '请选择职员');
    const created: Array<Binding & { reason: string | null }> = [];
    for (const id of ids) {
      const e = EMPLOYEES.find((x) => x.jdyEmpId === id);
      if (!e) continue;
      const digits = e.mobile.replace(/\D/g, '').replace(/^86(?=1\d{10}$)/, '');
      const user = CRM_USERS.find(
        (u) => u.mobile === digits && !st().bindings.some((b) => b.crmUserId === u.crmUserId),
      );
      const b: Binding = {
        id: `b-${id}`,
        jdyEmpId: e.jdyEmpId,
        jdyNumber: e.number,
        jdyName: e.name,
        jdyMobile: e.mobile,
        crmUserId: user?.crmUserId ?? null,
        crmUserName: user?.name ?? null,
        source: 'auto',
      };
      st().bindings = [...st().bindings.filter((x) => x.jdyEmpId !== id), b];
      created.push({
        ...b,
        reason: user ? null : `纷享销客中没有手机号为 ${digits} 的员工，请手动选择纷享员工`,
      });
    }
    res.json(created);
  });
  app.get('/api/bindings', (_req, res) => res.json(st().bindings));
  app.get('/api/bindings/template', (_req, res) => xlsx(res, '员工绑定模板.xlsx'));
  app.get('/api/bindings/export', (_req, res) => xlsx(res, '员工绑定.xlsx'));
  app.post('/api/bindings/import', (req, res) => {
    req.resume();
    req.on('end', () => {
      const mode = String(req.query.mode ?? '');
      if (!['check', 'apply', 'apply-valid'].includes(mode))
        return fail(res, 400, 'invalid_mode', '导入方式无效');
      const rows = [
        { row: 2, status: 'ok', errors: [] },
        {
          row: 3,
          status: 'error',
          errors: [{ column: '精斗云职员编码', message: '精斗云中没有编码为 ZY099 的职员' }],
        },
        { row: 4, status: 'ok', errors: [] },
        {
          row: 5,
          status: 'error',
          errors: [
            { column: '纷享员工手机', message: '“1391111” 不是手机号' },
            { column: '纷享员工手机', message: '纷享中没有这个手机号的员工' },
          ],
        },
        {
          row: 6,
          status: 'error',
          errors: [{ column: '精斗云职员编码', message: '与第 2 行重复绑定同一名职员' }],
        },
      ];
      // Like the real API: "apply" writes nothing when any row is wrong, and answers the report.
      res.json({ rows, applied: mode === 'apply-valid' ? 2 : 0 });
    });
  });
  app.put('/api/bindings/:id', (req, res) => {
    const b = st().bindings.find((x) => x.id === req.params.id);
    if (!b) return fail(res, 404, 'not_found', '未找到该记录');
    const crmUserId = body(req).crmUserId;
    const user = CRM_USERS.find((u) => u.crmUserId === crmUserId) ?? null;
    b.crmUserId = user?.crmUserId ?? null;
    b.crmUserName = user?.name ?? null;
    b.source = 'manual';
    res.json(b);
  });
  app.delete('/api/bindings/:id', (req, res) => {
    st().bindings = st().bindings.filter((x) => x.id !== req.params.id);
    res.status(204).end();
  });

  // Presets, schedule, settings.
  app.get('/api/presets', (_req, res) => res.json(st().presets));
  app.post('/api/presets/:key/enable', (req, res) => {
    const p = st().presets.find((x) => x.key === req.params.key);
    if (!p) return fail(res, 404, 'not_found', '未找到该预设');
    if (p.enabled) return fail(res, 409, 'preset_on', '该预设已开启');
    Object.assign(p, { enabled: true, enabledAt: new Date().toISOString() });
    res.json(p);
  });
  app.post('/api/crm-fields/check', (_req, res) =>
    res.json({ missing: st().presets.flatMap((p) => (p.enabled ? p.missing : [])) }),
  );
  app.get('/api/schedule', (_req, res) => res.json(st().schedule));
  app.put('/api/schedule', (req, res) => {
    const b = body(req);
    if (typeof b.intervalMinutes !== 'number' || b.intervalMinutes < 1)
      return fail(res, 400, 'invalid_input', '输入有误', [
        { field: 'intervalMinutes', message: '同步间隔最少 1 分钟' },
      ]);
    st().schedule = b as FakeState['schedule'];
    res.json(st().schedule);
  });
  app.get('/api/settings', (_req, res) => res.json(st().settings));
  app.put('/api/settings', (req, res) => {
    st().settings = body(req) as FakeState['settings'];
    res.json(st().settings);
  });

  // Runs, overview.
  app.post('/api/sync/run', (_req, res) => {
    if (st().connection.status === 'none')
      return fail(res, 409, 'not_connected', '还没有连接精斗云，不能同步');
    res.status(202).json({ runId: 'run-8' });
  });
  app.get('/api/sync/runs', (_req, res) => res.json(st().runs));
  app.get('/api/overview', (_req, res) => {
    const c = (synced: number, failed: number, waiting: number) => ({
      synced,
      failed,
      waiting,
      total: synced + failed + waiting,
    });
    res.json({
      jdy_to_crm: {
        customerCategory: c(12, 0, 0),
        productCategory: c(36, 0, 0),
        unit: c(18, 0, 0),
        product: c(1762, 12, 0),
        customer: c(0, 0, 0),
        payment: c(214, 1, 3),
        deliveryNote: c(187, 0, 2),
        inventory: c(3420, 0, 0),
      },
      crm_to_jdy: { customer: c(96, 0, 41), salesOrder: c(228, 1, 4) },
      lastRunAt: iso(15),
      nextRunAt: iso(-5),
    });
  });

  // Records.
  const filtered = (req: Request): RecordItem[] => {
    const q = req.query as Record<string, string | undefined>;
    return st().records.filter(
      (r) =>
        (!q.object || r.object === q.object) &&
        (!q.direction || r.direction === q.direction) &&
        (!q.status || r.status === q.status) &&
        (!q.q || `${r.sourceKey} ${r.sourceId} ${r.targetId ?? ''}`.includes(q.q)),
    );
  };
  app.get('/api/records/export', (_req, res) => xlsx(res, '同步日志.xlsx'));
  app.get('/api/records', (req, res) => {
    const all = filtered(req);
    const page = Number(req.query.page ?? 1);
    const pageSize = Number(req.query.pageSize ?? 20);
    res.json({ total: all.length, items: all.slice((page - 1) * pageSize, page * pageSize) });
  });
  app.get('/api/records/:id', (req, res) => {
    const r = st().records.find((x) => x.id === req.params.id);
    if (!r) return fail(res, 404, 'not_found', '未找到该记录');
    res.json({
      ...r,
      ...(r.id === FAILED_ORDER_ID
        ? FAILED_ORDER_DETAIL
        : { attempts: [], attemptCount: 0, mapping: null, snapshot: null }),
    });
  });
  app.post('/api/records/:id/retry', (_req, res) => res.status(202).json({ queued: true }));
  app.delete('/api/records/:id/mapping', (_req, res) => res.status(204).end());

  app.use('/api', (_req, res) => fail(res, 404, 'not_found', '请求的地址不存在'));

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get state() {
      return fake.state;
    },
    calls,
    reset() {
      fake.state = initialState();
      calls.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}
