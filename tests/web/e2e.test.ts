/**
 * End to end in a real Chromium (Debian's /usr/bin/chromium through playwright-core) against the
 * real demo stack: FerretDB, both sandboxes seeded with the demo story, the plugin installed into
 * the CRM sandbox through its push, and the demo console. The tests run in order, as a newcomer
 * would: sign in through the CRM's SSO link, connect, bind, import a binding sheet, switch on a
 * preset, run the first sync, open the failed product, fix it in Jingdouyun, retry and see it
 * synced; then a non-admin, and every page at 1280×800 and 1024×768 with screenshots of each
 * (tests/artifacts/screenshots/; with UPDATE_SCREENSHOTS=1 also docs/screenshots/).
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startDemoConsole, type RunningDemoConsole } from '../../src/demo/console.js';
import { DEMO_ADMIN, DEMO_USER } from '../../src/demo/sandboxes.js';
import { startDemoStack, type DemoStack } from '../../src/demo/stack.js';
import { FX_TENANTS, JDY_ACCOUNT_SETS, JDY_DEMO_LOGIN } from '../../src/demo/story.js';
import { testEnv } from '../helpers/config.js';
import { freshDatabaseUri } from '../helpers/db.js';
import {
  assertFits,
  launchChromium,
  openTab,
  PAGES,
  ready,
  realErrors,
  VIEWPORTS,
  type Tab,
} from './browser.js';

const SCREENSHOT_DIRS = [
  'tests/artifacts/screenshots',
  ...(process.env.UPDATE_SCREENSHOTS ? ['docs/screenshots'] : []),
];
/** The JDY reader reads windows ending 5 s before now: seeded or changed data is read after that. */
const JDY_READ_LAG_MS = 5_000;
const FAILED_PRODUCT = 'JD0030';
const NEW_CUSTOMER = '杭州演示酒业有限公司';

let stack: DemoStack;
let demoConsole: RunningDemoConsole;
let browser: Browser;
let seededAt: number;
const contexts: BrowserContext[] = [];

/** A new browser (context) signed in through the CRM sandbox's SSO link. */
async function signIn(
  openUserId: string,
  viewport: { width: number; height: number } = VIEWPORTS[0],
): Promise<Tab> {
  const tab = await openTab(browser, viewport, 15_000);
  contexts.push(tab.context);
  await tab.page.goto(stack.sandboxes.ssoLink(openUserId));
  await tab.page.waitForURL(/\/app\/#\/overview$/);
  return tab;
}

/** Another page of the plugin, by address: waits for the shown page to be replaced, then rendered. */
async function go(page: Page, hash: string, key: string): Promise<void> {
  if (new URL(page.url()).hash === hash) return ready(page, key);
  const shown = await page.$('.page');
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
  await shown?.waitForElementState('hidden');
  await ready(page, key);
}

async function screenshot(page: Page, name: string): Promise<void> {
  for (const dir of SCREENSHOT_DIRS)
    await page.screenshot({ path: `${dir}/${name}.png`, animations: 'disabled' });
}

/** A binding sheet: the downloadable template's layout (headers, notes row) with these rows. */
async function bindingSheet(rows: string[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile('templates/员工绑定模板.xlsx');
  const sheet = book.worksheets[0]!;
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** The 产品 row of the 精斗云 → 纷享 counts on 概览. */
const productRow = (page: Page) =>
  page
    .locator('[data-direction=jdy_to_crm] tbody tr')
    .filter({ has: page.locator('td:first-child', { hasText: /^产品$/ }) });

async function crmProduct(code: string): Promise<Record<string, unknown> | undefined> {
  const q = new URLSearchParams({ corpId: FX_TENANTS.main.corpId, objectApiName: 'ProductObj' });
  const res = await fetch(`${stack.sandboxes.fx.url}/__sandbox/records?${q}`);
  const { records } = (await res.json()) as { records: Array<Record<string, unknown>> };
  return records.find((r) => r.product_code === code);
}

async function jdyRecords(entity: string): Promise<Array<Record<string, unknown>>> {
  const q = new URLSearchParams({ account_id: JDY_ACCOUNT_SETS.main.accountId, entity });
  const res = await fetch(`${stack.sandboxes.jdy.url}/__sandbox/records?${q}`);
  return ((await res.json()) as { rows: Array<Record<string, unknown>> }).rows;
}

before(async () => {
  stack = await startDemoStack({ port: 0, env: testEnv({ MONGODB_URI: await freshDatabaseUri('web_e2e') }) });
  seededAt = Date.now();
  assert.ok(stack.installed, 'the install push reached the plugin');
  demoConsole = await startDemoConsole({
    port: 0,
    jdyUrl: stack.sandboxes.jdy.url,
    fxUrl: stack.sandboxes.fx.url,
    adminLink: stack.sandboxes.ssoLink(DEMO_ADMIN.openUserId),
  });
  browser = await launchChromium();
  for (const dir of SCREENSHOT_DIRS) await mkdir(dir, { recursive: true });
});

after(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
  await browser?.close();
  await demoConsole?.close();
  await stack?.close();
});

describe('an administrator sets the plugin up and syncs, in the browser', () => {
  let admin: Tab;
  let failedRecordId: string;

  test('the SSO link of the CRM signs the administrator in and lands on 概览', async () => {
    admin = await signIn(DEMO_ADMIN.openUserId);
    const { page } = admin;
    await ready(page, 'overview');
    assert.equal(await page.locator('.topbar h1').innerText(), '概览');
    assert.match(await page.locator('.topbar .who').innerText(), new RegExp(DEMO_ADMIN.name));
    assert.match(await page.locator('.banners').innerText(), /开始使用：四步完成设置/);
    assert.match(await page.locator('.conn-chip').innerText(), /未连接精斗云/);
  });

  test('连接精斗云: the demo login lists both account sets; the authorised one connects', async () => {
    const { page } = admin;
    await page.click('a[data-nav=connect]');
    await ready(page, 'connect');
    await page.fill('input[name=mobile]', JDY_DEMO_LOGIN.mobile);
    await page.fill('input[name=password]', JDY_DEMO_LOGIN.password);
    await page.click('button[data-name=login]');
    await page.locator('[data-step=accounts]').waitFor();
    const trial = page.locator(`[data-account="${JDY_ACCOUNT_SETS.trial.accountId}"]`);
    assert.match(await trial.innerText(), /未授权/);
    assert.ok(await trial.locator('input').isDisabled());
    await page.click(`[data-account="${JDY_ACCOUNT_SETS.main.accountId}"]`);
    await page.click('button[data-name=connect]');
    await page.waitForURL(/#\/bindings$/);
    await page.locator('.conn-chip', { hasText: `已连接：${JDY_ACCOUNT_SETS.main.accountName}` }).waitFor();
  });

  test('员工绑定: JDY employees are added and bound by mobile; the one without a CRM user is explained', async () => {
    const { page } = admin;
    await ready(page, 'bindings');
    await page.click('button[data-name=from-jdy]');
    await page.locator('dialog input[data-emp]').first().waitFor();
    await page.locator('dialog thead input[type=checkbox]').check();
    await page.click('dialog button[data-name=add-employees]');
    await page.getByText('已添加 9 名职员，其中 8 名按手机号自动绑定，1 名请手动选择纷享员工').waitFor();
    assert.match(await page.locator('dialog .notice').innerText(), /以下职员未能自动绑定[\s\S]*吴刚/);
    await page.locator('dialog button', { hasText: '取消' }).click();
    await page.locator('tbody tr', { hasText: '周杰' }).waitFor();
    assert.equal(await page.locator('tbody tr').count(), 9);
    assert.equal(
      await page.locator('tbody tr', { hasText: '吴刚' }).locator('button[data-name=bind]').count(),
      1,
    );
  });

  test('员工绑定 → 导入: a broken sheet gets a row-by-row report and writes nothing; the corrected one imports', async () => {
    const { page } = admin;
    await page.click('button[data-name=import]');
    await page.setInputFiles('dialog input[type=file]', {
      name: '员工绑定.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: await bindingSheet([
        ['EMP009', '吴刚', '', '1391111'],
        ['EMP099', '', '', '13911110010'],
        ['EMP009', '吴刚', '', '13911110010'],
      ]),
    });
    await page.click('dialog button[data-name=check]');
    await page.locator('dialog table[aria-label=检查结果]').waitFor();
    const report = await page.locator('dialog').innerText();
    assert.match(report, /共 3 行：0 行正确，3 行有误/);
    assert.match(report, /第 3 行\s+有误[\s\S]*纷享员工手机」：不是有效的手机号/);
    assert.match(report, /第 4 行\s+有误[\s\S]*精斗云中没有编码为「EMP099」的职员/);
    assert.match(
      report,
      /第 5 行\s+有误[\s\S]*同一精斗云职员只能出现一次[\s\S]*一名纷享员工只能绑定一名职员/,
    );
    assert.equal(await page.locator('dialog tbody tr.row-error').count(), 3);
    assert.ok(await page.locator('dialog button[data-name=apply]').isDisabled());
    await page.locator('dialog button', { hasText: '关闭' }).click();
    assert.equal(await page.locator('tbody tr', { hasText: '孙丽' }).count(), 0, 'nothing was written');

    await page.click('button[data-name=import]');
    await page.setInputFiles('dialog input[type=file]', {
      name: '员工绑定.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: await bindingSheet([['EMP009', '吴刚', '13911110009', '13911110010']]),
    });
    await page.click('dialog button[data-name=check]');
    await page.getByText('共 1 行，全部正确').waitFor();
    await page.click('dialog button[data-name=apply]');
    await page.getByText('已导入 1 行').waitFor();
    await page.locator('tbody tr', { hasText: '吴刚' }).filter({ hasText: '孙丽' }).waitFor();
  });

  test('预设配置: switching on 产品品牌 sets up its CRM field (已开启, not 需要手工创建字段) and locks the switch', async () => {
    const { page } = admin;
    await go(page, '#/presets', 'presets');
    await page.locator('section[data-preset=brand] .switch').click();
    await page.click('dialog button[data-name=confirm]');
    await page.getByText('已开启“产品品牌”').waitFor();
    await page.locator('input[data-preset=brand]:checked:disabled').waitFor({ state: 'attached' });
    assert.match(await page.locator('section[data-preset=brand]').innerText(), /已开启[\s\S]*不可关闭/);
  });

  test('概览 → 立即同步: the first import runs and the overview shows it finished, with the one failure', async () => {
    const { page } = admin;
    await go(page, '#/overview', 'overview');
    const wait = seededAt + JDY_READ_LAG_MS + 1_000 - Date.now();
    if (wait > 0) await page.waitForTimeout(wait);
    await page.click('button[data-name=sync-all]');
    await page.getByText('已开始同步全部对象').waitFor();
    await page.locator('[data-run]', { hasText: '首次导入进行中' }).waitFor();
    // The page polls while a run is active; the finished run shows in 最近同步.
    await page
      .locator('table[aria-label=最近同步] tbody tr', { hasText: /完成（有失败）|已完成/ })
      .first()
      .waitFor({ timeout: 150_000 });
    assert.equal(await page.locator('[data-run]').count(), 0, 'no run is shown as running any more');
    assert.match(await productRow(page).innerText(), /^产品\s+29\s+1\s+0\s+30/);
  });

  test('同步日志: the failed product says why, with the field mapping and the attempt', async () => {
    const { page } = admin;
    await productRow(page).locator('a.text-danger').click();
    await page.waitForURL(/#\/logs\?.*status=failed/);
    await ready(page, 'logs');
    const row = page.locator('[data-results] tbody tr', { hasText: FAILED_PRODUCT });
    assert.match(await row.innerText(), /没有商品类别/);
    await row.locator('a[data-record]').click();
    await ready(page, 'logs');
    failedRecordId = decodeURIComponent(/#\/logs\/([^?]+)/.exec(page.url())![1]!);
    assert.match(await page.locator('[data-value=reason]').innerText(), /JD0030 没有商品类别/);
    assert.match(await page.locator('table[aria-label=字段对应]').innerText(), /产品分类|分类/);
    await screenshot(page, 'log-detail');
  });

  test('fixed in Jingdouyun (demo console: give it a category), 从源系统重新拉取 syncs it', async () => {
    const { page } = admin;
    const consoleTab = await page.context().newPage();
    await consoleTab.goto(demoConsole.url);
    const form = consoleTab.locator('form[data-action=jdyProduct]');
    await form
      .locator(`select[name=materialId] option`, { hasText: FAILED_PRODUCT })
      .waitFor({ state: 'attached' });
    const material = await form
      .locator('select[name=materialId] option', { hasText: FAILED_PRODUCT })
      .getAttribute('value');
    await form.locator('select[name=materialId]').selectOption(material!);
    await form.locator('select[name=categoryId]').selectOption({ label: 'MG04 饮料' });
    await form.locator('button[type=submit]').click();
    await form.locator('.result.ok', { hasText: `已在精斗云把商品 ${FAILED_PRODUCT}` }).waitFor();
    assert.match(await form.locator('.result').innerText(), /商品类别改为“饮料”[\s\S]*同步日志/);
    await consoleTab.close();

    await page.click('button[data-name=refetch]');
    await page.getByText('已从源系统重新拉取').waitFor();
    const synced = page.locator('.panel-head .tag', { hasText: '已同步' });
    for (let i = 0; i < 30 && !(await synced.count()); i++) {
      await page.waitForTimeout(1_000);
      await page.click('button[data-name=refresh]');
      await ready(page, 'logs');
    }
    assert.equal(await synced.count(), 1, 'the record shows 已同步');
    const product = await crmProduct(FAILED_PRODUCT);
    assert.ok(product?.category, 'the CRM product exists with its category');
    assert.deepEqual(realErrors(admin.errors), []);
  });

  test('a change made in the CRM (demo console: a new customer with a deal) flows to Jingdouyun', async () => {
    const { page } = admin;
    const consoleTab = await page.context().newPage();
    await consoleTab.goto(demoConsole.url);
    const form = consoleTab.locator('form[data-action=crmCustomer]');
    await form.locator('select[name=productId] option').first().waitFor({ state: 'attached' });
    await form.locator('input[name=name]').fill(NEW_CUSTOMER);
    await form.locator('select[name=ownerId]').selectOption({ label: '张伟' });
    await form.locator('button[type=submit]').click();
    await form.locator('.result.ok', { hasText: `已在纷享新建客户“${NEW_CUSTOMER}”` }).waitFor();
    await consoleTab.close();

    // The CRM calls the plugin's hook at once; the plugin writes the customer, then the order.
    await go(page, '#/logs?object=customer&direction=crm_to_jdy&status=synced', 'logs');
    const rows = page.locator('[data-results] tbody tr:has(a[data-record])');
    for (let i = 0; i < 30 && (await rows.count()) < 1; i++) {
      await page.waitForTimeout(1_000);
      await page.click('button[data-name=search]');
      await ready(page, 'logs');
    }
    const customer = (await jdyRecords('bd_customer')).find((c) => c.name === NEW_CUSTOMER);
    assert.ok(customer, 'Jingdouyun has the new customer');
    assert.equal(customer.saler_number, 'EMP003', 'its salesperson is the employee bound to its CRM owner');
    assert.match(await rows.first().innerText(), /客户\s+纷享 → 精斗云[\s\S]*已同步/);
  });

  test('a non-admin sees every page read-only', async () => {
    const { page, errors } = await signIn(DEMO_USER.openUserId);
    const disabled: Record<string, string> = {
      overview: 'button[data-name=sync-all]',
      bindings: 'button[data-name=import]',
      presets: 'input[data-preset=warehouse]',
      rules: 'form[data-form=schedule] input[name=intervalMinutes]',
    };
    for (const key of PAGES) {
      await go(page, `#/${key}`, key);
      assert.match(await page.locator('.notices').innerText(), /只读模式/, key);
      const selector = disabled[key];
      if (selector)
        assert.ok(await page.locator(selector).first().isDisabled(), `${key}: ${selector} is disabled`);
    }
    assert.equal(await page.locator('button[data-name=bind]').count(), 0);
    await go(page, `#/logs/${encodeURIComponent(failedRecordId)}`, 'logs');
    assert.ok(await page.locator('button[data-name=retry]').isDisabled());
    assert.ok(await page.locator('button[data-name=refetch]').isDisabled());
    assert.deepEqual(errors, []);
  });

  for (const viewport of VIEWPORTS) {
    test(`every page at ${viewport.width}×${viewport.height}: no horizontal scrolling, no console errors`, async () => {
      const { page, errors } = await signIn(DEMO_ADMIN.openUserId, viewport);
      for (const key of PAGES) {
        await go(page, `#/${key}`, key);
        await page.waitForLoadState('networkidle');
        await assertFits(page, key);
        if (viewport.width === 1280) await screenshot(page, key);
      }
      await go(page, `#/logs/${encodeURIComponent(failedRecordId)}`, 'logs');
      await page.waitForLoadState('networkidle');
      await assertFits(page, 'log-detail');
      await page.goto(demoConsole.url);
      await page.locator('select[name=materialId] option').first().waitFor({ state: 'attached' });
      await assertFits(page, 'demo console');
      if (viewport.width === 1280) await screenshot(page, 'demo-console');
      assert.deepEqual(errors, []);
    });
  }
});
