/**
 * The dashboard's other states in a real headless Chromium against the real
 * server on the demo data: a period with no data, the server going away and
 * coming back mid-session, the English page, a phone's width through a
 * whole session, and the API reference's "Try it out" on whatever host and
 * port the server runs. A server of its own (it is stopped on purpose), so
 * dashboard.browser.test.ts never sees it go away.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { loadDemo } from '../../src/demo.ts';
import { serveTestCordon, type ServedCordon } from '../served.ts';
import { launchBrowser, useGuardedPages, viewDrawn, viewports } from '@cordon/dashboard/testing';

let served: ServedCordon;
let browser: Browser;
let readKey: string;
const openPage = useGuardedPages(() => browser);

beforeAll(async () => {
  served = await serveTestCordon();
  await loadDemo(served.cordon.runtime);
  const response = await served.cordon.request('/v1/keys', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'county office', role: 'read', region: '410184' }),
  });
  expect(response.status).toBe(201);
  readKey = ((await response.json()) as { key: string }).key;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await served?.close();
});

function newPage(viewport: { width: number; height: number } = viewports.desk, serverUrl = served.url) {
  return openPage(serverUrl, viewport);
}

async function signIn(page: Page, fragment: string) {
  await page.goto(`${served.url}/dashboard#${fragment}`);
  await page.getByLabel('API 密钥').fill(readKey);
  await page.getByRole('button', { name: '登录' }).click();
}

/** Every card's total as shown, by its label. */
async function cardTotals(page: Page): Promise<Record<string, string>> {
  const cards = page.getByRole('region', { name: /^(主要指标|Headline figures)$/ }).getByRole('group');
  const totals: Record<string, string> = {};
  for (let i = 0; i < (await cards.count()); i++) {
    const card = cards.nth(i);
    totals[(await card.getAttribute('aria-label')) ?? ''] = (await card.locator('strong').textContent()) ?? '';
  }
  return totals;
}

/** Nothing wider than the screen: the document never scrolls sideways (a wide table scrolls inside its own box). */
async function scrollWidth(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth');
}

const xinzhengZh = {
  卡点排查人员: '184,735',
  卡点排查车辆: '115,814',
  劝返人员: '16,966',
  劝返车辆: '10,899',
  发热人员: '27',
  居家隔离人员: '0',
  在用卡点: '154',
};

describe('a period with no data', () => {
  it('says so, with every card at 0 and no site in service, before the first day with data', async () => {
    const { page, screenshot } = await newPage();
    await signIn(page, 'region=410184&from=2019-12-01&to=2019-12-31');
    await viewDrawn(page);
    await expect(page.getByRole('status').textContent()).resolves.toBe('该地区在所选时段内没有数据。');
    expect(await cardTotals(page)).toEqual({
      卡点排查人员: '0',
      卡点排查车辆: '0',
      劝返人员: '0',
      劝返车辆: '0',
      发热人员: '0',
      居家隔离人员: '0',
      在用卡点: '0',
    });
    await expect(page.getByText('当日没有在岗点位。').isVisible()).resolves.toBe(true);
    // No empty bar chart, no table of headers alone.
    await expect(page.getByText('所选时段内下级地区没有数据。').isVisible()).resolves.toBe(true);
    await expect(page.getByRole('img', { name: /^下级地区分布/ }).isHidden()).resolves.toBe(true);
    await expect(page.getByRole('table').count()).resolves.toBe(0);
    await expect(page.getByText('当日没有数据质量提示。').isVisible()).resolves.toBe(true);
    // The daily chart still spans the period asked for (its days, all 0).
    await expect(
      page
        .getByRole('img', { name: '逐日趋势: 卡点排查人员' })
        .locator('text', { hasText: /^12月1日$/ })
        .count(),
    ).resolves.toBe(1);
    await screenshot('empty');
  });
});

describe('the server unreachable', () => {
  it('says so mid-session, keeps the figures it has, and comes back by itself when the server does', async () => {
    const { page, screenshot, allow } = await newPage();
    // The browser logs every refused connection; that is the state under test.
    allow(/ERR_CONNECTION_REFUSED|Failed to load resource/);
    await signIn(page, 'region=410184&to=2020-02-13&refresh=1');
    let drawn = await viewDrawn(page);
    expect(await cardTotals(page)).toEqual(xinzhengZh);
    await served.goOffline();
    try {
      await page.getByRole('alert').filter({ hasText: '无法连接服务器，正在重试…' }).waitFor({ timeout: 20_000 });
      // The figures stay on screen while it retries.
      expect(await cardTotals(page)).toEqual(xinzhengZh);
      await expect(page.getByRole('button', { name: '重试' }).isVisible()).resolves.toBe(true);
      await screenshot('unreachable');
    } finally {
      await served.goOnline();
    }
    drawn = await viewDrawn(page, drawn);
    await page.getByRole('alert').filter({ hasText: '无法连接服务器' }).waitFor({ state: 'detached' });
    expect(await cardTotals(page)).toEqual(xinzhengZh);
    // A region change after the outage loads as usual.
    await page.getByLabel('下级地区', { exact: true }).selectOption({ label: '龙湖镇' });
    await viewDrawn(page, drawn);
    expect((await cardTotals(page))['卡点排查人员']).toBe('38,961');
  });
});

describe('the English page', () => {
  it('switches every label and keeps the exact figures, the choice kept for the tab', async () => {
    const { page, screenshot } = await newPage();
    await signIn(page, 'region=410184&to=2020-02-13');
    await viewDrawn(page);
    await page.getByRole('button', { name: '切换到英文' }).click();
    await page.getByRole('heading', { level: 1, name: /Public-health dashboard/ }).waitFor();
    // The same view redrawn in English (no new request, so no new view number): wait for the chart's English legend.
    const trend = page.getByRole('img', { name: 'Daily trend: People screened' });
    await trend.locator('text', { hasText: 'People screened (7-day average)' }).waitFor();
    expect(await cardTotals(page)).toEqual({
      'People screened': '184,735',
      'Vehicles screened': '115,814',
      'People turned back': '16,966',
      'Vehicles turned back': '10,899',
      'Fever cases': '27',
      'People in home quarantine': '0',
      'Active sites': '154',
    });
    await expect(page.getByRole('heading', { name: 'Daily trend' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('group', { name: 'People screened', exact: true }).textContent()).resolves.toBe(
      'People screenedTotal184,735peopleLast day 11,965vs. day before +250',
    );
    const table = page.getByRole('table', { name: 'Breakdown by region below' });
    await expect(table.getByRole('row').nth(1).textContent()).resolves.toBe('龙湖镇38,96124,4993,7152,362604');
    await expect(page.getByRole('columnheader', { name: /People screened/ }).getAttribute('aria-sort')).resolves.toBe('descending');
    await expect(page.getByRole('heading', { name: 'Reporting that day (13 Feb 2020)' }).isVisible()).resolves.toBe(true);
    await expect(page.getByText('24 / 154 sites in service reported').isVisible()).resolves.toBe(true);
    // The charts speak English too: the legend and the days on the axis, from @cordon/charts.
    await expect(trend.locator('text', { hasText: 'People screened (7-day average)' }).count()).resolves.toBe(1);
    await expect(trend.locator('text', { hasText: /^Jan 24$/ }).count()).resolves.toBe(1);
    await screenshot('english');
    // Kept for the tab: a reload stays in English.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: /Public-health dashboard/ }).waitFor();
    await viewDrawn(page);
    expect((await cardTotals(page))['Fever cases']).toBe('27');
    await page.getByRole('button', { name: 'Switch to Chinese' }).click();
    await page.getByRole('heading', { level: 1, name: /疫情防控数据看板/ }).waitFor();
  });
});

describe('a phone', () => {
  it('at 390×844 never scrolls sideways: the county, a township, the weekly chart, the English page', async () => {
    const { page, screenshot } = await newPage(viewports.phone);
    await signIn(page, 'region=410184&to=2020-02-13');
    let drawn = await viewDrawn(page);
    expect(await scrollWidth(page)).toBe(390);
    await page.getByLabel('下级地区', { exact: true }).selectOption({ label: '龙湖镇' });
    drawn = await viewDrawn(page, drawn);
    expect((await cardTotals(page))['卡点排查人员']).toBe('38,961');
    expect(await scrollWidth(page)).toBe(390);
    await screenshot('phone-township');
    await page.getByRole('radio', { name: '按周' }).check();
    drawn = await viewDrawn(page, drawn);
    await expect(page.getByRole('heading', { name: '每周趋势' }).isVisible()).resolves.toBe(true);
    await expect(
      page
        .getByRole('img', { name: '每周趋势: 卡点排查人员' })
        .locator('text', { hasText: /^第7周$/ })
        .count(),
    ).resolves.toBe(1);
    expect(await scrollWidth(page)).toBe(390);
    await screenshot('phone-weekly');
    await page.getByRole('button', { name: '切换到英文' }).click();
    await page
      .getByRole('img', { name: 'Weekly trend: People screened' })
      .locator('text', { hasText: /^Week 7$/ })
      .waitFor();
    expect((await cardTotals(page))['People screened']).toBe('38,961');
    expect(await scrollWidth(page)).toBe(390);
    // The wide table scrolls inside its own box, not the page.
    const box = await page.getByRole('table').evaluate((table: { parentElement: { scrollWidth: number; clientWidth: number } }) => ({
      content: table.parentElement.scrollWidth,
      shown: table.parentElement.clientWidth,
    }));
    expect(box.content).toBeGreaterThan(box.shown);
    expect(box.shown).toBe(390 - 2 * 8 - 2 * 12);
    await screenshot('phone-english');
  });
});

describe('the API reference', () => {
  it('"Try it out" sends its request to the host and port the page came from', async () => {
    // Not 127.0.0.1:8787 (the default): a free port, and the name localhost.
    const url = served.url.replace('127.0.0.1', 'localhost');
    const { page, screenshot } = await newPage(viewports.desk, url);
    await page.goto(`${url}/docs`);
    await page.getByRole('button', { name: 'Authorize' }).first().click();
    await page.getByLabel('auth-bearer-value').fill(readKey);
    await page.getByRole('button', { name: 'Apply credentials' }).click();
    await page.getByRole('button', { name: 'Close', exact: true }).click();
    await page.getByRole('button', { name: /^GET \/v1\/metrics\b/ }).click();
    await page.getByRole('button', { name: 'Execute' }).click();
    // Swagger UI gives its live response no roles or labels: its own class names are all there is to find it by.
    const requestUrl = page.locator('.request-url pre');
    await requestUrl.waitFor();
    await expect(requestUrl.textContent()).resolves.toBe(`${url}/v1/metrics`);
    const live = page.locator('.live-responses-table .response');
    await expect(live.locator('.response-col_status').textContent()).resolves.toBe('200');
    await expect(live.locator('.response-col_description').textContent()).resolves.toContain('"people_screened"');
    await screenshot('docs-try-it-out');
  });
});
