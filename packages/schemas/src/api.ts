import { z } from 'zod';
import { fieldErrorSchema } from './problem.ts';
import { metricNameSchema, type MetricName } from './metrics.ts';
import { regionCodeSchema } from './events.ts';

/** The answer to POST /v1/events: an import summary (partial success). */
export const importSummarySchema = z.object({
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
}).meta({ id: 'ImportSummary', description: 'What happened to each event of the request (partial success)' });
export type ImportSummary = z.infer<typeof importSummarySchema>;

export const regionLevelSchema = z.enum(['province', 'city', 'county', 'town', 'village']);
export const groupBySchema = z.enum(['none', 'day', 'week', 'region', 'site']);
export type GroupBy = z.infer<typeof groupBySchema>;

const daySchema = z.iso.date('must be a day, YYYY-MM-DD');

export const aggregatesQuerySchema = z.object({
  metrics: z
    .string()
    .min(1, 'name at least one metric')
    .transform((s) => s.split(',').map((m) => m.trim()).filter(Boolean))
    .pipe(z.array(metricNameSchema).min(1, 'name at least one metric').max(50, 'at most 50 metrics'))
    .meta({ description: 'Comma-separated metric names (GET /v1/metrics lists them)', example: 'people_screened,people_turned_back' }),
  region: regionCodeSchema.optional().meta({
    description: "The subtree to count: a province (410000), city (410100), county (410184), town (9 digits) or village (12 digits). Defaults to a region-scoped key's own region.",
    example: '410184',
  }),
  from: daySchema.optional().meta({ description: 'First day, inclusive, in CORDON_TZ. Default: the first day with data.', example: '2020-01-24' }),
  to: daySchema.optional().meta({ description: 'Last day, inclusive, in CORDON_TZ. Default: today.', example: '2020-02-13' }),
  groupBy: groupBySchema.default('none').meta({ description: 'Rows per day, ISO week, region (with level) or site; none gives one row' }),
  level: regionLevelSchema.optional().meta({ description: 'With groupBy=region: the level to break the subtree down into' }),
});

/** Checks between parameters, beyond each one's own schema. */
export function aggregatesQueryErrors(q: { from?: string | undefined; to?: string | undefined; groupBy: GroupBy; level?: string | undefined }): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  if (q.from && q.to && q.from > q.to) errors.push({ path: 'from', message: 'must not be after to' });
  if (q.groupBy === 'region' && !q.level) errors.push({ path: 'level', message: 'is required with groupBy=region' });
  return errors;
}
export type AggregatesQuery = z.output<typeof aggregatesQuerySchema>;

export const aggregateRowKeySchema = z
  .union([
    z.object({ day: z.string() }),
    z.object({ week: z.string().describe('ISO week, 2020-W07') }),
    z.object({ region: z.string(), name: z.string() }),
    z.object({ site: z.string(), region: z.string() }),
    z.object({}),
  ])
  .describe('What the row is about: a day, an ISO week, a region or a site; empty for groupBy=none');

export const metricInfoSchema = z
  .object({
    name: metricNameSchema,
    description: z.string(),
    unit: z.string(),
    kind: z.enum(['flow', 'stock']).describe('flow: summed over a period; stock: read at the end of a period'),
    from: z.array(z.string()).describe('Event types that contribute to it'),
    dimension: z.string().optional().describe('What its breakdown dimension means, when it has one'),
  })
  .meta({ id: 'Metric' });
export const metricListSchema = z.object({ metrics: z.array(metricInfoSchema) }).meta({ id: 'MetricList' });

export const aggregatesAnswerSchema = z.object({
  metrics: z.array(metricNameSchema),
  region: z.object({ code: z.string(), name: z.string() }),
  from: z.string().nullable(),
  to: z.string(),
  asOf: z.string().describe('Every event acknowledged before this instant is counted'),
  rows: z.array(z.object({ key: aggregateRowKeySchema, values: z.record(z.string(), z.number()) })),
  totals: z.record(z.string(), z.number()).describe('Flow metrics summed over from..to; stock metrics at the end of to'),
}).meta({ id: 'Aggregates' });
export type AggregatesAnswer = {
  metrics: MetricName[];
  region: { code: string; name: string };
  from: string | null;
  to: string;
  asOf: string;
  rows: { key: Record<string, string>; values: Record<string, number> }[];
  totals: Record<string, number>;
};

export const statusAnswerSchema = z.object({
  lag: z.number().int().describe('Acknowledged events not yet counted'),
  asOf: z.string(),
  log: z.enum(['kafka', 'embedded']),
  clickhouse: z.enum(['chdb', 'server']),
}).meta({ id: 'Status' });
export type StatusAnswer = z.infer<typeof statusAnswerSchema>;

export const apiRoles = ['ingest', 'read', 'admin'] as const;
export type ApiRole = (typeof apiRoles)[number];

export const createKeyBodySchema = z.strictObject({
  name: z.string().min(1).max(100),
  role: z.enum(apiRoles),
  region: regionCodeSchema.optional().describe('Limit the key to this region subtree'),
});
export type CreateKeyBody = z.infer<typeof createKeyBodySchema>;

export const createRegionBodySchema = z.strictObject({
  code: regionCodeSchema,
  name: z.string().min(1).max(100),
  parent: regionCodeSchema.optional(),
});
