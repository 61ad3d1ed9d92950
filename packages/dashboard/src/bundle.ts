import { fileURLToPath } from 'node:url';
import { basename } from 'node:path';
import { build } from 'esbuild';

export interface PageBundle {
  /** The entry module the shell loads (`/dashboard/app.js`). */
  js: string;
  css: string;
  /**
   * The modules the entry imports later, by file name (`charts-<hash>.js`):
   * ECharts is most of the page's bytes, so it is a chunk of its own that
   * the browser fetches beside the entry and evaluates while the first
   * figures are on their way, instead of before the first request is sent.
   */
  chunks: ReadonlyMap<string, string>;
}

const entry = fileURLToPath(new URL('./page/main.ts', import.meta.url));

/**
 * The page's TypeScript (its modules, @cordon/sdk's browser entry, ECharts)
 * as ES modules and one style sheet, built in memory with esbuild. No file
 * is written, so `npm ci && npm start` needs no build step (and npm runs no
 * install scripts here: esbuild's binary comes from its optional
 * @esbuild/linux-x64 package, which npm installs as a plain dependency).
 */
export async function buildPage(): Promise<PageBundle> {
  const result = await build({
    entryPoints: { app: entry },
    bundle: true,
    splitting: true,
    write: false,
    outdir: '/dashboard-out',
    entryNames: '[name]',
    // Content-hashed, so the routes can serve them as immutable.
    chunkNames: '[name]-[hash]',
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
    // ECharts reads process.env.NODE_ENV to drop its development warnings.
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const js = result.outputFiles.find((file) => basename(file.path) === 'app.js');
  const css = result.outputFiles.find((file) => file.path.endsWith('.css'));
  if (!js) throw new Error('esbuild wrote no JavaScript for the dashboard');
  const chunks = new Map(
    result.outputFiles.filter((file) => file !== js && file.path.endsWith('.js')).map((file) => [basename(file.path), file.text] as const),
  );
  return { js: js.text, css: css?.text ?? '', chunks };
}
