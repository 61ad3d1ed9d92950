import { z } from 'zod';
import { storableText } from './text.ts';
import { regionCodeSchema, siteKinds } from './events.ts';
import { asOfSchema, knownAtSchema, regionLevelSchema } from './api.ts';
import { qualityRangeRules } from './cross-field.ts';
import { addDays } from './days.ts';

/**
 * Parameters and answers of the registry and data-quality routes:
 * `/v1/regions`, `/v1/regions/{code}`, `/v1/sites`, `/v1/completeness`,
 * `/v1/quality`. The rules the answers follow are data here, so the OpenAPI
 * descriptions and the code that applies them cannot disagree.
 */

const day = z.iso.date('must be a real day, YYYY-MM-DD');
const regionParam = regionCodeSchema.optional().meta({
  description:
    "The subtree to look at: a province (410000), city (410100), county (410184), town (9 digits) or village (12 digits). Defaults to a region-scoped key's own region; required for other keys.",
  example: '410184',
});

export const regionRefSchema = z
  .object({ code: z.string().meta({ description: 'Public region code (6, 9 or 12 digits)' }), name: z.string() })
  .meta({ id: 'RegionRef', description: 'A region by code and name' });
export type RegionRef = z.infer<typeof regionRefSchema>;

// ---------------------------------------------------------------- regions

export const regionCodeParamsSchema = z.object({
  code: regionCodeSchema.meta({ description: 'The region code: 6, 9 or 12 digits', example: '410184' }),
});

export const regionDetailSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    level: regionLevelSchema,
    custom: z.boolean().meta({ description: 'True for a region an admin added (POST /v1/regions), false for the national division data' }),
    // A union, not .nullable(): that becomes allOf [RegionRef, object|null], which null never meets.
    parent: z.union([regionRefSchema, z.null()]).meta({ description: 'The region directly above; null for a province' }),
    ancestors: z.array(regionRefSchema).meta({ description: 'Every region above, from the province down to the parent' }),
    children: z
      .array(z.object({ code: z.string(), name: z.string(), level: regionLevelSchema }))
      .meta({ description: 'The regions directly below, ordered by code; empty for a village' }),
  })
  .meta({ id: 'RegionDetail', description: 'A region with its place in the tree' });
export type RegionDetail = z.infer<typeof regionDetailSchema>;

export const regionSearchLimits = { default: 20, max: 100, maxQueryLength: 50 } as const;

export const regionSearchQuerySchema = z.object({
  search: storableText({
    trim: true,
    min: 1,
    minMessage: 'must not be empty',
    max: regionSearchLimits.maxQueryLength,
    maxMessage: `at most ${regionSearchLimits.maxQueryLength} characters`,
  }).meta({ description: 'Part of a region name, matched literally (no wildcards), e.g. 新郑 or 城关', example: '新郑' }),
  limit: z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(regionSearchLimits.max, `must be at most ${regionSearchLimits.max}`)
    .default(regionSearchLimits.default)
    .meta({ description: `Most regions to return, 1 to ${regionSearchLimits.max}` }),
  region: regionCodeSchema.optional().meta({
    description: 'Search only this subtree. A region-scoped key always searches inside its own region (403 for a wider one).',
    example: '410184',
  }),
});
export type RegionSearchQuery = z.output<typeof regionSearchQuerySchema>;

export const regionSearchAnswerSchema = z
  .object({
    search: z.string().meta({ description: 'The search text, trimmed' }),
    regions: z
      .array(
        z
          .object({ code: z.string(), name: z.string(), level: regionLevelSchema, parent: z.union([regionRefSchema, z.null()]) })
          .meta({ id: 'RegionMatch' }),
      )
      .meta({
        description:
          'Exact names first, then names starting with the text, then names containing it; within each, higher levels, then shorter names, then by code',
      }),
  })
  .meta({ id: 'RegionSearch' });
export type RegionSearchAnswer = z.infer<typeof regionSearchAnswerSchema>;

// ------------------------------------------------------------------ sites

export const siteStatusFilters = ['open', 'closed', 'all'] as const;

export const sitesQuerySchema = z.object({
  region: regionParam,
  kind: z
    .enum(siteKinds, { error: `must be one of: ${siteKinds.join(', ')}` })
    .optional()
    .meta({ description: 'Only sites of this kind' }),
  status: z
    .enum(siteStatusFilters, { error: 'must be open, closed or all' })
    .default('all')
    .meta({ description: 'open: in service now (with knownAt: at that instant); closed: out of service now; all: both' }),
  knownAt: knownAtSchema.optional(),
});
export type SitesQuery = z.output<typeof sitesQuerySchema>;

const siteFields = {
  id: z.string().meta({ description: 'The site id the field apps send' }),
  name: z.string().meta({ description: 'From its latest site.registered event' }),
  kind: z.enum(siteKinds).meta({ description: 'From its latest site.registered event' }),
  region: regionRefSchema.meta({ description: 'The region of its latest site.registered event' }),
  openedOn: z.string().meta({ description: 'Day (CORDON_TZ) of its first site.registered event' }),
  closedOn: z.string().nullable().meta({
    description:
      'Day of the site.closed event that took it out of service, when it is out of service now; null while it is in service (also after a reopening)',
  }),
};

export const siteSchema = z
  .object({
    ...siteFields,
    status: z
      .enum(['open', 'closed'])
      .meta({ description: 'Whether its latest site event (by occurredAt) is a registration (open) or a closure (closed)' }),
    lastEventAt: z.string().nullable().meta({
      description:
        'Latest occurredAt (UTC, ISO 8601) of an event at the site that is not retracted by a void; voids themselves do not count',
    }),
  })
  .meta({ id: 'Site', description: 'A site made known by a site.registered event that no void took back' });
export type Site = z.infer<typeof siteSchema>;

export const siteListSchema = z
  .object({ region: regionRefSchema, asOf: asOfSchema.optional(), sites: z.array(siteSchema).meta({ description: 'Ordered by site id' }) })
  .meta({ id: 'SiteList' });
export type SiteList = z.infer<typeof siteListSchema>;

// ----------------------------------------------------------- completeness

export const completenessQuerySchema = z.object({
  region: regionParam,
  date: day.optional().meta({ description: 'The day to check, in CORDON_TZ. Default: today.', example: '2020-02-13' }),
  knownAt: knownAtSchema.optional(),
});

export const completenessAnswerSchema = z
  .object({
    region: regionRefSchema,
    date: z.string().meta({ description: 'The day checked (CORDON_TZ)' }),
    asOf: asOfSchema.optional(),
    inService: z.number().int().meta({
      description:
        'Sites in service on the day: registered on or before it and not closed on or before it (the site is in service at the end of the day, as the sites_active metric counts it)',
    }),
    reporting: z.number().int().meta({ description: 'Sites in service that sent at least one event that day' }),
    share: z.number().nullable().meta({ description: 'reporting / inService, unrounded; null when no site was in service' }),
    sites: z
      .array(
        z.object({
          ...siteFields,
          reported: z.boolean().meta({ description: 'Whether the site sent at least one report that day' }),
          events: z
            .number()
            .int()
            .meta({ description: 'Reports that day: events of any type but site.* and void, not retracted by a void' }),
        }),
      )
      .meta({ description: 'Every site in service that day, ordered by id' }),
    notReporting: z.array(z.string()).meta({ description: 'Ids of the sites in service that sent no report that day, ordered' }),
  })
  .meta({ id: 'Completeness', description: 'Which sites in service reported on a day' });
export type CompletenessAnswer = z.infer<typeof completenessAnswerSchema>;

// ---------------------------------------------------------------- quality

/**
 * When a site-day value counts as an outlier. A value is compared with the
 * median of the same site's previous `baselineDays` reporting days (days
 * with that metric) within `lookbackDays`; with fewer than `minBaselineDays`
 * such days there is no level to compare with. Above: value > factor ×
 * median; below: value × factor < median; in both, the difference must reach
 * the metric's floor, so 1 → 4 people screened is not news.
 */
export const outlierRule = {
  metrics: ['people_screened', 'people_turned_back', 'fever_cases'],
  factor: 3,
  baselineDays: 14,
  minBaselineDays: 7,
  lookbackDays: 60,
  floors: { people_screened: 50, people_turned_back: 20, fever_cases: 3 },
} as const;
export type OutlierMetric = (typeof outlierRule.metrics)[number];

/** Longest from..to a quality request may span, and the default span. */
export const qualityLimits = { maxDays: 92, defaultDays: 7 } as const;

export const qualityChecks = [
  'people_turned_back_exceeds_screened',
  'vehicles_turned_back_exceeds_screened',
  'fever_exceeds_screened',
  'quarantine_end_without_start',
  'outlier',
  'void_outside_scope',
] as const;
export type QualityCheck = (typeof qualityChecks)[number];

export const qualityKinds = ['rule', 'outlier', 'dead_letter'] as const;
export type QualityKind = (typeof qualityKinds)[number];

/** The kind of finding each check gives. */
export const qualityKindOf: Readonly<Record<QualityCheck, QualityKind>> = {
  people_turned_back_exceeds_screened: 'rule',
  vehicles_turned_back_exceeds_screened: 'rule',
  fever_exceeds_screened: 'rule',
  quarantine_end_without_start: 'rule',
  outlier: 'outlier',
  void_outside_scope: 'dead_letter',
};

export const qualityQuerySchema = z.object({
  region: regionParam,
  from: day.optional().meta({
    description: `First day, inclusive, in CORDON_TZ. Default: ${qualityLimits.defaultDays - 1} days before to. At most ${qualityLimits.maxDays} days from..to.`,
    example: '2020-02-07',
  }),
  to: day.optional().meta({ description: 'Last day, inclusive, in CORDON_TZ. Default: today.', example: '2020-02-13' }),
  knownAt: knownAtSchema.optional(),
});

/** Checks between the quality parameters once their defaults are filled in (the document states them: `qualityRules`). */
export function qualityQueryErrors(q: { from: string; to: string }): { path: string; message: string }[] {
  if (q.from > q.to) return [{ path: 'from', message: 'must not be after to' }];
  if (addDays(q.from, qualityLimits.maxDays - 1) < q.to)
    return [{ path: 'from', message: `from..to spans at most ${qualityLimits.maxDays} days` }];
  return [];
}

export const qualityRules = qualityRangeRules(qualityLimits.maxDays, qualityLimits.defaultDays);

export const qualityFlagSchema = z
  .object({
    check: z.enum(qualityChecks).meta({
      description: [
        'people_turned_back_exceeds_screened: people turned back > people screened at the site that day;',
        'vehicles_turned_back_exceeds_screened: the same for vehicles;',
        'fever_exceeds_screened: fever cases > people screened;',
        'quarantine_end_without_start: a quarantine.ended for a subject with no open quarantine at that moment in the region (no quarantine.started at or before it that an earlier end has not already closed);',
        `outlier: the value of \`metric\` is more than ${outlierRule.factor}× (or less than 1/${outlierRule.factor} of) the median of the site's previous ${outlierRule.baselineDays} days with that metric within ${outlierRule.lookbackDays} days (at least ${outlierRule.minBaselineDays} such days), and differs from it by at least ${Object.entries(
          outlierRule.floors,
        )
          .map(([m, f]) => `${f} (${m})`)
          .join(', ')};`,
        "void_outside_scope: a void sent with a key limited to a region aimed at an event outside that region, which arrived after the void (ingest refuses it when the target is already counted); it was not applied and went to the dead-letter log. The flag sits at the target's site and day.",
      ].join(' '),
    }),
    kind: z.enum(qualityKinds).meta({
      description:
        "rule: a figure breaks a rule that always holds; outlier: a figure far from the site's own recent level; dead_letter: an event the pipeline set aside instead of counting (it is in the dead-letter log)",
    }),
    site: z.string().nullable().meta({ description: 'The site id; null for events sent without a site, which are checked per region' }),
    region: regionRefSchema,
    day: z.string().meta({ description: 'The day (CORDON_TZ) the events occurred' }),
    metric: z.string().nullable().meta({ description: 'For outliers: the metric; null for rule breaks' }),
    values: z.record(z.string(), z.number()).meta({
      description:
        "The figures compared: rule breaks give both metrics (e.g. people_turned_back and people_screened) or quarantine_ended (the unmatched ends); outliers give value, median and baselineDays; void_outside_scope gives the figures the void would have taken back (the target's contributions by metric)",
    }),
    detail: z.string().meta({ description: 'The finding in words' }),
    eventIds: z.array(z.string()).meta({
      description:
        'The events behind the flag (not retracted), ordered: those contributing to the compared metrics at the site that day, the unmatched quarantine.ended events, or the refused void and its target',
    }),
  })
  .meta({ id: 'QualityFlag' });
export type QualityFlag = z.infer<typeof qualityFlagSchema>;

export const qualityAnswerSchema = z
  .object({
    region: regionRefSchema,
    from: z.string().meta({ description: 'First day checked, inclusive' }),
    to: z.string().meta({ description: 'Last day checked, inclusive' }),
    asOf: asOfSchema.optional(),
    flags: z.array(qualityFlagSchema).meta({ description: 'Ordered by day, then site (sited before unsited), region and check' }),
  })
  .meta({ id: 'Quality', description: 'Rule breaks and outliers per site and day' });
export type QualityAnswer = z.infer<typeof qualityAnswerSchema>;
