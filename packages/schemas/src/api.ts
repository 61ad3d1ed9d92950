import { z } from 'zod';
import { storableText } from './text.ts';
import { fieldErrorSchema } from './problem.ts';
import { expandMetricSelector, labelLanguages, metricCatalogue, metricNameSchema, type MetricName } from './metrics.ts';

/** A metric name or a family with `*` that names at least one metric. */
const metricSelectorSchema = z.string().superRefine((s, ctx) => {
  if (expandMetricSelector(s).length > 0) return;
  ctx.addIssue({
    code: 'custom',
    message: s.includes('*') ? 'matches no metric (see GET /v1/metrics)' : 'is not a known metric (see GET /v1/metrics)',
  });
});
import { regionCodeSchema } from './events.ts';
import { maxDenseDays } from './cross-field.ts';
import { daysApart } from './days.ts';

/** The answer to POST /v1/events: an import summary (partial success). */
export const importSummarySchema = z
  .object({
    accepted: z.number().int().describe('Events made durable by this request'),
    duplicates: z.number().int().describe('Events whose id was already acknowledged; they count once'),
    rejected: z.number().int().describe('Events that failed validation; nothing of them was written'),
    errors: z.array(
      z.object({
        index: z.number().int().describe('Position of the event in the request'),
        id: z.string().nullable().describe('The event id, when it could be read'),
        errors: z.array(fieldErrorSchema),
      }),
    ),
    dryRun: z.boolean().optional().describe('Present and true when nothing was written (?dryRun=true)'),
  })
  .meta({ id: 'ImportSummary', description: 'What happened to each event of the request (partial success)' });
export type ImportSummary = z.infer<typeof importSummarySchema>;

export const regionLevelSchema = z.enum(['province', 'city', 'county', 'town', 'village']);
export type RegionLevel = z.infer<typeof regionLevelSchema>;
/** 0 for a province, 4 for a village: a lower rank is a higher level. */
const levelRank = (level: RegionLevel): number => regionLevelSchema.options.indexOf(level);
export const groupBySchema = z.enum(['none', 'day', 'week', 'region', 'site', 'dimension', 'siteKind']);
export type GroupBy = z.infer<typeof groupBySchema>;

const daySchema = z.iso.date('must be a day, YYYY-MM-DD');

/** Parameters every figure route shares, so they read and validate the same everywhere. */
const regionParam = regionCodeSchema.optional().meta({
  description:
    "The subtree to count: a province (410000), city (410100), county (410184), town (9 digits) or village (12 digits). Defaults to a region-scoped key's own region.",
  example: '410184',
});
const fromParam = daySchema
  .optional()
  .meta({ description: 'First day, inclusive, in CORDON_TZ. Default: the first day with data.', example: '2020-01-24' });
const toParam = daySchema.optional().meta({ description: 'Last day, inclusive, in CORDON_TZ. Default: today.', example: '2020-02-13' });
/** The language of CSV headers; a query parameter of the routes whose CSV has metric columns. */
export const csvLangSchema = z.enum(labelLanguages).meta({
  description:
    'With `Accept: text/csv`: the language of the CSV headers, the metric labels of GET /v1/metrics (zh: 日期,劝返车辆; en: Day,Vehicles turned back). Without it, `Accept-Language` picks zh or en; with neither, the headers stay the machine names (day,vehicles_turned_back) as they always were, so existing clients keep working. JSON answers are the same in every language.',
  example: 'zh',
});

export const knownAtSchema = z.iso
  // abort: a value that is no date-time at all gets that one error, not also the year's.
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time with an offset, e.g. 2020-02-13T18:00:00+08:00', abort: true })
  // No event can be older (instantSchema), and the bound keeps the instant inside ClickHouse's DateTime64 range.
  // A pattern on the written year, not a refine: the OpenAPI document then states the bound
  // (`pattern` beside `format: date-time`), and generated clients and Schemathesis keep to it.
  .regex(/^[2-9]\d{3}-/, 'must not be before 2000')
  .meta({
    // zod writes a string's pattern in place of its format: the format is kept by hand.
    format: 'date-time',
    description:
      'The answer as it was known at this instant: only events acknowledged at or before it, and only voids that had taken effect by then, are counted (figures are read from the raw event table instead of the roll-up). `asOf` in the answer becomes this instant (or the pipeline position, if that is earlier). Default: now.',
    example: '2020-02-13T18:00:00+08:00',
  });

export const aggregatesQuerySchema = z.object({
  metrics: z
    .string()
    .min(1, 'name at least one metric')
    .transform((s) =>
      s
        .split(',')
        .map((m) => m.trim())
        .filter(Boolean),
    )
    .pipe(z.array(metricSelectorSchema).min(1, 'name at least one metric').max(50, 'at most 50 metrics or families'))
    // A family is expanded here, once, so every later step sees plain metric names.
    .transform((selectors) => [...new Set(selectors.flatMap(expandMetricSelector))])
    .meta({
      description:
        "Comma-separated metric names (GET /v1/metrics lists them), at most 50. A name with `*` is a family that counts as one of the 50: `donated:*` is every donated item and unit (66 metrics, one request for donations by item), `donated:masks:*` masks in every unit, `donated:*:kg` everything donated by weight. The answer's `metrics` lists the names a family expanded to, in catalogue order.",
      example: 'people_screened,people_turned_back',
    }),
  region: regionParam,
  from: fromParam,
  to: toParam,
  groupBy: groupBySchema.default('none').meta({
    description:
      'Rows per day, ISO week, region (with level), site, dimension or siteKind; none gives one row. ' +
      '`dimension`: one row per value of the metrics\' catalogue dimension (GET /v1/metrics, `dimension`), keyed `{dimension, value}`; every requested metric must have the same dimension, and a value the events left out reads "(unspecified)". ' +
      '`siteKind`: one row per kind of site (`kind` of the site\'s latest site.registered event), "unknown" for events without a registered site. ' +
      'Rows whose values are all zero are left out of dimension and siteKind breakdowns. ' +
      'Donations by item and unit need no groupBy: each item and unit is its own metric (donated:masks:piece, donated:disinfectant:kg), since quantities in different units are never summed; `metrics=donated:*` asks for all of them in one request, and groupBy=dimension breaks them down by donorType.',
  }),
  level: regionLevelSchema.optional().meta({ description: 'With groupBy=region: the level to break the subtree down into' }),
  sort: z
    .string()
    .regex(/^-?[a-z0-9_:]{1,64}$/, 'must be key, -key, a requested metric, or - and a requested metric')
    .optional()
    .meta({
      description:
        'Order of `rows`: `key` (the default: days and weeks in time order, regions, sites and dimension values by their key), a requested metric ascending (`people_turned_back`), or either with a leading `-` for descending (`-people_turned_back`). Ties are ordered by key.',
      example: '-people_turned_back',
    }),
  limit: z.coerce
    .number({ error: 'must be a whole number from 1 to 1000' })
    .int()
    .min(1)
    .max(1000)
    .optional()
    .meta({ description: 'Keep only the first N rows after sorting (top N). `totals` are still over every row.', example: 10 }),
  knownAt: knownAtSchema.optional(),
  lang: csvLangSchema.optional(),
});

/**
 * Checks between parameters, beyond each one's own schema (the document
 * states them: `aggregatesRules`). `regionLevel` is the level of the region
 * asked about, once it is resolved.
 */
export function aggregatesQueryErrors(q: {
  metrics?: readonly MetricName[];
  from?: string | undefined;
  to?: string | undefined;
  groupBy: GroupBy;
  level?: RegionLevel | undefined;
  regionLevel?: RegionLevel | undefined;
  sort?: string | undefined;
}): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  if (q.from && q.to && q.from > q.to) errors.push({ path: 'from', message: 'must not be after to' });
  if (q.groupBy === 'region' && !q.level) errors.push({ path: 'level', message: 'is required with groupBy=region' });
  if (q.level && q.regionLevel && levelRank(q.level) < levelRank(q.regionLevel)) {
    errors.push({ path: 'level', message: `must be at or below the region's own level (${q.regionLevel})` });
  }
  if ((q.groupBy === 'day' || q.groupBy === 'week') && q.from && q.to && q.from <= q.to && daysApart(q.from, q.to) > maxDenseDays) {
    errors.push({ path: 'from', message: `a day or week breakdown spans at most ${maxDenseDays} days` });
  }
  if (q.groupBy === 'dimension' && q.metrics) errors.push(...sharedDimensionErrors(q.metrics));
  if (q.sort !== undefined && q.metrics) {
    const name = q.sort.replace(/^-/, '');
    if (name !== 'key' && !q.metrics.includes(name as MetricName)) {
      errors.push({
        path: 'sort',
        message: `must be key, -key, or one of the requested metrics (${q.metrics.join(', ')}), optionally with a leading -`,
      });
    }
  }
  return errors;
}

/**
 * groupBy=dimension puts several metrics side by side in rows keyed by one
 * dimension value, which only means something when they share the dimension.
 * Stock metrics are refused: sites_active's closures carry no kind, so their
 * -1s would all land in "(unspecified)" (groupBy=siteKind answers that question).
 */
function sharedDimensionErrors(metrics: readonly MetricName[]): { path: string; message: string }[] {
  const dims = new Map<string, MetricName[]>();
  for (const m of metrics) {
    const def = metricCatalogue.get(m);
    if (!def?.dimension) return [{ path: 'groupBy', message: `dimension needs metrics with a breakdown dimension; ${m} has none` }];
    if (def.kind === 'stock')
      return [
        {
          path: 'groupBy',
          message: `dimension cannot break down the stock metric ${m} (its ends carry no ${def.dimension}); use groupBy=siteKind`,
        },
      ];
    dims.set(def.dimension, [...(dims.get(def.dimension) ?? []), m]);
  }
  if (dims.size <= 1) return [];
  const described = [...dims].map(([dim, ms]) => `${ms.join(', ')} by ${dim}`).join('; ');
  return [{ path: 'groupBy', message: `dimension needs metrics that share one dimension, not ${described}` }];
}
export type AggregatesQuery = z.output<typeof aggregatesQuerySchema>;

export const aggregateRowKeySchema = z
  .union([
    z.object({ day: z.string() }),
    z.object({ week: z.string().describe('ISO week, 2020-W07') }),
    z.object({ region: z.string(), name: z.string() }),
    z.object({ site: z.string(), region: z.string() }),
    z.object({
      dimension: z.string().describe("The metrics' catalogue dimension, e.g. reason"),
      value: z.string().describe('Its value; "(unspecified)" where the events did not say'),
    }),
    z.object({ siteKind: z.string().describe('The kind of site (site.registered `kind`), or "unknown"') }),
    z.object({}),
  ])
  .describe('What the row is about: a day, an ISO week, a region, a site, a dimension value or a site kind; empty for groupBy=none');

export const localizedSchema = z
  .object({ zh: z.string().describe('Chinese'), en: z.string().describe('English') })
  .meta({ id: 'Localized', description: 'One display string per label language' });

export const metricInfoSchema = z
  .object({
    name: metricNameSchema,
    label: localizedSchema.describe(
      'What a table heading or chart legend shows (CSV headers with lang=zh|en); for donated:* the item and its unit, 口罩（个） / Masks (pieces)',
    ),
    description: z.string(),
    unit: z.string().describe('The unit in English (vehicles, people, CNY); unitLabel has it in both languages'),
    unitLabel: localizedSchema.describe('The unit as shown beside a figure: 台 / vehicles, 户 / households, 元 / CNY'),
    kind: z.enum(['flow', 'stock']).describe('flow: summed over a period; stock: read at the end of a period'),
    from: z.array(z.string()).describe('Event types that contribute to it'),
    dimension: z.string().optional().describe('What its breakdown dimension means, when it has one'),
  })
  .meta({ id: 'Metric' });
export const metricListSchema = z.object({ metrics: z.array(metricInfoSchema) }).meta({ id: 'MetricList' });

export const asOfSchema = z
  .string()
  .describe(
    'Every event acknowledged before this instant is counted; with knownAt, the knownAt instant (UTC) unless the pipeline has not yet counted up to it',
  );

export const aggregatesAnswerSchema = z
  .object({
    metrics: z.array(metricNameSchema),
    region: z.object({ code: z.string(), name: z.string() }),
    from: z.string().nullable(),
    to: z.string(),
    asOf: asOfSchema,
    rows: z
      .array(z.object({ key: aggregateRowKeySchema, values: z.record(z.string(), z.number()) }))
      .describe('In `sort` order, at most `limit` of them'),
    totals: z
      .record(z.string(), z.number())
      .describe('Flow metrics summed over from..to; stock metrics at the end of to. Always over every row, whatever `limit` keeps'),
  })
  .meta({ id: 'Aggregates' });
export type AggregatesAnswer = z.output<typeof aggregatesAnswerSchema>;
/** One row of an answer: what it is about (`key`) and its figures. */
export type AggregateRow = AggregatesAnswer['rows'][number];

/** The name `dim=` and breakdown rows give the empty dimension value (the event did not say). */
export const unspecifiedDim = '(unspecified)';

export const intervalSchema = z.enum(['day', 'week']);
export type Interval = z.infer<typeof intervalSchema>;

export const timeseriesQuerySchema = z.object({
  metric: metricNameSchema.meta({ description: 'One metric (GET /v1/metrics lists them)', example: 'people_turned_back' }),
  region: regionParam,
  from: fromParam,
  to: toParam,
  interval: intervalSchema.default('day').meta({
    description:
      'One point per day, or per ISO week (Monday to Sunday, 2020-W07). With week, from is moved back to its Monday and to forward to its Sunday, so every point is a whole week.',
  }),
  dim: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters')
    .optional()
    .meta({
      description: `Count only contributions with this value of the metric's dimension (GET /v1/metrics, \`dimension\`), e.g. dim=isolated for fever_cases; "${unspecifiedDim}" for events that did not say. Flow metrics with a dimension only.`,
      example: 'isolated',
    }),
  knownAt: knownAtSchema.optional(),
  lang: csvLangSchema.optional(),
});
export type TimeseriesQuery = z.output<typeof timeseriesQuerySchema>;

export const timeseriesPointSchema = z
  .object({
    period: z.string().describe('The day (2020-02-13) or ISO week (2020-W07)'),
    start: z.string().describe('First day of the period'),
    end: z.string().describe('Last day of the period'),
    value: z.number().describe('Flow metrics: the sum over the period. Stock metrics: the level at the end of the period'),
    cumulative: z
      .number()
      .describe(
        'The running total from the first event ever (not from `from`) to the end of the period. For stock metrics, which are levels already, it equals value',
      ),
    movingAverage7: z
      .number()
      .describe(
        "Mean of the daily values of the 7 days ending on the period's last day (that day and the 6 before it, before `from` too), to 6 decimals. For interval=week that is the mean daily value of the week. Daily values of stock metrics are their end-of-day levels",
      ),
    change: z
      .object({
        absolute: z.number().describe("value minus the previous period's value (the day or week before; before `from` too)"),
        relative: z
          .number()
          .nullable()
          .describe('absolute / |previous value|, a fraction (0.25 = +25%) to 6 decimals; null when the previous value is 0'),
      })
      .meta({ id: 'TimeseriesChange' }),
  })
  .meta({ id: 'TimeseriesPoint' });
export type TimeseriesPoint = z.infer<typeof timeseriesPointSchema>;

export const timeseriesAnswerSchema = z
  .object({
    metric: metricNameSchema,
    region: z.object({ code: z.string(), name: z.string() }),
    dim: z.string().nullable().describe('The dim= value the figures are restricted to; null: every value'),
    interval: intervalSchema,
    from: z.string().describe('First day of the first point (for interval=week, a Monday)'),
    to: z.string().describe('Last day of the last point (for interval=week, a Sunday)'),
    asOf: asOfSchema,
    points: z.array(timeseriesPointSchema).describe('One per day or week from `from` to `to`, none missing, in time order'),
  })
  .meta({ id: 'Timeseries' });
export type TimeseriesAnswer = z.output<typeof timeseriesAnswerSchema>;

/**
 * Checks between the timeseries parameters, beyond each one's own schema (the
 * document states them: `timeseriesRules`). The route checks again once a
 * left-out `from` is known (`fromDefaulted`): the data's first day.
 */
export function timeseriesQueryErrors(q: {
  metric: MetricName;
  from?: string | undefined;
  to?: string | undefined;
  dim?: string | undefined;
  fromDefaulted?: boolean;
}): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  if (q.from && q.to && q.from > q.to) errors.push({ path: 'from', message: 'must not be after to' });
  else if (q.from && q.to && daysApart(q.from, q.to) > maxDenseDays) {
    errors.push({
      path: 'from',
      message: `a timeseries spans at most ${maxDenseDays} days${q.fromDefaulted ? ' (the data starts earlier; give a from)' : ''}`,
    });
  }
  const def = metricCatalogue.get(q.metric);
  if (q.dim !== undefined && !def?.dimension) errors.push({ path: 'dim', message: `${q.metric} has no breakdown dimension` });
  else if (q.dim !== undefined && def?.kind === 'stock')
    errors.push({ path: 'dim', message: `cannot restrict the stock metric ${q.metric}: its ends carry no ${def.dimension}` });
  return errors;
}

export const consumerHealthStates = ['ok', 'retrying', 'stuck'] as const;
export const consumerHealthSchema = z
  .object({
    state: z
      .enum(consumerHealthStates)
      .describe(
        'ok: counting; retrying: a batch failed and is being retried; stuck: retrying for a while (CORDON_STUCK_AFTER_MS) with the lag not shrinking',
      ),
    since: z.string().describe('When the current state began (ISO 8601)'),
    lastError: z.string().nullable().describe('The last error the consumer met (also after it recovered); null if none since it started'),
  })
  .meta({ id: 'ConsumerHealth', description: "The roll-up consumer's health" });
export type ConsumerHealth = z.infer<typeof consumerHealthSchema>;

export const statusAnswerSchema = z
  .object({
    lag: z.number().int().describe('Acknowledged events not yet counted'),
    asOf: z.string(),
    log: z.enum(['kafka', 'embedded']),
    clickhouse: z.enum(['chdb', 'server']),
    timeZone: z
      .string()
      .describe(
        "The server's CORDON_TZ (an IANA zone, e.g. Asia/Shanghai): the zone of every day bucket, so a client can name yesterday or show asOf as the server's days count it",
      ),
    consumer: consumerHealthSchema.describe(
      'From the consumer in this process; in a process without one, from the lag alone (stuck when it has not shrunk for CORDON_STUCK_AFTER_MS)',
    ),
  })
  .meta({ id: 'Status' });
export type StatusAnswer = z.infer<typeof statusAnswerSchema>;

export const apiRoles = ['ingest', 'read', 'admin'] as const;
export type ApiRole = (typeof apiRoles)[number];

export const createKeyBodySchema = z.strictObject({
  name: storableText({ max: 100 }),
  role: z.enum(apiRoles),
  region: regionCodeSchema.optional().describe('Limit the key to this region subtree'),
});
export type CreateKeyBody = z.infer<typeof createKeyBodySchema>;

export const createRegionBodySchema = z.strictObject({
  code: regionCodeSchema,
  name: storableText({ max: 100 }),
  parent: regionCodeSchema.optional(),
});
