/**
 * npm run build -w @cordon/sdk: the publishable package in dist/.
 *
 * In the monorepo, package.json `exports` point at src/*.ts (as every
 * workspace package does), so tests, examples and tsc need no build step.
 * The build writes a self-contained package to dist/ — JavaScript, .d.ts,
 * the generated types, README, and a package.json whose `exports` point at
 * the built files — to be published from there (`npm publish packages/sdk/dist`).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = join(root, 'dist');
const tsc = join(root, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');

rmSync(dist, { recursive: true, force: true });
// The browser entry is compiled without Node's types; then the Node entry.
for (const project of ['tsconfig.build.json', 'tsconfig.build-node.json']) {
  execFileSync(process.execPath, [tsc, '-p', join(root, project)], { stdio: 'inherit' });
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

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
const entry = (name: string) => ({ types: `./${name}.d.ts`, default: `./${name}.js` });
const published = {
  name: pkg['name'],
  version: pkg['version'],
  description: 'Typed client of the Cordon API (browsers and Node): queries, events with retries and an offline queue',
  type: 'module',
  sideEffects: false,
  exports: { '.': entry('index'), './node': entry('node'), './package.json': './package.json' },
  types: './index.d.ts',
  engines: { node: '>=20' },
  dependencies: pkg['dependencies'],
};
writeFileSync(join(dist, 'package.json'), `${JSON.stringify(published, null, 2)}\n`);
cpSync(join(root, 'README.md'), join(dist, 'README.md'));
process.stdout.write(`built ${dist}\n`);
