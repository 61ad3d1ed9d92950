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
});
export type ImportSummary = z.infer<typeof importSummarySchema>;

export const regionLevelSchema = z.enum(['province', 'city', 'county', 'town', 'village']);
export const groupBySchema = z.enum(['none', 'day', 'week', 'region', 'site']);
export type GroupBy = z.infer<typeof groupBySchema>;

const daySchema = z.iso.date('must be a day, YYYY-MM-DD');

export const aggregatesQuerySchema = z
  .object({
    metrics: z
      .string()
      .min(1, 'name at least one metric')
      .transform((s) => s.split(',').map((m) => m.trim()).filter(Boolean))
      .pipe(z.array(metricNameSchema).min(1, 'name at least one metric').max(50, 'at most 50 metrics')),
    region: regionCodeSchema.optional(),
    from: daySchema.optional(),
    to: daySchema.optional(),
    groupBy: groupBySchema.default('none'),
    level: regionLevelSchema.optional(),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.from > q.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after to' });
    if (q.groupBy === 'region' && !q.level) ctx.addIssue({ code: 'custom', path: ['level'], message: 'is required with groupBy=region' });
  });
export type AggregatesQuery = z.output<typeof aggregatesQuerySchema>;

export const aggregateRowKeySchema = z.union([
  z.object({ day: z.string() }),
  z.object({ week: z.string() }),
  z.object({ region: z.string(), name: z.string() }),
  z.object({ site: z.string(), region: z.string() }),
  z.object({}),
]);

export const aggregatesAnswerSchema = z.object({
  metrics: z.array(z.string()),
  region: z.object({ code: z.string(), name: z.string() }),
  from: z.string().nullable(),
  to: z.string(),
  asOf: z.string().describe('Every event acknowledged before this instant is counted'),
  rows: z.array(z.object({ key: aggregateRowKeySchema, values: z.record(z.string(), z.number()) })),
  totals: z.record(z.string(), z.number()),
});
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
});
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
