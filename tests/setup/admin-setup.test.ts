/**
 * The admin's setup, end to end against the real plugin and both demo sandboxes: install, SSO,
 * connect Jingdouyun, list its employees, auto-bind by mobile, import a sheet, bind by hand,
 * export and re-import, turn on each preset (fields appear in the CRM), schedule and settings.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { parseBindingSheet } from '../../src/bindings/sheet/import.js';
import { DEMO_ADMIN, demoOpenUserId } from '../../src/demo/sandboxes.js';
import { PEOPLE } from '../../src/demo/story.js';
import { SYNC_JOBS } from '../../src/sync/service.js';
import { bindingSheet } from '../bindings/helpers.js';
import { MAIN_CORP, fileForm, startSetupWorld, type Session, type SetupWorld } from './setup-world.js';

interface Employee {
  jdyEmpId: string;
  number: string;
  name: string;
  mobile: string;
  bound: boolean;
}
interface Binding {
  id: string;
  jdyEmpId: string;
  jdyNumber: string;
  jdyName: string;
  crmUserId: string | null;
  crmUserName: string | null;
  source: string;
  reason?: string | null;
}
interface ImportAnswer {
  rows: Array<{ row: number; status: string; errors: Array<{ column: string; message: string }> }>;
  applied: number;
}

/** The CRM user the demo seed gives a person of the story (the n-th person with a CRM mobile). */
const crmUserOf = (name: string): string =>
  demoOpenUserId(PEOPLE.filter((p) => p.crmMobile !== null).findIndex((p) => p.name === name) + 1);

let w: SetupWorld;
let admin: Session;
let employees: Employee[];

const bindings = async () => (await w.call(admin, '/api/bindings')).json as Binding[];
const boundTo = async () =>
  Object.fromEntries(
    (await bindings()).map((b) => [b.jdyNumber, b.crmUserId ? `${b.crmUserName}/${b.source}` : null]),
  );
const idOf = (number: string) => employees.find((e) => e.number === number)!.jdyEmpId;

before(async () => {
  w = await startSetupWorld('setup_happy');
  await w.install(MAIN_CORP);
  admin = await w.signIn(DEMO_ADMIN.openUserId);
});
after(() => w.stop());

describe('employee bindings', () => {
  test('connect, then GET /api/jdy/employees lists the account set and fills the bindings table', async () => {
    await w.connectJdy(admin);
    const res = await w.call(admin, '/api/jdy/employees');
    assert.equal(res.status, 200);
    employees = res.json as Employee[];
    assert.deepEqual(
      employees.map((e) => e.number).sort(),
      PEOPLE.flatMap((p) => (p.jdyNumber ? [p.jdyNumber] : [])),
    );
    assert.ok(employees.every((e) => !e.bound && typeof e.jdyEmpId === 'string' && e.name));
    assert.equal(employees.find((e) => e.number === 'EMP008')?.mobile, '+86 139 1111 0008');
    const rows = await bindings();
    assert.equal(rows.length, 9);
    assert.ok(rows.every((b) => b.crmUserId === null && b.id.endsWith(`:${b.jdyEmpId}`)));
  });

  test("GET /api/crm-users is the CRM directory in the pickers' shape", async () => {
    const res = await w.call(admin, '/api/crm-users');
    assert.equal(res.status, 200);
    const users = res.json as Array<{ crmUserId: string; name: string; mobile: string }>;
    assert.equal(users.length, 9);
    assert.deepEqual(
      users.find((u) => u.name === '孙丽'),
      {
        crmUserId: crmUserOf('孙丽'),
        name: '孙丽',
        mobile: '13911110010',
      },
    );
  });

  test('from-jdy binds by identical mobile; 吴刚 (no CRM user) stays unbound with the reason', async () => {
    const ticked = ['EMP001', 'EMP002', 'EMP003', 'EMP004', 'EMP005', 'EMP009'].map(idOf);
    const res = await w.call(admin, '/api/bindings/from-jdy', { json: { jdyEmpIds: ticked } });
    assert.equal(res.status, 200, JSON.stringify(res.json));
    const answer = res.json as Binding[];
    assert.deepEqual(
      answer.map((b) => [b.jdyNumber, b.crmUserId, b.source, b.reason]),
      [
        ['EMP001', crmUserOf('王建国'), 'auto', null],
        ['EMP002', crmUserOf('李秀英'), 'auto', null],
        ['EMP003', crmUserOf('张伟'), 'auto', null],
        ['EMP004', crmUserOf('刘洋'), 'auto', null],
        ['EMP005', crmUserOf('陈静'), 'auto', null],
        ['EMP009', null, 'manual', '纷享销客中没有手机号为 13911110009 的员工，请手动选择纷享员工'],
      ],
    );
    const listed = (await w.call(admin, '/api/jdy/employees')).json as Employee[];
    assert.deepEqual(
      listed
        .filter((e) => e.bound)
        .map((e) => e.number)
        .sort(),
      ['EMP001', 'EMP002', 'EMP003', 'EMP004', 'EMP005'],
    );
    // Ticking again changes nothing.
    const again = await w.call(admin, '/api/bindings/from-jdy', { json: { jdyEmpIds: ticked } });
    assert.deepEqual(
      (again.json as Binding[]).map((b) => b.crmUserId),
      answer.map((b) => b.crmUserId),
    );
  });

  test('import: check writes nothing, apply binds every row (by mobile, by name, +86 and full-width)', async () => {
    const sheet = await bindingSheet([
      ['EMP006', '杨磊', '13911110006', '13911110006', null],
      ['EMP007', null, null, '+86 139 1111 0007', '赵敏'],
      ['EMP008', '周杰', '+86 139 1111 0008', null, '周杰'],
      ['EMP009', '吴刚', '１３９１１１１０００９', '13911110010', '孙丽'],
    ]);
    const before = await w.docs('bindings');
    const check = await w.call(admin, '/api/bindings/import?mode=check', {
      form: fileForm(sheet, '员工绑定.xlsx'),
    });
    assert.equal(check.status, 200, JSON.stringify(check.json));
    assert.deepEqual(check.json, {
      rows: [3, 4, 5, 6].map((row) => ({ row, status: 'ok', errors: [] })),
      applied: 0,
    });
    assert.deepEqual(await w.docs('bindings'), before, 'check wrote nothing');

    const apply = await w.call(admin, '/api/bindings/import?mode=apply', {
      form: fileForm(sheet, '员工绑定.xlsx'),
    });
    assert.equal(apply.status, 200);
    assert.equal((apply.json as ImportAnswer).applied, 4);
    assert.deepEqual(await boundTo(), {
      EMP001: '王建国/auto',
      EMP002: '李秀英/auto',
      EMP003: '张伟/auto',
      EMP004: '刘洋/auto',
      EMP005: '陈静/auto',
      EMP006: '杨磊/import',
      EMP007: '赵敏/import',
      EMP008: '周杰/import',
      EMP009: '孙丽/import',
    });
  });

  test('by hand: clear a binding, bind another user, then back; the claims stay one-to-one', async () => {
    const emp9 = (await bindings()).find((b) => b.jdyNumber === 'EMP009')!;
    const cleared = await w.call(admin, `/api/bindings/${encodeURIComponent(emp9.id)}`, {
      method: 'PUT',
      json: { crmUserId: null },
    });
    assert.equal(cleared.status, 200);
    assert.equal((cleared.json as Binding).crmUserId, null);
    const bound = await w.call(admin, `/api/bindings/${encodeURIComponent(emp9.id)}`, {
      method: 'PUT',
      json: { crmUserId: crmUserOf('孙丽') },
    });
    assert.equal(bound.status, 200);
    assert.deepEqual(
      [(bound.json as Binding).crmUserName, (bound.json as Binding).source],
      ['孙丽', 'manual'],
    );
    const claims = await w.docs('binding_claims');
    assert.equal(claims.length, 9, 'one claim per bound CRM user');
    assert.equal(new Set(claims.map((c) => c.bindingId)).size, 9);
  });

  test('export: the bindings in the template layout, which re-imports as all ok with nothing to write', async () => {
    const res = await w.call(admin, '/api/bindings/export');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /spreadsheetml/);
    assert.match(res.headers.get('content-disposition') ?? '', /filename\*=UTF-8''%E5%91%98/);
    const parsed = await parseBindingSheet(res.body, '员工绑定.xlsx');
    assert.ok(parsed.ok);
    assert.deepEqual(
      parsed.value.rows.map((r) => [
        r.values.jdyNumber,
        r.values.jdyMobile,
        r.values.crmMobile,
        r.values.crmName,
      ]),
      [
        ['EMP001', '13911110001', '13911110001', '王建国'],
        ['EMP002', '13911110002', '13911110002', '李秀英'],
        ['EMP003', '13911110003', '13911110003', '张伟'],
        ['EMP004', '13911110004', '13911110004', '刘洋'],
        ['EMP005', '13911110005', '13911110005', '陈静'],
        ['EMP006', '13911110006', '13911110006', '杨磊'],
        ['EMP007', '13911110007', '13911110007', '赵敏'],
        ['EMP008', '13911110008', '13911110008', '周杰'],
        ['EMP009', '13911110009', '13911110010', '孙丽'],
      ],
    );
    const again = await w.call(admin, '/api/bindings/import?mode=apply', {
      form: fileForm(res.body, 'x.xlsx'),
    });
    assert.equal(again.status, 200);
    const answer = again.json as ImportAnswer;
    assert.equal(answer.applied, 0);
    assert.ok(answer.rows.every((r) => r.status === 'ok'));
  });

  test('template: the empty sheet with the five headers', async () => {
    const res = await w.call(admin, '/api/bindings/template');
    assert.equal(res.status, 200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(new Uint8Array(res.body).buffer);
    const header = book.worksheets[0]!.getRow(1).values as unknown[];
    assert.deepEqual(header.slice(1), [
      '精斗云职员编码',
      '精斗云职员姓名',
      '精斗云职员手机',
      '纷享员工手机',
      '纷享员工姓名',
    ]);
    const parsed = await parseBindingSheet(res.body, '员工绑定模板.xlsx');
    assert.equal(parsed.ok ? 'parsed' : parsed.error.code, 'empty');
  });
});

describe('presets and CRM fields', () => {
  const describeHas = async (object: string, field: string) => {
    const tenant = await w.plugin.ctx.repos.tenants.findByCorpId(MAIN_CORP);
    const crm = w.plugin.ctx.fx.client(tenant!, DEMO_ADMIN.openUserId);
    crm.data.forgetDescribe(object);
    return (await crm.data.describe(object)).field(field)?.is_active === true;
  };

  test('all off at first; enabling each creates its CRM fields and turns it on for good', async () => {
    const initial = await w.call(admin, '/api/presets');
    assert.deepEqual(
      (initial.json as Array<{ key: string; enabled: boolean }>).map((p) => [p.key, p.enabled]),
      [
        ['brand', false],
        ['customerCategory', false],
        ['warehouse', false],
      ],
    );
    assert.equal(await describeHas('ProductObj', 'brand__c'), false);

    for (const key of ['brand', 'customerCategory', 'warehouse']) {
      const res = await w.call(admin, `/api/presets/${key}/enable`, { json: {} });
      assert.equal(res.status, 200, `${key}: ${JSON.stringify(res.json)}`);
      const p = res.json as {
        key: string;
        enabled: boolean;
        enabledAt: string;
        crmSetup: string;
        missing: unknown[];
      };
      assert.equal(p.key, key);
      assert.equal(p.enabled, true);
      assert.ok(!Number.isNaN(Date.parse(p.enabledAt)), `${key}: enabledAt ${p.enabledAt}`);
      assert.equal(p.crmSetup, 'ready');
      assert.deepEqual(p.missing, []);
    }
    assert.ok(await describeHas('ProductObj', 'brand__c'));
    assert.ok(await describeHas('AccountObj', 'customer_category__c'));
    assert.ok(await describeHas('SalesOrderProductObj', 'warehouse__c'));
    assert.ok(await describeHas('object_customer_category__c', 'category_no__c'));
    const listed = (await w.call(admin, '/api/presets')).json as Array<{
      enabled: boolean;
      crmSetup: string;
    }>;
    assert.ok(listed.every((p) => p.enabled && p.crmSetup === 'ready'));
    // The sync now includes the preset objects.
    const objects = (
      await w.plugin.ctx.sync.enabledObjects(
        (await w.plugin.ctx.repos.tenants.findByCorpId(MAIN_CORP))!._id as never,
      )
    ).map((o) => o.key);
    assert.ok(objects.includes('warehouse') && objects.includes('customerCategory'), objects.join());
  });

  test('重新检查 finds everything in place', async () => {
    const res = await w.call(admin, '/api/crm-fields/check', { json: {} });
    assert.equal(res.status, 200);
    const answer = res.json as { ready: boolean; missing: unknown[]; presets: unknown[] };
    assert.equal(answer.ready, true);
    assert.deepEqual(answer.missing, []);
    assert.equal(answer.presets.length, 3);
  });
});

describe('schedule and settings', () => {
  const tenantJobs = async () => {
    const tenantId = (await w.plugin.ctx.repos.tenants.findByCorpId(MAIN_CORP))!._id;
    const jobs = await w.docs('jobs', { 'data.tenantId': tenantId });
    return jobs
      .filter((j) =>
        ([SYNC_JOBS.poll, SYNC_JOBS.inventory, SYNC_JOBS.retry] as string[]).includes(String(j.name)),
      )
      .map((j) => `${String(j.name)} every ${String(j.repeatInterval)}`)
      .sort();
  };

  test('timed is the default after connecting, with one set of jobs', async () => {
    const res = await w.call(admin, '/api/schedule');
    assert.deepEqual(res.json, {
      mode: 'timed',
      intervalMinutes: 5,
      inventoryIntervalMinutes: 1,
      window: null,
    });
    assert.deepEqual(await tenantJobs(), [
      `${SYNC_JOBS.inventory} every 1 minutes`,
      `${SYNC_JOBS.poll} every 5 minutes`,
      `${SYNC_JOBS.retry} every 1 minute`,
    ]);
  });

  test('PUT timed twice (and twice at once) moves the jobs; they exist exactly once', async () => {
    const first = {
      mode: 'timed',
      intervalMinutes: 10,
      inventoryIntervalMinutes: 2,
      window: { start: '08:00', end: '20:00' },
    };
    const res = await w.call(admin, '/api/schedule', { method: 'PUT', json: first });
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.deepEqual(res.json, first);
    const second = {
      mode: 'timed',
      intervalMinutes: 15,
      inventoryIntervalMinutes: 3,
      window: { start: '22:00', end: '06:00' },
    };
    assert.equal((await w.call(admin, '/api/schedule', { method: 'PUT', json: second })).status, 200);
    assert.deepEqual((await w.call(admin, '/api/schedule')).json, second);
    assert.deepEqual(await tenantJobs(), [
      `${SYNC_JOBS.inventory} every 3 minutes`,
      `${SYNC_JOBS.poll} every 15 minutes`,
      `${SYNC_JOBS.retry} every 1 minute`,
    ]);
    const put = () => w.call(admin, '/api/schedule', { method: 'PUT', json: second });
    assert.deepEqual(
      (await Promise.all([put(), put()])).map((r) => r.status),
      [200, 200],
    );
    assert.equal((await tenantJobs()).length, 3);
  });

  test('manual removes the jobs; timed again brings back one set', async () => {
    const manual = { mode: 'manual', intervalMinutes: 15, inventoryIntervalMinutes: 3, window: null };
    assert.equal((await w.call(admin, '/api/schedule', { method: 'PUT', json: manual })).status, 200);
    assert.deepEqual(await tenantJobs(), []);
    assert.equal(
      await w.plugin.ctx.sync.nextRunAt(
        (await w.plugin.ctx.repos.tenants.findByCorpId(MAIN_CORP))!._id as never,
      ),
      null,
    );
    const timed = { ...manual, mode: 'timed' };
    assert.equal((await w.call(admin, '/api/schedule', { method: 'PUT', json: timed })).status, 200);
    assert.equal((await tenantJobs()).length, 3);
  });

  test('settings: the connecting admin is the default owner; PUT saves owner, notices and auto-audit', async () => {
    assert.deepEqual((await w.call(admin, '/api/settings')).json, {
      defaultOwnerId: DEMO_ADMIN.openUserId,
      notifyUserIds: [],
      autoAuditOrders: false,
    });
    const next = {
      defaultOwnerId: crmUserOf('张伟'),
      notifyUserIds: [DEMO_ADMIN.openUserId, crmUserOf('李秀英')],
      autoAuditOrders: true,
    };
    const res = await w.call(admin, '/api/settings', { method: 'PUT', json: next });
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.deepEqual(res.json, next);
    assert.deepEqual((await w.call(admin, '/api/settings')).json, next);
  });
});
