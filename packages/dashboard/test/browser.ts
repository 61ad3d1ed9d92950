import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterEach, expect } from 'vitest';

/** Debian's chromium (installed by .ci/run); playwright-core drives it, no browser download. */
export const chromiumPath = process.env['CORDON_CHROMIUM'] ?? '/usr/bin/chromium';
export const artifacts = fileURLToPath(new URL('../test-artifacts/', import.meta.url));

export function launchBrowser(): Promise<Browser> {
  mkdirSync(artifacts, { recursive: true });
  return chromium.launch({ executablePath: chromiumPath, args: ['--lang=zh-CN'] });
}

export const viewports = { desk: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

export interface Guarded {
  context: BrowserContext;
  page: Page;
  /** Console errors, uncaught exceptions and requests to any host but the server, as they happened. */
  problems: string[];
  /** Console errors a test causes on purpose (a refused connection, a 401) and says so. */
  allow(pattern: RegExp): void;
  screenshot(name: string): Promise<void>;
}

/**
 * A page that records what must never happen: a console error, an
 * exception, or a request leaving the server (no CDN, no font, no
 * analytics). Tests assert `problems` is empty at the end.
 */
export async function guardedPage(
  browser: Browser,
  serverUrl: string,
  viewport: { width: number; height: number } = viewports.desk,
): Promise<Guarded> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
  const page = await context.newPage();
  const origin = new URL(serverUrl).origin;
  const problems: string[] = [];
  const allowed: RegExp[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = `${message.text()} ${message.location().url}`;
    if (!allowed.some((pattern) => pattern.test(text))) problems.push(`console error: ${text}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
    problems.push(`request to another host: ${url}`);
    return route.abort();
  });
  return {
    context,
    page,
    problems,
    allow: (pattern) => allowed.push(pattern),
    screenshot: async (name) => {
      await page.screenshot({ path: `${artifacts}${name}-${viewport.width}x${viewport.height}.png`, fullPage: true });
    },
  };
}

/**
 * Guarded pages for the tests of a file: `open` makes one on `browser()`;
 * after each test every page it opened is closed and its `problems` must be
 * empty (the test fails otherwise).
 */
export function useGuardedPages(browser: () => Browser) {
  const opened: Guarded[] = [];
  afterEach(async () => {
    for (const guarded of opened.splice(0)) {
      await guarded.context.close();
      expect(guarded.problems).toEqual([]);
    }
  });
  return async (serverUrl: string, viewport: { width: number; height: number } = viewports.desk): Promise<Guarded> => {
    const guarded = await guardedPage(browser(), serverUrl, viewport);
    opened.push(guarded);
    return guarded;
  };
}

/**
 * Resolves once the page has drawn its view `after` the given count of views:
 * both charts, and the day's reporting and quality warnings (which come in
 * after the charts).
 */
export async function viewDrawn(page: Page, after = 0): Promise<number> {
  // Strings, not functions: this file is compiled without the DOM's types.
  await page.waitForFunction(`Number(document.body.dataset.complete ?? 0) > ${after}`, undefined, { timeout: 30_000 });
  return page.evaluate<number>('Number(document.body.dataset.complete)');
}
