/**
 * The SDK's types are generated from the committed OpenAPI document: this
 * fails when src/generated/openapi.d.ts drifts from it (run
 * `npm run generate`), or when the document has a route the SDK has no method
 * for (add it to `routes` in src/client.ts).
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { routes } from '@cordon/sdk';
import { generatedTypesUrl, generateTypes, openApiDocumentUrl } from '../scripts/openapi-types.ts';

const httpMethods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

describe('generated types', () => {
  it('src/generated/openapi.d.ts is what openapi-typescript makes of packages/query-api/openapi.json', async () => {
    const committed = await readFile(generatedTypesUrl, 'utf8');
    const fresh = await generateTypes();
    expect(committed === fresh, 'src/generated/openapi.d.ts is stale: run `npm run generate` (or `npm run generate -w @cordon/sdk`)').toBe(
      true,
    );
  });

  it('every route of the document has an SDK method', async () => {
    const document = JSON.parse(await readFile(openApiDocumentUrl, 'utf8')) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => httpMethods.includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    const mapped = new Set(Object.values(routes).map((r) => `${r.method.toUpperCase()} ${r.path}`));
    expect(
      documented.filter((route) => !mapped.has(route)),
      'routes without a method in src/client.ts `routes`',
    ).toEqual([]);
  });
});
