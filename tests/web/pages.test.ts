/**
 * The plugin pages in a real Chromium (Debian's /usr/bin/chromium through playwright-core), against
 * the canned fake of the plugin API in ./fake-plugin-api.ts. Every page renders at 1280×800 and
 * 1024×768 without horizontal scrolling or console errors; the main flows behave; screenshots of
 * each main page (1280×800) go to tests/artifacts/screenshots/fake-api/ (the committed ones in
 * docs/screenshots/ come from the real stack: tests/web/e2e.test.ts).
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { assertFits, launchChromium, openTab, PAGES, ready, realErrors, VIEWPORTS } from './browser.js';
import { FAILED_ORDER_ID, startFakePluginApi, type FakePluginApi } from './fake-plugin-api.js';

// Git-ignored, so a test run leaves the work tree clean.
const SCREENSHOTS = 'tests/artifacts/screenshots/fake-api';

let browser: Browser;
let fake: FakePluginApi;
const contexts: BrowserContext[] = [];

interface Opened {
  page: Page;
  errors: string[];
}

async function open(
  hash: string,
  viewport: { width: number; height: number } = VIEWPORTS[0],
): Promise<Opened> {
  const { context, page, errors } = await openTab(browser, viewport);
  contexts.push(context);
  await page.goto(`${fake.url}/app/${hash}`);
  return { page, errors };
}

const mutatingCalls = () => fake.calls.filter((c) => c.method !== 'GET');

before(async () => {
  browser = await launchChromium();
  fake = await startFakePluginApi();
  await mkdir(SCREENSHOTS, { recursive: true });
});

beforeEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
  fake.reset();
});

after(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
  await browser?.close();
  await fake?.close();
});

describe('serving /app/', () => {
  test('index.html with a strict CSP that lets the CRM frame it, no-cache, and /app → /app/', async () => {
    const res = await fetch(`${fake.url}/app/`);
    assert.equal(res.status, 200);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /frame-ancestors [^;]*https:\/\/\*\.fxiaoke\.com/);
    assert.equal(res.headers.get('x-frame-options'), null);
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    assert.match(await res.text(), /<script type="module" src="app\.js">/);

    const js = await fetch(`${fake.url}/app/pages/overview.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /javascript/);

    const bare = await fetch(`${fake.url}/app`, { redirect: 'manual' });
    assert.equal(bare.status, 301);
    assert.equal(bare.headers.get('location'), '/app/');
  });
});

describe('every page at 1280×800 and 1024×768', () => {
  for (const viewport of VIEWPORTS) {
    for (const key of [...PAGES, 'log-detail'] as const) {
      test(`${key} at ${viewport.width}×${viewport.height}: renders, no horizontal scroll, no console errors`, async () => {
        const hash = key === 'log-detail' ? `#/logs/${FAILED_ORDER_ID}` : `#/${key}`;
        const { page, errors } = await open(hash, viewport);
        await ready(page, key === 'log-detail' ? 'logs' : key);
        await page.waitForLoadState('networkidle');
        await assertFits(page, key);
        assert.deepEqual(errors, []);
        if (viewport.width === 1280) {
          await page.screenshot({ path: `${SCREENSHOTS}/${key}.png`, animations: 'disabled' });
        }
      });
    }
  }
});

describe('flows', () => {
  test('connect: an invalid mobile is explained next to the field without calling the API', async () => {
    fake.state.connection = { status: 'none' };
    const { page } = await open('#/connect');
    await ready(page, 'connect');
    await page.fill('input[name=mobile]', '1380000');
    await page.fill('input[name=password]', 'x');
    await page.click('button[data-name=login]');
    const error = page.locator('[data-field=mobile] .field-error');
    await error.waitFor();
    assert.match(await error.innerText(), /11 位中国大陆手机号/);
    assert.equal(await page.getAttribute('input[name=mobile]', 'aria-invalid'), 'true');
    assert.equal(fake.calls.filter((c) => c.path === '/jdy/login').length, 0);
  });

  test('connect: a 422 shows the JDY reason; then account sets (with how to authorise) → 开始连接', async () => {
    fake.state.connection = { status: 'none' };
    const { page, errors } = await open('#/connect');
    await ready(page, 'connect');
    await page.fill('input[name=mobile]', '138 0000 0001');
    await page.fill('input[name=password]', 'wrong');
    await page.click('button[data-name=login]');
    await page.getByText('账号或密码错误').waitFor();
    assert.match(await page.locator('[data-step=login] .notice').innerText(), /精斗云拒绝了登录/);

    await page.fill('input[name=password]', 'demo1234');
    await page.click('button[data-name=login]');
    await page.locator('[data-step=accounts]').waitFor();
    const login = fake.calls.filter((c) => c.path === '/jdy/login').at(-1);
    assert.deepEqual(login?.body, { mobile: '13800000001', password: 'demo1234' });
    assert.ok(await page.locator('[data-account=A-9901] input').isDisabled());
    assert.match(await page.locator('[data-account=A-9901]').innerText(), /未授权[\s\S]*授权/);
    assert.ok(await page.locator('button[data-name=connect]').isDisabled());
    await page.click('[data-account=A-7788]');
    await page.click('button[data-name=connect]');
    await page.waitForURL(/#\/bindings$/);
    const connect = fake.calls.find((c) => c.path === '/jdy/connect');
    assert.deepEqual(connect?.body, { loginId: 'login-1', accountId: 'A-7788' });
    assert.deepEqual(realErrors(errors), []);
  });

  test('connect: reset needs the account set name typed', async () => {
    const { page } = await open('#/connect');
    await ready(page, 'connect');
    await page.click('button[data-name=reset]');
    const confirm = page.locator('dialog button[data-name=confirm]');
    assert.ok(await confirm.isDisabled());
    await page.fill('dialog input[name=confirm-text]', '杭州醇香酒业');
    assert.ok(await confirm.isDisabled());
    await page.fill('dialog input[name=confirm-text]', '杭州醇香酒业有限公司');
    await confirm.click();
    await page.locator('[data-step=login] h2', { hasText: '第一步' }).waitFor();
    assert.deepEqual(fake.calls.find((c) => c.path === '/jdy/reset')?.body, {
      confirm: '杭州醇香酒业有限公司',
    });
  });

  test('bindings: import shows the row-by-row report, then applies only the valid rows', async () => {
    const { page, errors } = await open('#/bindings');
    await ready(page, 'bindings');
    await page.click('button[data-name=import]');
    await page.setInputFiles('dialog input[type=file]', {
      name: '绑定.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('a,b'),
    });
    await page.click('dialog button[data-name=check]');
    assert.match(await page.locator('dialog [data-field=file] .field-error').innerText(), /只支持 \.xlsx/);
    assert.equal(fake.calls.filter((c) => c.path === '/bindings/import').length, 0);

    await page.setInputFiles('dialog input[type=file]', {
      name: '绑定.xlsx',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from('PK'),
    });
    await page.click('dialog button[data-name=check]');
    await page.locator('dialog table[aria-label=检查结果]').waitFor();
    const report = await page.locator('dialog').innerText();
    assert.match(report, /共 5 行：2 行正确，3 行有误/);
    assert.match(report, /第 5 行[\s\S]*纷享员工手机：“1391111” 不是手机号/);
    assert.match(report, /精斗云中没有编码为 ZY099 的职员/);
    assert.equal(await page.locator('dialog tbody tr.row-error').count(), 3);
    assert.ok(await page.locator('dialog button[data-name=apply]').isDisabled());
    await page.click('dialog button[data-name=apply-valid]');
    await page.getByText('已导入 2 行').waitFor();
    const modes = fake.calls.filter((c) => c.path === '/bindings/import').map((c) => c.query.mode);
    assert.deepEqual(modes, ['check', 'apply-valid']);
    assert.deepEqual(realErrors(errors), []);
  });

  test('bindings: sync JDY employees (tick, auto-bind) and bind by hand with the user picker', async () => {
    const { page, errors } = await open('#/bindings');
    await ready(page, 'bindings');
    await page.click('button[data-name=from-jdy]');
    await page.locator('dialog input[data-emp=E3]').check();
    await page.click('dialog button[data-name=add-employees]');
    await page.getByText(/已添加 1 名职员，其中 1 名按手机号自动绑定/).waitFor();
    assert.deepEqual(fake.calls.find((c) => c.path === '/bindings/from-jdy')?.body, { jdyEmpIds: ['E3'] });

    await page.fill('input[name=q]', '周杰');
    await page.locator('tbody tr', { hasText: '周杰' }).locator('button[data-name=bind]').click();
    await page.fill('dialog input[type=search]', '赵');
    await page.click('dialog [data-user=FSUID_1005]');
    await page.locator('tbody tr', { hasText: '赵敏' }).waitFor();
    assert.deepEqual(fake.calls.find((c) => c.method === 'PUT')?.body, { crmUserId: 'FSUID_1005' });
    assert.deepEqual(realErrors(errors), []);
  });

  test('log detail: reason, ids, field mapping, each attempt with request and response; actions', async () => {
    const { page, errors } = await open(`#/logs/${FAILED_ORDER_ID}`);
    await ready(page, 'logs');
    assert.match(await page.locator('[data-value=reason]').innerText(), /不是从精斗云同步的产品/);
    assert.match(await page.locator('[data-value=sourceId]').innerText(), /6745a0c2e4b0a1b2c3d4e5f6/);
    assert.equal(await page.locator('details.attempt').count(), 2);
    const first = page.locator('details.attempt').nth(1);
    await first.locator('summary').click();
    assert.match(await first.locator('[data-value=request]').innerText(), /sal_order\/save[\s\S]*\[已隐去\]/);
    assert.match(await first.locator('[data-value=response]').innerText(), /商品编码 JX-009 不存在/);
    assert.match(await page.locator('table[aria-label=字段对应]').innerText(), /销售订单编号\s+单据编号/);

    await page.click('button[data-name=refetch]');
    await page.getByText('已从源系统重新拉取').waitFor();
    assert.deepEqual(fake.calls.find((c) => c.path.endsWith('/retry'))?.body, { refetch: true });
    assert.deepEqual(realErrors(errors), []);
  });

  test('logs: filters go to the API and the address; a reversed date range is explained', async () => {
    const { page } = await open('#/logs');
    await ready(page, 'logs');
    await page.selectOption('select[name=status]', 'failed');
    await page.selectOption('select[name=object]', 'product');
    await page.click('button[data-name=search]');
    await page.waitForURL(/status=failed/);
    await ready(page, 'logs');
    await page.locator('[data-results] table').waitFor();
    const call = fake.calls.filter((c) => c.path === '/records').at(-1);
    assert.equal(call?.query.status, 'failed');
    assert.equal(call?.query.object, 'product');

    await page.fill('input[name=from]', '2026-11-20');
    await page.fill('input[name=to]', '2026-11-01');
    await page.click('button[data-name=search]');
    assert.match(await page.locator('[data-field=to] .field-error').innerText(), /结束日期不能早于开始日期/);
  });

  test('rules: a bad interval is explained next to the field and nothing is sent', async () => {
    const { page } = await open('#/rules');
    await ready(page, 'rules');
    await page.fill('input[name=intervalMinutes]', '0');
    await page.click('button[data-name=save-schedule]');
    assert.match(await page.locator('[data-field=intervalMinutes] .field-error').innerText(), /1 到 1440/);
    assert.equal(mutatingCalls().length, 0);
    await page.fill('input[name=intervalMinutes]', '10');
    await page.click('button[data-name=save-schedule]');
    await page.getByText('同步方式已保存').waitFor();
    assert.deepEqual(fake.state.schedule, {
      mode: 'timed',
      intervalMinutes: 10,
      inventoryIntervalMinutes: 1,
      window: { start: '08:00', end: '20:00' },
    });
  });

  test('presets: switches on ones are locked; missing CRM fields are listed with 重新检查', async () => {
    const { page } = await open('#/presets');
    await ready(page, 'presets');
    assert.ok(await page.locator('input[data-preset=brand]').isDisabled());
    assert.ok(await page.locator('input[data-preset=brand]').isChecked());
    const cc = await page.locator('section[data-preset=customerCategory]').innerText();
    assert.match(cc, /customer_category__c/);
    assert.match(cc, /重新检查/);
    await page.locator('section[data-preset=warehouse] .switch').click();
    await page.click('dialog button[data-name=confirm]');
    await page.getByText('已开启“仓库”').waitFor();
    // The notice may show before the page re-renders the switch: wait for the locked one.
    await page.locator('input[data-preset=warehouse]:disabled').waitFor({ state: 'attached' });
    assert.ok(fake.calls.some((c) => c.method === 'POST' && c.path === '/presets/warehouse/enable'));
  });

  test('overview: 立即同步 and one object; a 409 reason is shown', async () => {
    const { page } = await open('#/overview');
    await ready(page, 'overview');
    assert.match(
      await page.locator('[data-run=run-7]').innerText(),
      /首次导入进行中[\s\S]*产品[\s\S]*1,774 \/ 5,200/,
    );
    await page.click('[data-direction=jdy_to_crm] button[data-name=sync-product]');
    await page.getByText('已开始同步产品').waitFor();
    assert.deepEqual(fake.calls.find((c) => c.path === '/sync/run')?.body, { objects: ['product'] });

    fake.state.connection = {
      status: 'paused',
      accountId: 'A-7788',
      accountName: '杭州醇香酒业有限公司',
      pausedReason: '精斗云账套已取消对本应用的授权',
    };
    await page.reload();
    await ready(page, 'overview');
    assert.match(
      await page.locator('.notice-danger').first().innerText(),
      /同步已暂停[\s\S]*取消对本应用的授权[\s\S]*处理方法/,
    );
  });

  test('a non-admin sees every page read-only and cannot send changes', async () => {
    fake.state.admin = false;
    const { page, errors } = await open('#/overview');
    const disabled: Record<string, string> = {
      overview: 'button[data-name=sync-all]',
      connect: '[data-step=login] input[name=mobile]',
      bindings: 'button[data-name=import]',
      presets: 'input[data-preset=warehouse]',
      rules: 'form[data-form=schedule] input[name=intervalMinutes]',
    };
    for (const key of PAGES) {
      await page.evaluate(`location.hash = '#/${key}'`);
      await ready(page, key);
      assert.match(await page.locator('.notices').innerText(), /只读模式/, key);
      const selector = disabled[key];
      if (selector)
        assert.ok(
          await page.locator(selector).first().isDisabled(),
          `${key}: ${selector} should be disabled`,
        );
    }
    assert.equal(await page.locator('button[data-name=bind]').count(), 0);
    await page.evaluate(`location.hash = '#/logs/${FAILED_ORDER_ID}'`);
    await ready(page, 'logs');
    assert.ok(await page.locator('button[data-name=retry]').isDisabled());
    assert.ok(await page.locator('button[data-name=forget]').isDisabled());
    assert.equal(mutatingCalls().length, 0);
    assert.deepEqual(errors, []);
  });

  test('a 403 on a change shows the read-only notice', async () => {
    const { page } = await open('#/rules');
    await ready(page, 'rules');
    fake.state.admin = false;
    await page.click('button[data-name=save-schedule]');
    await page.locator('.notices', { hasText: '没有修改权限' }).waitFor();
    assert.match(await page.locator('form[data-form=schedule]').innerText(), /只有 CRM 管理员可以进行此操作/);
  });

  test('401: without a session, and when the session ends on a page, the re-open screen shows', async () => {
    fake.state.signedIn = false;
    const first = await open('#/overview');
    await first.page.locator('[data-screen=reopen]').waitFor();
    assert.match(await first.page.innerText('body'), /请从纷享销客重新打开插件/);

    fake.state.signedIn = true;
    const { page } = await open('#/bindings');
    await ready(page, 'bindings');
    fake.state.signedIn = false;
    await page.click('button[data-name=import]');
    await page.setInputFiles('dialog input[type=file]', {
      name: 'a.xlsx',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from('PK'),
    });
    await page.click('dialog button[data-name=check]');
    await page.locator('[data-screen=reopen]').waitFor();
    assert.equal(await page.locator('dialog').count(), 0);
  });
});
