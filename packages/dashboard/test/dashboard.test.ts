/**
 * The dashboard in a real headless Chromium against the real server
 * (embedded log, chDB, real HTTP) loaded with the demo data set: a person's
 * paths, found by role, label and visible text, with the figures the county
 * bulletins print. Every test fails on a console error or a request to any
 * host but the server; each state leaves a screenshot in test-artifacts/.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { loadDemo } from '../../server/src/demo.ts';
import { event } from '../../server/test/harness.ts';
import { adminKey, serveTestCordon, type ServedCordon } from '../../sdk/test/real-server.ts';
import { guardedPage, launchBrowser, viewDrawn, viewports, type Guarded } from './browser.ts';

let served: ServedCordon;
let browser: Browser;
let readKey: { key: string; id: string };
const open: Guarded[] = [];

async function createKey(body: object): Promise<{ key: string; id: string }> {
  const response = await served.cordon.request('/v1/keys', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(201);
  return (await response.json()) as { key: string; id: string };
}

beforeAll(async () => {
  served = await serveTestCordon();
  await loadDemo(served.cordon.runtime);
  readKey = await createKey({ name: 'county office', role: 'read', region: '410184' });
  browser = await launchBrowser();
});
afterEach(async () => {
  for (const guarded of open.splice(0)) {
    await guarded.context.close();
    expect(guarded.problems).toEqual([]);
  }
});
afterAll(async () => {
  await browser?.close();
  await served?.close();
});

async function newPage(viewport: { width: number; height: number } = viewports.desk) {
  const guarded = await guardedPage(browser, served.url, viewport);
  open.push(guarded);
  return guarded;
}

function card(page: Page, label: string) {
  return page.getByRole('group', { name: label, exact: true });
}

/** The figure a card shows as its total (the bold number), exactly as on screen. */
async function cardTotal(page: Page, label: string): Promise<string> {
  return (await card(page, label).locator('strong').textContent()) ?? '';
}

async function signIn(page: Page, key: string, fragment = 'region=410184&to=2020-02-13') {
  await page.goto(`${served.url}/dashboard#${fragment}`);
  await page.getByLabel('API 密钥').fill(key);
  await page.getByRole('button', { name: '登录' }).click();
}

const xinzheng = { 卡点排查车辆: '115,814', 卡点排查人员: '184,735', 劝返车辆: '10,899', 劝返人员: '16,966', 发热人员: '27' };

describe('the landing page', () => {
  it('links the dashboard, the API docs and the bulletins, in Chinese with an English switch', async () => {
    const { page, screenshot } = await newPage();
    await page.goto(`${served.url}/`);
    await expect(page.getByRole('link', { name: '数据看板' }).getAttribute('href')).resolves.toBe('/dashboard');
    await expect(page.getByRole('link', { name: 'API 文档' }).getAttribute('href')).resolves.toBe('/docs');
    await expect(page.getByRole('link', { name: '每日简报' }).isVisible()).resolves.toBe(true);
    await screenshot('landing');
    await page.getByRole('link', { name: 'English' }).click();
    await expect(page.getByRole('link', { name: 'Dashboard' }).getAttribute('href')).resolves.toBe('/dashboard');
    await screenshot('landing-en');
  });
});

describe('signing in and reading the county', () => {
  it.each([['desk', viewports.desk], ['phone', viewports.phone]] as const)('shows the Xinzheng cards to 2月13日 exactly as the bulletin (%s)', async (name, viewport) => {
    const { page, screenshot } = await newPage(viewport);
    await page.goto(`${served.url}/dashboard`);
    await screenshot('signin');
    await signIn(page, readKey.key);
    await viewDrawn(page);
    for (const [label, figure] of Object.entries(xinzheng)) expect(await cardTotal(page, label), label).toBe(figure);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('新郑市');
    // The key lives in this tab's sessionStorage, never in the address bar or a cookie.
    expect(await page.evaluate<string | null>("sessionStorage.getItem('cordon.apiKey')")).toBe(readKey.key);
    expect(page.url()).not.toContain(readKey.key);
    expect(await page.context().cookies()).toEqual([]);
    // Nothing wider than the screen: the page works at a phone's width.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(viewport.width);
    await screenshot(`county-${name}`);
  });
});
