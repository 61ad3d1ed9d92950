import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from './openapi.ts';

/**
 * Issue 7, item 8: the document says the rules between parameters, so a
 * generated client's reader knows a request will get 400 before sending it.
 */
type Parameter = { name: string; description?: string };
type Operation = {
  parameters?: Parameter[];
  requestBody?: { description?: string };
  'x-cross-field-rules'?: { fields: string[]; rule: string }[];
};
const doc = buildOpenApiDocument() as unknown as { paths: Record<string, Record<string, Operation>> };
const parameter = (path: string, name: string) => doc.paths[path]!['get']!.parameters!.find((p) => p.name === name)!.description ?? '';

describe('cross-field rules in openapi.json', () => {
  it("says level must be at or below the region's level, and is needed with groupBy=region", () => {
    expect(parameter('/v1/aggregates', 'level')).toContain("level must be at or below the region's own level");
    expect(parameter('/v1/aggregates', 'level')).toContain('level is required with groupBy=region');
    expect(parameter('/v1/aggregates', 'sort')).toContain('sort must be key, or one of the requested metrics');
    expect(parameter('/v1/aggregates', 'from')).toContain('from must not be after to');
    expect(parameter('/v1/aggregates', 'from')).toContain('groupBy=day or week lists at most 3700 days');
  });

  it('says region is required without a region-limited key, on every route that takes it', () => {
    for (const path of ['/v1/aggregates', '/v1/timeseries', '/v1/sites', '/v1/completeness', '/v1/quality']) {
      expect(parameter(path, 'region'), path).toContain('region is required unless the API key is limited to a region');
    }
  });

  it('says the 92-day span on quality and where dim applies', () => {
    expect(parameter('/v1/quality', 'from')).toContain('from..to spans at most 92 days');
    expect(parameter('/v1/quality', 'to')).toContain('from..to spans at most 92 days');
    expect(parameter('/v1/timeseries', 'dim')).toContain('dim only for a flow metric that has a breakdown dimension');
    expect(parameter('/v1/timeseries', 'metric')).toContain('dim only for a flow metric');
  });

  it('says the registry checks of the admin bodies, and carries every rule as x-cross-field-rules', () => {
    expect(doc.paths['/v1/keys']!['post']!.requestBody?.description).toContain('region, when given, must be a region of the registry');
    expect(doc.paths['/v1/regions']!['post']!.requestBody?.description).toContain('code must not already be in the registry');
    const rules = doc.paths['/v1/aggregates']!['get']!['x-cross-field-rules']!;
    expect(rules.map((r) => r.fields.join('+'))).toEqual([
      'region',
      'metrics',
      'from+to',
      'level+groupBy',
      'level+region',
      'groupBy+metrics',
      'sort+metrics',
      'from+groupBy',
    ]);
  });

  it('promises only region codes the registry accepts by their form', () => {
    const schema = (doc.paths['/v1/regions/{code}']!['get']!.parameters![0] as unknown as { schema: { pattern: string } }).schema;
    const pattern = new RegExp(schema.pattern);
    expect(['410000', '410100', '410184', '441900', '410184001', '441900003', '410184001001'].filter((c) => pattern.test(c))).toHaveLength(
      7,
    );
    expect(['000000', '001000', '410084', '410084001', '000000001', '41018', '4101840010'].filter((c) => pattern.test(c))).toEqual([]);
  });

  it('lets a province answer parent: null (Schemathesis found allOf [RegionRef, object|null], which null never meets)', () => {
    const schemas = (doc as unknown as { components: { schemas: Record<string, { properties: Record<string, unknown> }> } }).components
      .schemas;
    for (const id of ['RegionMatch', 'RegionDetail']) {
      expect(schemas[id]!.properties['parent'], id).toMatchObject({
        anyOf: [{ $ref: '#/components/schemas/RegionRef' }, { type: 'null' }],
      });
    }
  });
});
