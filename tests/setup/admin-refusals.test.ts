/**
 * Every refusal of the admin-setup API, against the real plugin and both demo sandboxes: the
 * status, `error.code`, a Chinese message, and that nothing changed — for non-admins, another
 * tenant, bad input, repeated presets, a CRM user bound twice, oversized and non-xlsx uploads,
 * a CRM without metadata permission, and a hundred generated malformed sheets.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_ADMIN, DEMO_USER, demoOpenUserId } from '../../src/demo/sandboxes.js';
import { HEADERS, bindingSheet, workbookBuffer } from '../bindings/helpers.js';
import { REFUSALS, malformedSheets } from '../bindings/malformed-sheets.js';
import {
  MAIN_CORP,
  OTHER_CORP,
  fileForm,
  startSetupWorld,
  type Answer,
  type CallOptions,
  type Session,
  type SetupWorld,
} from './setup-world.js';

interface Binding {
  id: string;
  jdyEmpId: string;
  jdyNumber: string;
  crmUserId: string | null;
}

let w: SetupWorld;
let admin: Session;
let user: Session;
let otherAdmin: Session;
let rows: Binding[];

/** Everything these endpoints may write; jobs by what they are (their run times move on their own). */
async function state(): Promise<string> {
  const jobs = (await w.docs('jobs')).map(
    (j) => `${String(j.name)} ${JSON.stringify(j.data)} ${String(j.repeatInterval)}`,
  );
  return JSON.stringify({
    bindings: await w.docs('bindings'),
    claims: await w.docs('binding_claims'),
    settings: await w.docs('settings'),
    jobs: jobs.sort(),
  });
}

function assertRefused(a: Answer, status: number, code: string, what: string): void {
  const error = (a.json as { error?: { code: string; message: string } } | null)?.error;
  assert.equal(a.status, status, `${what}: ${a.status} ${JSON.stringify(a.json)}`);
  assert.equal(error?.code, code, `${what}: code`);
  assert.match(error.message, /\p{Script=Han}/u, `${what}: a Chinese message`);
}

/** The call is refused as expected and leaves every collection it could touch as it was. */
async function refused(
  session: Session | null,
  path: string,
  options: CallOptions,
  status: number,
  code: string,
): Promise<Answer> {
  const before = await state();
  const answer = await w.call(session, path, options);
  assertRefused(answer, status, code, `${options.method ?? 'POST'} ${path}`);
  assert.equal(await state(), before, `${path}: nothing changed`);
  return answer;
}

const put = (json: unknown): CallOptions => ({ method: 'PUT', json });
const schedule = { mode: 'timed', intervalMinutes: 5, inventoryIntervalMinutes: 1, window: null };
const settings = { defaultOwnerId: DEMO_ADMIN.openUserId, notifyUserIds: [], autoAuditOrders: false };

before(async () => {
  w = await startSetupWorld('setup_refusals');
  await w.install(MAIN_CORP);
  await w.install(OTHER_CORP);
  admin = await w.signIn(DEMO_ADMIN.openUserId);
  user = await w.signIn(DEMO_USER.openUserId);
  otherAdmin = await w.signIn(demoOpenUserId(1, 2), OTHER_CORP);
  await w.connectJdy(admin);
  const employees = (await w.call(admin, '/api/jdy/employees')).json as Array<{ jdyEmpId: string }>;
  const bound = await w.call(admin, '/api/bindings/from-jdy', {
    json: { jdyEmpIds: employees.map((e) => e.jdyEmpId) },
  });
  assert.equal(bound.status, 200);
  rows = (await w.call(admin, '/api/bindings')).json as Binding[];
});
after(() => w.stop());

const row = (number: string) => rows.find((r) => r.jdyNumber === number)!;
const bindingPath = (number: string) => `/api/bindings/${encodeURIComponent(row(number).id)}`;

describe('who may do what', () => {
  test('a non-admin gets 403 on every state-changing endpoint, and can still read', async () => {
    const sheet = await bindingSheet([['EMP009', null, null, '13911110010', null]]);
    const cases: Array<[string, CallOptions]> = [
      ['/api/bindings/from-jdy', { json: { jdyEmpIds: [row('EMP009').jdyEmpId] } }],
      ['/api/bindings/import?mode=apply', { form: fileForm(sheet, 'a.xlsx') }],
      [bindingPath('EMP001'), put({ crmUserId: null })],
      [bindingPath('EMP001'), { method: 'DELETE' }],
      ['/api/presets/brand/enable', { json: {} }],
      ['/api/crm-fields/check', { json: {} }],
      ['/api/schedule', put({ ...schedule, mode: 'manual' })],
      ['/api/settings', put(settings)],
    ];
    for (const [path, options] of cases) await refused(user, path, options, 403, 'admin_required');
    for (const path of [
      '/api/bindings',
      '/api/presets',
      '/api/schedule',
      '/api/settings',
      '/api/crm-users',
    ]) {
      assert.equal((await w.call(user, path)).status, 200, path);
    }
  });

  test('without a session 401; without the CSRF header 403', async () => {
    for (const path of ['/api/bindings', '/api/jdy/employees', '/api/presets', '/api/bindings/export']) {
      await refused(null, path, { method: 'GET' }, 401, 'unauthenticated');
    }
    await refused(
      admin,
      bindingPath('EMP001'),
      { ...put({ crmUserId: null }), noCsrf: true },
      403,
      'csrf_failed',
    );
    await refused(admin, '/api/schedule', { ...put(schedule), noCsrf: true }, 403, 'csrf_failed');
  });

  test('another tenant neither sees nor changes these bindings', async () => {
    assert.deepEqual((await w.call(otherAdmin, '/api/bindings')).json, []);
    await refused(otherAdmin, bindingPath('EMP001'), put({ crmUserId: null }), 404, 'not_found');
    await refused(otherAdmin, bindingPath('EMP001'), { method: 'DELETE' }, 404, 'not_found');
    // Its own JDY side is not connected, and naming these employees does not reach them.
    await refused(otherAdmin, '/api/jdy/employees', { method: 'GET' }, 409, 'not_connected');
    await refused(
      otherAdmin,
      '/api/bindings/from-jdy',
      { json: { jdyEmpIds: [row('EMP009').jdyEmpId] } },
      409,
      'not_connected',
    );
    // Its own schedule and settings are its own: saving them leaves this tenant's (and its jobs) alone.
    const before = await w.call(admin, '/api/schedule');
    const jobs = (await w.docs('jobs')).length;
    const otherSchedule = { mode: 'timed', intervalMinutes: 30, inventoryIntervalMinutes: 30, window: null };
    assert.equal((await w.call(otherAdmin, '/api/schedule', put(otherSchedule))).status, 200);
    assert.deepEqual((await w.call(otherAdmin, '/api/schedule')).json, otherSchedule);
    assert.deepEqual((await w.call(admin, '/api/schedule')).json, before.json);
    assert.equal((await w.docs('jobs')).length, jobs, 'no jobs for a tenant that is not connected');
    const export_ = await w.call(otherAdmin, '/api/bindings/export');
    assert.equal(export_.status, 200);
    assert.ok(!export_.body.includes(Buffer.from('EMP001')), 'no employee of the other tenant in its export');
  });
});

describe('bad input', () => {
  test('bindings: 400 for malformed bodies, unknown employees and unknown CRM users; 404 for unknown rows', async () => {
    for (const json of [
      {},
      { jdyEmpIds: [] },
      { jdyEmpIds: 'x' },
      { jdyEmpIds: ['a', 'a'] },
      { jdyEmpIds: ['a'], extra: 1 },
    ]) {
      await refused(admin, '/api/bindings/from-jdy', { json }, 400, 'invalid_input');
    }
    await refused(
      admin,
      '/api/bindings/from-jdy',
      { json: { jdyEmpIds: ['no-such-employee'] } },
      400,
      'unknown_employee',
    );
    for (const json of [{}, { crmUserId: 42 }, { crmUserId: '' }, { crmUserId: null, source: 'auto' }]) {
      await refused(admin, bindingPath('EMP009'), put(json), 400, 'invalid_input');
    }
    await refused(admin, bindingPath('EMP009'), put({ crmUserId: 'FSUID_NOBODY' }), 400, 'unknown_crm_user');
    // A user of the other enterprise is unknown here.
    await refused(
      admin,
      bindingPath('EMP009'),
      put({ crmUserId: demoOpenUserId(2, 2) }),
      400,
      'unknown_crm_user',
    );
    await refused(admin, '/api/bindings/nope', put({ crmUserId: null }), 404, 'not_found');
    await refused(admin, '/api/bindings/nope', { method: 'DELETE' }, 404, 'not_found');
  });

  test('schedule and settings: 400 naming the field', async () => {
    const bad = [
      { ...schedule, mode: 'hourly' },
      { ...schedule, intervalMinutes: 0 },
      { ...schedule, intervalMinutes: 1.5 },
      { ...schedule, inventoryIntervalMinutes: -1 },
      { ...schedule, window: { start: '25:00', end: '08:00' } },
      { ...schedule, window: { start: '8:00', end: '20:00' } },
      { ...schedule, window: { start: '08:00' } },
      { ...schedule, window: { start: '08:00', end: '08:00' } },
      { mode: 'timed' },
      { ...schedule, extra: true },
    ];
    for (const json of bad) {
      const a = await refused(admin, '/api/schedule', put(json), 400, 'invalid_input');
      const details = (a.json as { error: { details: Array<{ field: string }> } }).error.details;
      assert.ok(details.length > 0 && details.every((d) => d.field), JSON.stringify(details));
    }
    for (const json of [
      {},
      { ...settings, autoAuditOrders: 'yes' },
      { ...settings, notifyUserIds: 'a' },
      { ...settings, defaultOwnerId: null },
    ]) {
      await refused(admin, '/api/settings', put(json), 400, 'invalid_input');
    }
    const unknown = await refused(
      admin,
      '/api/settings',
      put({ ...settings, notifyUserIds: ['FSUID_NOBODY'] }),
      400,
      'unknown_crm_user',
    );
    assert.deepEqual(
      (unknown.json as { error: { details: Array<{ field: string }> } }).error.details.map((d) => d.field),
      ['notifyUserIds'],
    );
    await refused(
      admin,
      '/api/settings',
      put({ ...settings, defaultOwnerId: 'FSUID_NOBODY' }),
      400,
      'unknown_crm_user',
    );
  });

  test('presets: an unknown key is 404', async () => {
    await refused(admin, '/api/presets/colour/enable', { json: {} }, 404, 'not_found');
  });
});

describe('conflicts', () => {
  test('a CRM user already bound: 409 naming the binding that holds it', async () => {
    const holder = row('EMP001');
    const a = await refused(
      admin,
      bindingPath('EMP009'),
      put({ crmUserId: holder.crmUserId }),
      409,
      'crm_user_already_bound',
    );
    const error = (
      a.json as { error: { message: string; details: Array<{ bindingId: string; jdyNumber: string }> } }
    ).error;
    assert.match(error.message, /王建国.*EMP001/);
    assert.equal(error.details[0]?.bindingId, holder.id);
    assert.equal(error.details[0]?.jdyNumber, 'EMP001');
  });

  test('a preset turned on is 409 the second time; there is no way back', async () => {
    assert.equal((await w.call(admin, '/api/presets/brand/enable', { json: {} })).status, 200);
    await refused(admin, '/api/presets/brand/enable', { json: {} }, 409, 'preset_already_enabled');
  });

  test('a CRM without metadata permission: the preset waits, listing the fields; 重新检查 finishes it', async () => {
    const permission = (allowed: boolean) =>
      fetch(`${w.sandboxes.fx.url}/__sandbox/tenant`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ corpId: MAIN_CORP, metadataWritePermission: allowed }),
      });
    await permission(false);
    const res = await w.call(admin, '/api/presets/warehouse/enable', { json: {} });
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.deepEqual(res.json, {
      key: 'warehouse',
      enabled: true,
      enabledAt: null,
      crmSetup: 'missing',
      missing: [
        {
          object: 'SalesOrderProductObj',
          field: 'warehouse__c',
          label: '发货仓库',
          type: 'object_reference',
        },
      ],
    });
    await refused(admin, '/api/presets/warehouse/enable', { json: {} }, 409, 'preset_already_enabled');
    const tenantId = (await w.plugin.ctx.repos.tenants.findByCorpId(MAIN_CORP))!._id as never;
    assert.ok(
      !(await w.plugin.ctx.sync.enabledObjects(tenantId)).some((o) => o.key === 'warehouse'),
      'no warehouse sync yet',
    );
    const stillMissing = await w.call(admin, '/api/crm-fields/check', { json: {} });
    assert.equal((stillMissing.json as { ready: boolean }).ready, false);

    await permission(true);
    const check = await w.call(admin, '/api/crm-fields/check', { json: {} });
    assert.equal(check.status, 200);
    assert.deepEqual((check.json as { missing: unknown[] }).missing, []);
    const presets = (await w.call(admin, '/api/presets')).json as Array<{
      key: string;
      enabledAt: string | null;
      crmSetup: string;
    }>;
    const warehouse = presets.find((p) => p.key === 'warehouse')!;
    assert.ok(warehouse.enabledAt && warehouse.crmSetup === 'ready', JSON.stringify(warehouse));
    assert.ok((await w.plugin.ctx.sync.enabledObjects(tenantId)).some((o) => o.key === 'warehouse'));
  });
});

describe('outside failures', () => {
  const post = (url: string, body: unknown) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  test('Jingdouyun refuses the employee list: 422 with its reason, nothing written', async () => {
    await post(`${w.sandboxes.jdy.url}/__sandbox/faults`, {
      path: '/jdy/v2/bd/emp',
      mode: 'business',
      errcode: 1030002006,
      description: '参数格式错误',
    });
    await refused(admin, '/api/jdy/employees', { method: 'GET' }, 422, 'jdy_refused');
  });

  test('the CRM directory refuses: 422 crm_refused for the picker and a manual binding, nothing written', async () => {
    const fault = { path: '/cgi/user/list', action: 'error', errorCode: 20014, errorMessage: '无权限' };
    await post(`${w.sandboxes.fx.url}/__sandbox/faults`, fault);
    await refused(admin, '/api/crm-users', { method: 'GET' }, 422, 'crm_refused');
    await post(`${w.sandboxes.fx.url}/__sandbox/faults`, fault);
    await refused(admin, bindingPath('EMP009'), put({ crmUserId: demoOpenUserId(9) }), 422, 'crm_refused');
  });
});

describe('uploads', () => {
  test('over 5 MB: 413 with a Chinese message, nothing written', async () => {
    const big = Buffer.concat([
      await bindingSheet([['EMP009', null, null, '13911110010', null]]),
      Buffer.alloc(5 * 1024 * 1024),
    ]);
    await refused(
      admin,
      '/api/bindings/import?mode=apply',
      { form: fileForm(big, 'big.xlsx') },
      413,
      'file_too_large',
    );
  });

  test('not an xlsx (CSV, PDF, renamed, corrupt): refused with the reason, nothing written', async () => {
    const sheet = await bindingSheet([['EMP009', null, null, '13911110010', null]]);
    const files: Array<[Buffer, string]> = [
      [Buffer.from('精斗云职员编码,纷享员工手机\nEMP009,13911110010\n'), '绑定.csv'],
      [Buffer.from('%PDF-1.4 whatever'), '绑定.xlsx'],
      [sheet, '绑定.xls'],
      [sheet.subarray(0, sheet.length - 100), '绑定.xlsx'],
    ];
    for (const [file, name] of files) {
      const a = await refused(
        admin,
        '/api/bindings/import?mode=apply',
        { form: fileForm(file, name) },
        400,
        'not_xlsx',
      );
      assert.match((a.json as { error: { message: string } }).error.message, /xlsx|Excel|工作簿|损坏/);
    }
  });

  test('no file, another field, a bad mode, a sheet without headers: 400', async () => {
    const sheet = await bindingSheet([['EMP009', null, null, '13911110010', null]]);
    await refused(admin, '/api/bindings/import?mode=apply', { form: new FormData() }, 400, 'file_required');
    await refused(
      admin,
      '/api/bindings/import?mode=apply',
      { form: fileForm(sheet, 'a.xlsx', 'upload') },
      400,
      'invalid_upload',
    );
    await refused(admin, '/api/bindings/import?mode=apply', { json: {} }, 400, 'file_required');
    await refused(
      admin,
      '/api/bindings/import?mode=all',
      { form: fileForm(sheet, 'a.xlsx') },
      400,
      'invalid_input',
    );
    await refused(admin, '/api/bindings/import', { form: fileForm(sheet, 'a.xlsx') }, 400, 'invalid_input');
    const headless = await workbookBuffer([
      ['编码', '手机'],
      ['EMP009', '13911110010'],
    ]);
    await refused(
      admin,
      '/api/bindings/import?mode=check',
      { form: fileForm(headless, 'a.xlsx') },
      400,
      'missing_headers',
    );
  });

  test('apply with one wrong row writes nothing and reports each row; apply-valid writes the rest', async () => {
    await w.call(admin, bindingPath('EMP009'), put({ crmUserId: null }));
    const sheet = await bindingSheet([
      ['EMP009', null, null, '13911110010', null],
      ['EMP404', null, null, '13911110001', null],
    ]);
    const before = await state();
    const apply = await w.call(admin, '/api/bindings/import?mode=apply', { form: fileForm(sheet, 'a.xlsx') });
    assert.equal(apply.status, 200);
    assert.deepEqual(apply.json, {
      rows: [
        { row: 3, status: 'ok', errors: [] },
        {
          row: 4,
          status: 'error',
          errors: [
            {
              column: '精斗云职员编码',
              message: '第 4 行「精斗云职员编码」：精斗云中没有编码为「EMP404」的职员',
            },
          ],
        },
      ],
      applied: 0,
    });
    assert.equal(await state(), before, 'nothing written');
    const valid = await w.call(admin, '/api/bindings/import?mode=apply-valid', {
      form: fileForm(sheet, 'a.xlsx'),
    });
    assert.equal((valid.json as { applied: number }).applied, 1);
  });

  test('a hundred generated malformed sheets in check mode: never a 5xx, never a write, every error located', async () => {
    const { sheet } = malformedSheets(20250607);
    const before = await state();
    let reported = 0;
    for (let i = 0; i < 100; i++) {
      const { file, filename } = await sheet();
      const label = `sheet #${i}`;
      const a = await w.call(admin, '/api/bindings/import?mode=check', {
        form: fileForm(file, filename ?? 'sheet.xlsx'),
      });
      if (a.status !== 200) {
        const error = (a.json as { error: { code: string; message: string } }).error;
        assert.ok(a.status === 400 || a.status === 413, `${label}: ${a.status}`);
        assert.ok(
          (REFUSALS as readonly string[]).includes(error.code) || error.code === 'file_too_large',
          `${label}: ${error.code}`,
        );
        assert.match(error.message, /\p{Script=Han}/u);
        continue;
      }
      reported++;
      const answer = a.json as {
        rows: Array<{ row: number; status: string; errors: Array<{ column: string; message: string }> }>;
        applied: number;
      };
      assert.equal(answer.applied, 0, label);
      for (const r of answer.rows) {
        assert.ok(Number.isInteger(r.row) && r.row >= 2, `${label}: row ${r.row}`);
        assert.equal(r.status === 'ok', r.errors.length === 0, `${label}: row ${r.row}`);
        for (const e of r.errors) {
          assert.ok(HEADERS.includes(e.column), `${label}: column ${e.column}`);
          assert.ok(e.message.startsWith(`第 ${r.row} 行`), `${label}: ${e.message}`);
        }
      }
    }
    assert.ok(reported > 20, `${reported} sheets reached the row-by-row report`);
    assert.equal(await state(), before, 'check never writes');
  });
});
