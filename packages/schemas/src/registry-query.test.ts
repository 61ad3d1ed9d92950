import { describe, expect, expectTypeOf, it } from 'vitest';
import { knownAtSchema } from './api.ts';
import {
  completenessQuerySchema,
  qualityQuerySchema,
  sitesQuerySchema,
  type CompletenessAnswer,
  type QualityAnswer,
  type SiteList,
} from './registry-api.ts';

const paths = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  r.error?.issues.map((i) => i.path.join('.')) ?? [];

describe('knownAt on the registry routes', () => {
  const routes = [
    ['sites', sitesQuerySchema, { region: '410184' }],
    ['completeness', completenessQuerySchema, { region: '410184', date: '2020-02-13' }],
    ['quality', qualityQuerySchema, { region: '410184', from: '2020-02-07', to: '2020-02-13' }],
  ] as const;

  it.each(routes)("%s: is the figure routes' parameter, optional, and refuses hostile values by name", (_name, schema, base) => {
    expect(schema.shape.knownAt.unwrap()).toBe(knownAtSchema);
    expect(schema.parse({ ...base, knownAt: '2020-02-14T08:00:00+08:00' })).toMatchObject({ knownAt: '2020-02-14T08:00:00+08:00' });
    expect(schema.parse(base)).not.toHaveProperty('knownAt');
    for (const knownAt of ['yesterday', '2020-02-30T00:00:00Z', "' OR 1=1", '2020-02-13', '1999-12-31T23:59:59Z', '']) {
      expect([knownAt, paths(schema.safeParse({ ...base, knownAt }))]).toEqual([knownAt, ['knownAt']]);
    }
  });

  it('answers gain asOf as an optional field only', () => {
    expectTypeOf<SiteList['asOf']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<CompletenessAnswer['asOf']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<QualityAnswer['asOf']>().toEqualTypeOf<string | undefined>();
  });
});
