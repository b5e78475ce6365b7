/**
 * What the browser tests of the plugin pages share: Debian's Chromium through playwright-core, a
 * new tab that collects console errors, waiting for a page to render, and the overflow check.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The pages of the left navigation, by route key. */
export const PAGES = ['overview', 'connect', 'bindings', 'presets', 'rules', 'logs'] as const;
export const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 1024, height: 768 },
] as const;

export interface Tab {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions of the page. */
  errors: string[];
}

export async function launchChromium(): Promise<Browser> {
  assert.ok(existsSync(CHROMIUM), `chromium not found at ${CHROMIUM} (run scripts/bootstrap.sh --browser)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--lang=zh-CN'],
  });
}

/** A new browser context (its own cookies) with one page, in Chinese and Shanghai time. */
export async function openTab(
  browser: Browser,
  viewport: { width: number; height: number } = VIEWPORTS[0],
  timeoutMs = 10_000,
): Promise<Tab> {
  const context = await browser.newContext({
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(timeoutMs);
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return { context, page, errors };
}

/** The page area has rendered (no loading state left). */
export async function ready(page: Page, key: string): Promise<void> {
  // Selectors only: waitForFunction would need eval, which the pages' CSP forbids.
  await page
    .locator(`.page[data-page="${key}"]:not(:has(.state-loading)) > *`)
    .first()
    .waitFor({ state: 'attached' });
}

export async function overflow(page: Page): Promise<{ doc: number; inner: number; wideTables: number }> {
  // (Browser-side code as a string: the test project has no DOM types.)
  return page.evaluate(`({
    doc: document.documentElement.scrollWidth,
    inner: window.innerWidth,
    wideTables: [...document.querySelectorAll('.table-wrap')].filter((w) => w.scrollWidth > w.clientWidth + 1).length,
  })`);
}

/** No horizontal scrolling: neither the document nor any table is wider than its box. */
export async function assertFits(page: Page, what: string): Promise<void> {
  const o = await overflow(page);
  assert.ok(o.doc <= o.inner, `${what}: the document is ${o.doc}px wide in a ${o.inner}px window`);
  assert.equal(o.wideTables, 0, `${what}: a table scrolls sideways`);
}

/** Refused API calls (409, 422 …) are part of some flows; the browser logs them as "Failed to load resource". */
export const realErrors = (errors: string[]): string[] =>
  errors.filter((e) => !/Failed to load resource/.test(e));
