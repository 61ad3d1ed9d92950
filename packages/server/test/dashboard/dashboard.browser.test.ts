/**
 * The dashboard in a real headless Chromium against the real server
 * (embedded log, chDB, real HTTP) loaded with the demo data set: a person's
 * paths, found by role, label and visible text, with the figures the county
 * bulletins print. Every test fails on a console error or a request to any
 * host but the server; each state leaves a screenshot in test-artifacts/.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createBulletinGenerator } from '@cordon/bulletin';
import { silentLogger } from '@cordon/ingest';
import { loadDemo, startDemoBulletins } from '../../src/demo.ts';
import { event } from '../harness.ts';
import { adminKey, serveTestCordon, type ServedCordon } from '../served.ts';
import { artifacts, launchBrowser, useGuardedPages, viewDrawn, viewports } from '@cordon/dashboard/testing';

let served: ServedCordon;
let browser: Browser;
let readKey: { key: string; keyId: string };
const openPage = useGuardedPages(() => browser);

async function createKey(body: object): Promise<{ key: string; keyId: string }> {
  const response = await served.cordon.request('/v1/keys', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { key: string; keyId: string };
}

beforeAll(async () => {
  served = await serveTestCordon();
  await loadDemo(served.cordon.runtime);
  readKey = await createKey({ name: 'county office', role: 'read', region: '410184' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await served?.close();
});

function newPage(viewport: { width: number; height: number } = viewports.desk) {
  return openPage(served.url, viewport);
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
    // The bulletins are read in the dashboard: the day's, and the past ones under 往期简报.
    await expect(page.getByRole('link', { name: '每日简报' }).getAttribute('href')).resolves.toBe('/dashboard');
    await screenshot('landing');
    await page.getByRole('link', { name: 'English' }).click();
    await expect(page.getByRole('link', { name: 'Dashboard' }).getAttribute('href')).resolves.toBe('/dashboard');
    await screenshot('landing-en');
  });
});

describe('signing in and reading the county', () => {
  it.each([
    ['desk', viewports.desk],
    ['phone', viewports.phone],
  ] as const)('shows the Xinzheng cards to 2月13日 exactly as the bulletin (%s)', async (name, viewport) => {
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

const longhu = { 卡点排查人员: '38,961', 卡点排查车辆: '24,499', 劝返人员: '3,715', 劝返车辆: '2,362', 发热人员: '6' };

describe('moving around', () => {
  it('switches to a township and shows its exact figures, then drills from the breakdown into a village level', async () => {
    const { page, screenshot } = await newPage();
    await signIn(page, readKey.key);
    let drawn = await viewDrawn(page);
    await page.getByLabel('下级地区', { exact: true }).selectOption({ label: '龙湖镇' });
    drawn = await viewDrawn(page, drawn);
    for (const [label, figure] of Object.entries(longhu)) expect(await cardTotal(page, label), label).toBe(figure);
    await expect(page.getByRole('navigation', { name: '地区层级' }).getByRole('button', { name: '新郑市' }).isVisible()).resolves.toBe(
      true,
    );
    await screenshot('township');
    // Back up, then drill from the table, sorted by fever cases.
    await page.getByRole('navigation', { name: '地区层级' }).getByRole('button', { name: '新郑市' }).click();
    drawn = await viewDrawn(page, drawn);
    await page.getByRole('button', { name: '发热人员', exact: true }).click();
    await expect(page.getByRole('columnheader', { name: /发热人员/ }).getAttribute('aria-sort')).resolves.toBe('descending');
    const table = page.getByRole('table', { name: '下级地区分布' });
    await expect(table.getByRole('row').nth(1).getByRole('rowheader').textContent()).resolves.toBe('龙湖镇');
    await table.getByRole('button', { name: '梨河镇' }).click();
    drawn = await viewDrawn(page, drawn);
    expect(await cardTotal(page, '卡点排查人员')).toBe('24,771');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('梨河镇');
    await screenshot('drilled');
  });

  it('finds a region by name', async () => {
    const { page } = await newPage();
    await signIn(page, readKey.key);
    const drawn = await viewDrawn(page);
    await page.getByLabel('按名称搜索地区').fill('龙湖');
    await page
      .getByRole('list', { name: '搜索结果' })
      .getByRole('button', { name: /^龙湖镇/ })
      .click();
    await viewDrawn(page, drawn);
    for (const [label, figure] of Object.entries(longhu)) expect(await cardTotal(page, label), label).toBe(figure);
  });

  it("downloads the breakdown CSV, byte for byte the API's", async () => {
    const { page } = await newPage();
    await signIn(page, readKey.key);
    await viewDrawn(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载下级地区 CSV' }).click()]);
    const file = await readFile((await download.path())!);
    const api = await fetch(
      `${served.url}/v1/aggregates?metrics=people_screened,vehicles_screened,people_turned_back,vehicles_turned_back,fever_cases,quarantine_active,sites_active&region=410184&to=2020-02-13&groupBy=region&level=town&lang=zh`,
      { headers: { authorization: `Bearer ${readKey.key}`, accept: 'text/csv' } },
    );
    expect(file.equals(Buffer.from(await api.arrayBuffer()))).toBe(true);
    expect(file.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
    // Headed in the page's language, as the table on screen.
    expect(file.toString('utf8')).toContain('卡点排查人员');
  });

  it("says when a region is outside the key's scope and goes back", async () => {
    const { page, screenshot, allow } = await newPage();
    allow(/status of 403/);
    await signIn(page, readKey.key);
    await viewDrawn(page);
    await page.getByRole('navigation', { name: '地区层级' }).getByRole('button', { name: '郑州市' }).click();
    await expect(page.getByRole('alert').filter({ hasText: '该地区不在此密钥的权限范围内' }).waitFor()).resolves.toBeUndefined();
    await screenshot('out-of-scope');
    await page.getByRole('button', { name: '回到可查看的地区' }).click();
    await page.getByRole('alert').filter({ hasText: '该地区不在此密钥的权限范围内' }).waitFor({ state: 'detached' });
    expect(await cardTotal(page, '卡点排查车辆')).toBe('115,814');
  });
});

describe("the day's bulletin", () => {
  beforeAll(async () => {
    // What npm run demo writes, for 新郑市 alone: the bulletins of every day of the data set.
    const service = await startDemoBulletins(served.cordon.runtime, {
      config: served.cordon.config,
      logger: silentLogger,
      generator: createBulletinGenerator,
      regions: ['410184'],
    });
    await service.firstRun;
    await service.close();
  });

  it('opens the bulletin written for the day in a new tab, lists the past ones, and says so when a day has none', async () => {
    const { page, allow, screenshot } = await newPage();
    await signIn(page, readKey.key);
    const drawnFirst = await viewDrawn(page);
    const [tab] = await Promise.all([
      page.context().waitForEvent('page'),
      page.getByRole('button', { name: '查看当日简报（2020年2月13日）' }).click(),
    ]);
    await tab.getByRole('heading', { level: 1, name: '新郑市疫情防控工作日报' }).waitFor();
    expect(tab.url()).toMatch(/^blob:/);
    await expect(
      tab.getByText('截至2月13日，累计排查车辆115814台、184735人，劝返车辆10899台、16966人，发现发热人员27名。').count(),
    ).resolves.toBe(1);
    await expect(tab.getByText('第21期').count()).resolves.toBe(1);
    await tab.screenshot({ path: `${artifacts}bulletin-tab-1280x800.png`, fullPage: true });
    await tab.close();

    // The past ones, newest first: every day the demo wrote for 新郑市, each opening its own.
    await page.getByText('往期简报（44）').click();
    const archive = page.getByRole('list', { name: '往期简报' }).getByRole('button');
    await expect(archive.count()).resolves.toBe(44);
    await expect(archive.first().textContent()).resolves.toBe('第44期 · 2020年3月7日');
    await screenshot('bulletin-archive');
    const [firstIssue] = await Promise.all([page.context().waitForEvent('page'), archive.last().click()]);
    await firstIssue.getByRole('heading', { level: 1, name: '新郑市疫情防控工作日报' }).waitFor();
    await expect(firstIssue.getByText('第1期').count()).resolves.toBe(1);
    await expect(firstIssue.getByText('统计日：2020年1月24日（0时至24时）').count()).resolves.toBe(1);
    await firstIssue.close();

    // 3月8日, the demo's "today": no bulletin yet. The tab opened for it is closed again and the page says why.
    allow(/status of 404/);
    await page.getByLabel('截止日期').fill('2020-03-08');
    await viewDrawn(page, drawnFirst);
    const opened = page.context().waitForEvent('page');
    await page.getByRole('button', { name: '查看当日简报（2020年3月8日）' }).click();
    const empty = await opened;
    await expect(page.getByText('该日的简报尚未生成。').waitFor()).resolves.toBeUndefined();
    // Closed before the message shows; it may be gone before a listener for "close" could be added, so ask whether it is.
    await expect.poll(() => empty.isClosed()).toBe(true);
  });
});

describe('the wall screen', () => {
  it('signs in from the fragment, drops the key from the address bar, and refreshes in place as events are counted', async () => {
    const wall = await createKey({ name: 'wall screen', role: 'read', region: '410184' });
    const { page, screenshot, allow } = await newPage();
    allow(/status of 401/);
    const statuses: number[] = [];
    page.on('response', (response) => {
      if (response.url().includes('/v1/aggregates')) statuses.push(response.status());
    });
    await page.goto(`${served.url}/dashboard#key=${wall.key}&region=410184&to=2020-02-13&refresh=1`);
    let drawn = await viewDrawn(page);
    expect(page.url()).not.toContain(wall.key);
    expect(page.url()).toContain('region=410184');
    expect(await cardTotal(page, '发热人员')).toBe('27');
    await screenshot('wall');
    // Marks the document: a full reload would lose it.
    await page.evaluate('window.__sameDocument = true');
    await expect.poll(() => statuses.filter((s) => s === 304).length, { timeout: 15_000 }).toBeGreaterThan(0);
    const fever = event('fever', { people: 2, disposition: 'referred' }, { occurredAt: '2020-02-13T09:00:00+08:00' });
    const sent = await served.cordon.send([fever]);
    expect(sent.body.accepted).toBe(1);
    await served.cordon.settled();
    drawn = await viewDrawn(page, drawn);
    await expect.poll(() => cardTotal(page, '发热人员'), { timeout: 15_000 }).toBe('29');
    expect(await page.evaluate<boolean>('window.__sameDocument === true')).toBe(true);
    // The new fever cases at a place with no screening that day: a quality flag, in the page's language.
    await expect
      .poll(() => page.getByRole('list', { name: '数据质量提示' }).textContent(), { timeout: 15_000 })
      .toBe(`新郑市 · 发热人员（2）多于卡点排查人员（0）相关事件（1）${String(fever['id'])}`);
    await screenshot('wall-refreshed');

    // Revoked: the next check gets 401 and the page is back at the sign-in.
    await served.cordon.request(`/v1/keys/${wall.keyId}`, { method: 'DELETE' });
    await expect(page.getByText('密钥已失效或已被撤销，请重新登录。').waitFor({ timeout: 15_000 })).resolves.toBeUndefined();
    expect(await page.evaluate<string | null>("sessionStorage.getItem('cordon.apiKey')")).toBeNull();
    await screenshot('revoked');
  });

  it('refuses a wrong key at the sign-in', async () => {
    const { page, allow } = await newPage(viewports.phone);
    allow(/status of 401/);
    await signIn(page, 'ck_not_a_real_key');
    await expect(page.getByText('密钥已失效或已被撤销，请重新登录。').waitFor()).resolves.toBeUndefined();
    await expect(page.getByLabel('API 密钥').isVisible()).resolves.toBe(true);
  });
});
