import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export interface PageBundle {
  js: string;
  css: string;
}

const entry = fileURLToPath(new URL('./page/main.ts', import.meta.url));

/**
 * The page's TypeScript (its modules, @cordon/sdk's browser entry, ECharts)
 * as one ES module and one style sheet, built in memory with esbuild. No
 * file is written, so `npm ci && npm start` needs no build step (and npm
 * runs no install scripts here: esbuild's binary comes from its optional
 * @esbuild/linux-x64 package, which npm installs as a plain dependency).
 */
export async function buildPage(): Promise<PageBundle> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    outdir: '/dashboard-out',
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
    // ECharts reads process.env.NODE_ENV to drop its development warnings.
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const js = result.outputFiles.find((file) => file.path.endsWith('.js'));
  const css = result.outputFiles.find((file) => file.path.endsWith('.css'));
  if (!js) throw new Error('esbuild wrote no JavaScript for the dashboard');
  return { js: js.text, css: css?.text ?? '' };
}
