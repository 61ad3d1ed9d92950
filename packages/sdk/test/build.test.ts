/**
 * The publishable package: `npm run build -w @cordon/sdk` writes dist/, and a
 * consumer outside the monorepo can use it — types checked by tsc strictly
 * (Node, and a browser app without Node's types), and the code run by Node.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const sdk = fileURLToPath(new URL('..', import.meta.url));
const repo = join(sdk, '..', '..');
const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
let consumer: string;

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

beforeAll(() => {
  execFileSync('npm', ['run', 'build', '-w', '@cordon/sdk'], { cwd: repo, stdio: 'pipe' });
  consumer = mkdtempSync(join(tmpdir(), 'cordon-sdk-consumer-'));
  mkdirSync(join(consumer, 'node_modules', '@cordon'), { recursive: true });
  symlinkSync(join(sdk, 'dist'), join(consumer, 'node_modules', '@cordon', 'sdk'), 'dir');
  for (const dep of ['@types', 'typescript']) symlinkSync(join(repo, 'node_modules', dep), join(consumer, 'node_modules', dep), 'dir');
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(join(consumer, 'app.ts'), consumerCode);
  writeFileSync(join(consumer, 'node-app.ts'), `import { createFileQueueStore } from '@cordon/sdk/node';\nexport const store = createFileQueueStore({ path: 'q.ndjson' });\n`);
  const strict = { strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, noEmit: true, skipLibCheck: false, target: 'ES2022' };
  writeFileSync(join(consumer, 'tsconfig.node.json'), JSON.stringify({ compilerOptions: { ...strict, module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2023'], types: ['node'] }, files: ['app.ts', 'node-app.ts'] }));
  writeFileSync(join(consumer, 'tsconfig.browser.json'), JSON.stringify({ compilerOptions: { ...strict, module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM', 'DOM.Iterable'], types: [] }, files: ['app.ts'] }));
}, 120_000);

describe('npm run build', () => {
  it('writes a package whose exports point at built files', () => {
    const pkg = JSON.parse(readFileSync(join(sdk, 'dist', 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({
      name: '@cordon/sdk',
      type: 'module',
      exports: { '.': { types: './index.d.ts', default: './index.js' }, './node': { types: './node.d.ts', default: './node.js' } },
      dependencies: { 'openapi-fetch': expect.any(String), uuid: expect.any(String) },
    });
    expect(pkg.private).toBeUndefined();
    expect(readFileSync(join(sdk, 'dist', 'generated', 'openapi.d.ts'), 'utf8')).toBe(readFileSync(join(sdk, 'src', 'generated', 'openapi.d.ts'), 'utf8'));
  });

  it('type-checks in a strict Node consumer and in a browser consumer without Node types', () => {
    for (const project of ['tsconfig.node.json', 'tsconfig.browser.json']) {
      execFileSync(process.execPath, [tsc, '-p', project], { cwd: consumer, stdio: 'pipe' });
    }
  }, 120_000);

  it('runs in Node from dist', async () => {
    writeFileSync(join(consumer, 'run.mjs'), consumerCode.replace(', type MetricName', '').replace(': MetricName[]', '').replace(/^\/\/ @ts-expect-error.*$/m, ''));
    const out = execFileSync(process.execPath, ['run.mjs'], { cwd: consumer, encoding: 'utf8' });
    expect(JSON.parse(out.trim())).toEqual({ kind: 'network' });
  });
});
