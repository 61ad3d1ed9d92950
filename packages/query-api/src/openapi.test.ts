import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument, openApiDocumentPath } from './openapi.ts';

describe('openapi.json', () => {
  it('is what the code generates (run `npm run generate` after changing a route or schema)', () => {
    const committed = JSON.parse(readFileSync(openApiDocumentPath, 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())));
  });

  it('documents every route of the contract with its problem answers', () => {
    const doc = buildOpenApiDocument() as unknown as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/v1/aggregates',
      '/v1/bulletins',
      '/v1/bulletins/{region}/{date}',
      '/v1/completeness',
      '/v1/events',
      '/v1/health',
      '/v1/keys',
      '/v1/keys/{id}',
      '/v1/metrics',
      '/v1/quality',
      '/v1/ready',
      '/v1/regions',
      '/v1/regions/{code}',
      '/v1/sites',
      '/v1/status',
      '/v1/timeseries',
    ]);
    expect(Object.keys(doc.paths['/v1/events']!['post']!.responses).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
      '413',
      '415',
      '429',
      '503',
    ]);
    expect(Object.keys(doc.paths['/v1/aggregates']!['get']!.responses).sort()).toEqual(['200', '304', '400', '401', '403', '429']);
    expect(Object.keys(doc.paths['/v1/bulletins/{region}/{date}']!['get']!.responses).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '429',
    ]);
  });

  it('names no fixed host: "Try it out" in /docs calls whichever host and PORT served the document', () => {
    expect(buildOpenApiDocument().servers).toEqual([{ url: '/', description: 'The server that serves this document' }]);
  });
});
