/**
 * The rules between parameters (and between a parameter and the server's
 * data) that no single parameter's schema can say, route by route: a request
 * that breaks one is answered 400 naming the field. JSON Schema cannot relate
 * two query parameters, so the OpenAPI document carries these as text in each
 * named parameter's description and, machine-readable, as the operation's
 * `x-cross-field-rules` (the Schemathesis run reads that to tell a documented
 * rule's 400 from a valid request refused). The checks themselves are the
 * `*QueryErrors()` functions beside the query schemas, and `resolveRegion`
 * in the query API; this table is what the document says of them.
 */
export interface CrossFieldRule {
  /** The parameters or body fields the rule relates; a 400 for it names one of them. */
  fields: readonly string[];
  rule: string;
}

export const crossFieldExtension = 'x-cross-field-rules';

/** Longest from..to a dense day or week list (timeseries, groupBy=day|week) covers. */
export const maxDenseDays = 3700;

const regionRule = (subject: string): CrossFieldRule => ({
  fields: ['region'],
  rule: `region is required unless the API key is limited to a region (it then defaults to the key's region); it must be a region of the registry (GET /v1/regions/{code}), and ${subject} inside a region-limited key's subtree (403 otherwise)`,
});
const fromNotAfterTo: CrossFieldRule = { fields: ['from', 'to'], rule: 'from must not be after to (to defaults to today in CORDON_TZ)' };

export const aggregatesRules: readonly CrossFieldRule[] = [
  regionRule('it must lie'),
  { fields: ['metrics'], rule: 'every name must be a metric of the catalogue (GET /v1/metrics) or a family of them (donated:*)' },
  fromNotAfterTo,
  { fields: ['level', 'groupBy'], rule: 'level is required with groupBy=region' },
  {
    fields: ['level', 'region'],
    rule: "level must be at or below the region's own level (a county breaks down into towns or villages, not into cities)",
  },
  {
    fields: ['groupBy', 'metrics'],
    rule: 'groupBy=dimension needs metrics that all have a breakdown dimension (GET /v1/metrics, `dimension`), the same one, and are flow metrics',
  },
  { fields: ['sort', 'metrics'], rule: 'sort must be key, or one of the requested metrics, either optionally with a leading -' },
  { fields: ['from', 'groupBy'], rule: `groupBy=day or week lists at most ${maxDenseDays} days from..to` },
];

export const timeseriesRules: readonly CrossFieldRule[] = [
  regionRule('it must lie'),
  fromNotAfterTo,
  { fields: ['dim', 'metric'], rule: 'dim only for a flow metric that has a breakdown dimension (GET /v1/metrics, `dimension`)' },
  {
    fields: ['from', 'to'],
    rule: `from..to spans at most ${maxDenseDays} days; without from, the metric's first day with data in the region (give a from when that is earlier)`,
  },
];

export const qualityRangeRules = (maxDays: number, defaultDays: number): readonly CrossFieldRule[] => [
  regionRule('it must lie'),
  {
    fields: ['from', 'to'],
    rule: `from must not be after to, and from..to spans at most ${maxDays} days (from defaults to ${defaultDays - 1} days before to, to to today)`,
  },
];

export const regionScopedRules: readonly CrossFieldRule[] = [regionRule('it must lie')];

export const regionSearchRules: readonly CrossFieldRule[] = [
  {
    fields: ['region'],
    rule: "region, when given, must be a region of the registry, inside a region-limited key's subtree (403 otherwise)",
  },
];

export const createKeyRules: readonly CrossFieldRule[] = [
  { fields: ['region'], rule: 'region, when given, must be a region of the registry' },
];

export const addRegionRules: readonly CrossFieldRule[] = [
  { fields: ['code'], rule: 'code must not already be in the registry' },
  {
    fields: ['parent'],
    rule: "parent (default: the region the code names by its syntax) must be in the registry and above the code's level; a province needs none",
  },
  { fields: ['name'], rule: 'name must not be empty once trimmed' },
];
