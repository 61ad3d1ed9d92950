/**
 * npm run build -w @cordon/sdk: the built package in dist/ (JavaScript,
 * .d.ts, the generated types). `npm pack -w @cordon/sdk` (and publish)
 * runs it as `prepack` and `postpack`:
 *
 *   tsx scripts/build.ts            build dist/
 *   tsx scripts/build.ts prepack    build dist/, then write the published package.json
 *   tsx scripts/build.ts postpack   put the workspace package.json back
 *
 * Why two package.json: in the monorepo `exports` point at src/*.ts (as every
 * workspace package does), so tsx, vitest, tsc and esbuild in the other
 * packages read the source with no build step. The tarball's `exports` point
 * at dist/. npm packs the package.json on disk after prepack ran, so prepack
 * swaps in the published one and postpack restores the workspace one (kept
 * meanwhile in package.workspace.json; a pack that died in between is
 * repaired by the next run of this script).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = join(root, 'dist');
const tsc = join(root, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
const manifest = join(root, 'package.json');
const workspaceManifest = join(root, 'package.workspace.json');
const mode = process.argv[2] ?? 'build';
if (!['build', 'prepack', 'postpack'].includes(mode)) throw new Error(`unknown mode ${mode}: build, prepack or postpack`);

if (existsSync(workspaceManifest)) renameSync(workspaceManifest, manifest);
if (mode === 'postpack') process.exit(0);

rmSync(dist, { recursive: true, force: true });
// The browser entry is compiled without Node's types; then the Node entry.
for (const project of ['tsconfig.build.json', 'tsconfig.build-node.json']) {
  execFileSync(process.execPath, [tsc, '-p', join(root, project)], { stdio: ['ignore', process.stderr, process.stderr] });
}
mkdirSync(join(dist, 'generated'), { recursive: true });
cpSync(join(root, 'src', 'generated', 'openapi.d.ts'), join(dist, 'generated', 'openapi.d.ts'));

// tsc rewrites `./x.ts` to `./x.js` in JavaScript only; declarations get the same.
for (const file of readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.d.ts'))) {
  const path = join(dist, file);
  writeFileSync(path, readFileSync(path, 'utf8').replace(/(from\s+['"]\.{1,2}\/[^'"]+)\.ts(['"])/g, '$1.js$2'));
}

// The browser entry must not reach a Node built-in.
const seen = new Set<string>();
const walk = (file: string) => {
  if (seen.has(file)) return;
  seen.add(file);
  for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)) {
    if (!spec) continue;
    if (spec.startsWith('node:')) throw new Error(`${file} imports ${spec}: the browser entry must not`);
    if (spec.startsWith('.')) walk(join(dirname(file), spec));
  }
};
walk(join(dist, 'index.js'));

if (mode === 'prepack') {
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, unknown>;
  const entry = (name: string) => ({ types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` });
  const published = {
    name: pkg['name'],
    version: pkg['version'],
    description: 'Typed client of the Cordon API (browsers and Node): queries, events with retries and an offline queue',
    type: 'module',
    sideEffects: false,
    exports: { '.': entry('index'), './node': entry('node'), './package.json': './package.json' },
    types: './dist/index.d.ts',
    files: ['dist'],
    engines: { node: '>=20' },
    dependencies: pkg['dependencies'],
  };
  renameSync(manifest, workspaceManifest);
  writeFileSync(manifest, `${JSON.stringify(published, null, 2)}\n`);
}
// stderr: `npm pack --json` prints its JSON on stdout, after the lifecycle scripts.
process.stderr.write(`built ${dist}${mode === 'prepack' ? ' and wrote the published package.json' : ''}\n`);
