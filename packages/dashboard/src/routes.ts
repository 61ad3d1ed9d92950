import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { buildPage, type PageBundle } from './bundle.ts';
import { landingPage, type Lang } from './landing.ts';
import { dashboardShell } from './shell.ts';

export interface DashboardRoutesOptions {
  /** Told when building the page fails (the request answers 500). */
  onBuildError?: (error: unknown) => void;
}

/**
 * GET / (the landing page), GET /dashboard (the page's HTML shell) and its
 * script and style sheet. The bundle is built on the first request for it
 * and kept in memory for the life of the process: a server that never shows
 * the page never pays for esbuild, and the second visitor waits for nothing.
 */
export function createDashboardRoutes(options: DashboardRoutesOptions = {}) {
  const app = new Hono();
  let bundle: Promise<PageBundle & { version: string }> | undefined;
  const page = () => {
    bundle ??= buildPage().then(
      (built) => ({ ...built, version: versionOf(built) }),
      (error: unknown) => {
        // A failed build is not cached: the next request tries again.
        bundle = undefined;
        options.onBuildError?.(error);
        throw error;
      },
    );
    return bundle;
  };

  app.get('/', (c) => c.html(landingPage(langOf(c.req.query('lang')))));
  app.get('/dashboard', async (c) => {
    const { version, chunks } = await page();
    return c.html(dashboardShell(version, [...chunks.keys()]), 200, { 'cache-control': 'no-cache' });
  });
  // The shell names the bundle by its hash, so the files may be cached for good.
  const immutable = 'public, max-age=31536000, immutable';
  app.get('/dashboard/app.js', async (c) =>
    c.body((await page()).js, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': immutable }),
  );
  // Chunk names carry their content's hash; any other name is not ours.
  app.get('/dashboard/:chunk{[a-z]+-[A-Z0-9]+\\.js}', async (c) => {
    const text = (await page()).chunks.get(c.req.param('chunk'));
    if (text === undefined) return c.notFound();
    return c.body(text, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': immutable });
  });
  app.get('/dashboard/app.css', async (c) =>
    c.body((await page()).css, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': immutable }),
  );
  return app;
}

/** One hash over every file of the bundle: the shell's `?v=` changes when any of them does. */
function versionOf(bundle: PageBundle): string {
  const hash = createHash('sha256').update(bundle.js).update(bundle.css);
  for (const [name, text] of bundle.chunks) hash.update(name).update(text);
  return hash.digest('base64url').slice(0, 12);
}

function langOf(value: string | undefined): Lang {
  return value === 'en' ? 'en' : 'zh';
}
