/**
 * The SDK as a user gets it: `npm pack -w @cordon/sdk` makes a tarball, and
 * a fresh project outside the monorepo installs it with npm, offline, then
 * uses it three ways: types checked by a strict tsc (Node, and a browser app
 * without Node's types), the code run by Node, and a browser bundle made by
 * esbuild.
 *
 * Offline: the SDK's dependencies (openapi-fetch, uuid and theirs) are packed
 * from the workspace's node_modules into tarballs installed beside it, so
 * the test needs no registry (npm ci fills the cache with tarballs but not
 * with the registry documents a fresh resolution asks for).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';

const sdk = fileURLToPath(new URL('..', import.meta.url));
const repo = join(sdk, '..', '..');
const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
let consumer: string;
let packed: { filename: string; files: { path: string }[] };
let workspaceManifestBefore: string;

const consumerCode = `
import { createClient, createEventSender, type MetricName } from '@cordon/sdk';
const cordon = createClient({ baseUrl: 'http://127.0.0.1:9', apiKey: 'k', retry: false });
const metrics: MetricName[] = ['people_screened', 'donated:masks:piece'];
const figures = await cordon.aggregates({ metrics, region: '410184', groupBy: 'day' });
if (figures.error) {
  if (figures.error.kind === 'problem') console.log(figures.error.status, figures.error.errors.length);
  console.log(JSON.stringify({ kind: figures.error.kind }));
} else {
  console.log(figures.data.totals['people_screened']);
}
// @ts-expect-error not a metric
void cordon.aggregates({ metrics: ['people'] });
export const sender = createEventSender({ client: cordon, flushEvery: 0 });
`;

/** The SDK's runtime dependencies and theirs, as installed in the workspace. */
function dependencyClosure(): string[] {
  const found = new Set<string>();
  const visit = (manifest: string) => {
    const deps = Object.keys((JSON.parse(readFileSync(manifest, 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {});
    for (const dep of deps) {
      if (found.has(dep)) continue;
      found.add(dep);
      visit(join(repo, 'node_modules', dep, 'package.json'));
    }
  };
  visit(join(sdk, 'package.json'));
  return [...found].sort();
}

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', [...args, '--offline', '--no-audit', '--no-fund'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

beforeAll(() => {
  workspaceManifestBefore = readFileSync(join(sdk, 'package.json'), 'utf8');
  const tarballs = mkdtempSync(join(tmpdir(), 'cordon-sdk-tarballs-'));
  [packed] = JSON.parse(npm(['pack', '-w', '@cordon/sdk', '--json', '--pack-destination', tarballs], repo)) as [typeof packed];
  // Installed copies are built already: packed as they are, without their own prepack scripts.
  const deps = dependencyClosure().map(
    (dep) =>
      (
        JSON.parse(npm(['pack', join(repo, 'node_modules', dep), '--json', '--ignore-scripts', '--pack-destination', tarballs], repo)) as [
          { filename: string },
        ]
      )[0].filename,
  );

  consumer = mkdtempSync(join(tmpdir(), 'cordon-sdk-consumer-'));
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'sdk-consumer', private: true, type: 'module' }));
  npm(['install', ...[packed.filename, ...deps].map((file) => join(tarballs, file))], consumer);
  // The consumer's own tools: the workspace's TypeScript and Node types (not the subject of the test).
  for (const dep of ['@types', 'typescript']) symlinkSync(join(repo, 'node_modules', dep), join(consumer, 'node_modules', dep), 'dir');
  writeFileSync(join(consumer, 'app.ts'), consumerCode);
  writeFileSync(
    join(consumer, 'node-app.ts'),
    `import { createFileQueueStore } from '@cordon/sdk/node';\nexport const store = createFileQueueStore({ path: 'q.ndjson' });\n`,
  );
  const strict = {
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    noEmit: true,
    skipLibCheck: false,
    target: 'ES2022',
  };
  writeFileSync(
    join(consumer, 'tsconfig.node.json'),
    JSON.stringify({
      compilerOptions: { ...strict, module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2023'], types: ['node'] },
      files: ['app.ts', 'node-app.ts'],
    }),
  );
  writeFileSync(
    join(consumer, 'tsconfig.browser.json'),
    JSON.stringify({
      compilerOptions: { ...strict, module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM', 'DOM.Iterable'], types: [] },
      files: ['app.ts'],
    }),
  );
}, 180_000);

describe('npm pack -w @cordon/sdk', () => {
  it('packs built JavaScript and declarations, no source, and leaves the workspace package.json as it was', () => {
    expect(packed.filename).toBe('cordon-sdk-0.1.0.tgz');
    const files = packed.files.map((f) => f.path).sort();
    expect(files).toEqual(
      [
        'README.md',
        'package.json',
        'dist/generated/openapi.d.ts',
        ...['client', 'errors', 'events', 'index', 'node', 'sender', 'transport', 'types'].flatMap((m) => [
          `dist/${m}.js`,
          `dist/${m}.d.ts`,
        ]),
      ].sort(),
    );
    expect(readFileSync(join(sdk, 'package.json'), 'utf8')).toBe(workspaceManifestBefore);
    expect(JSON.parse(workspaceManifestBefore).exports['.']).toBe('./src/index.ts'); // the monorepo keeps reading the source
  });

  it('installs offline into a fresh project, with a package.json whose exports point at the built files', () => {
    const pkg = JSON.parse(readFileSync(join(consumer, 'node_modules', '@cordon', 'sdk', 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({
      name: '@cordon/sdk',
      version: '0.1.0',
      type: 'module',
      types: './dist/index.d.ts',
      exports: {
        '.': { types: './dist/index.d.ts', default: './dist/index.js' },
        './node': { types: './dist/node.d.ts', default: './dist/node.js' },
      },
      dependencies: { 'openapi-fetch': expect.any(String), uuid: expect.any(String) },
    });
    expect(pkg.private).toBeUndefined();
    expect(pkg.scripts).toBeUndefined(); // the build scripts need the monorepo; an installed package runs none
    expect(readFileSync(join(consumer, 'node_modules', '@cordon', 'sdk', 'dist', 'generated', 'openapi.d.ts'), 'utf8')).toBe(
      readFileSync(join(sdk, 'src', 'generated', 'openapi.d.ts'), 'utf8'),
    );
  });

  it('type-checks in a strict Node consumer and in a browser consumer without Node types', () => {
    for (const project of ['tsconfig.node.json', 'tsconfig.browser.json']) {
      execFileSync(process.execPath, [tsc, '-p', project], { cwd: consumer, stdio: 'pipe' });
    }
  }, 120_000);

  it('runs in Node (ESM) from the installed package', () => {
    writeFileSync(
      join(consumer, 'run.mjs'),
      consumerCode
        .replace(', type MetricName', '')
        .replace(': MetricName[]', '')
        .replace(/^\/\/ @ts-expect-error.*$/m, ''),
    );
    const out = execFileSync(process.execPath, ['run.mjs'], { cwd: consumer, encoding: 'utf8' });
    expect(JSON.parse(out.trim())).toEqual({ kind: 'network' });
  });

  it('bundles for the browser with esbuild, with no Node built-in in the bundle, and the bundle runs', async () => {
    const result = await build({
      absWorkingDir: consumer,
      entryPoints: ['app.ts'],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      write: false,
      outfile: 'bundle.js',
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    const bundle = result.outputFiles[0]!.text;
    expect(bundle).not.toMatch(/\bfrom\s*["']node:|require\(["']|import\(["']/); // self-contained, nothing left to resolve
    writeFileSync(join(consumer, 'bundle.mjs'), bundle);
    // The bundle uses only fetch and web APIs, which Node has too.
    const out = execFileSync(process.execPath, ['bundle.mjs'], { cwd: consumer, encoding: 'utf8' });
    expect(JSON.parse(out.trim())).toEqual({ kind: 'network' });
  });
});
