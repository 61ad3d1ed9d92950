import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import {
  aggregatesAnswerSchema,
  aggregatesQuerySchema,
  metricListSchema,
  statusAnswerSchema,
  timeseriesAnswerSchema,
  timeseriesQuerySchema,
} from '../api.ts';
import { problemSchema } from '../problem.ts';
import { bearerAuth, problemResponses } from './common.ts';
import { aggregatesRules, timeseriesRules } from '../cross-field.ts';

export const healthRoute = createRoute({
  method: 'get',
  path: '/v1/health',
  summary: 'Liveness: answers without a key',
  tags: ['status'],
  responses: {
    200: {
      description: 'The process is up',
      content: { 'application/json': { schema: z.object({ status: z.literal('ok') }).meta({ id: 'Health' }) } },
    },
  },
});

const readinessCheckSchema = z.object({
  ok: z.boolean(),
  ms: z.number().describe('How long the check took'),
  detail: z.string().describe('What was checked, or why it failed'),
});
const readinessChecksSchema = z
  .object({
    log: readinessCheckSchema.describe(
      'The event log takes writes (embedded: a file written and fsynced in its folder; Kafka: the brokers answer)',
    ),
    clickhouse: readinessCheckSchema
      .optional()
      .describe('ClickHouse answers a query (absent in an ingest process that runs without ClickHouse)'),
    consumer: readinessCheckSchema.optional().describe('The roll-up consumer is not stuck (only in a process that runs it)'),
  })
  .meta({ id: 'ReadinessChecks' });
export type ReadinessChecks = z.infer<typeof readinessChecksSchema>;

export const readyRoute = createRoute({
  method: 'get',
  path: '/v1/ready',
  summary:
    'Readiness: 200 while the log takes writes, ClickHouse answers and the consumer is not stuck; 503 naming what fails. Answers without a key',
  tags: ['status'],
  responses: {
    200: {
      description: 'Ready',
      content: {
        'application/json': { schema: z.object({ status: z.literal('ready'), checks: readinessChecksSchema }).meta({ id: 'Ready' }) },
      },
    },
    503: {
      description: 'Not ready: `detail` names the failed checks, `checks` has each',
      content: { 'application/problem+json': { schema: problemSchema.extend({ checks: readinessChecksSchema }).meta({ id: 'NotReady' }) } },
    },
  },
});

export const metricsRoute = createRoute({
  method: 'get',
  path: '/v1/metrics',
  summary: 'Every metric with its description, unit and kind',
  tags: ['figures'],
  security: bearerAuth,
  responses: {
    200: { description: 'The metric catalogue', content: { 'application/json': { schema: metricListSchema } } },
    ...problemResponses('unauthorized', 'forbidden'),
  },
});

export const statusRoute = createRoute({
  method: 'get',
  path: '/v1/status',
  summary: 'How far the pipeline has come',
  description:
    '`lag` is the number of acknowledged events not yet counted; once ingest stops it reaches 0. `asOf`: every event acknowledged before it is counted.',
  tags: ['status'],
  security: bearerAuth,
  responses: {
    200: { description: 'Pipeline position', content: { 'application/json': { schema: statusAnswerSchema } } },
    ...problemResponses('unauthorized', 'forbidden'),
  },
});

export const aggregatesRoute = createRoute({
  method: 'get',
  path: '/v1/aggregates',
  summary: 'Figures for a region subtree over a period',
  description:
    "Flow metrics are summed over each row's period; stock metrics (quarantine_active, sites_active) are read at the end of each row's period, and of `to` in `totals`. A region-scoped key may only ask inside its subtree (403 otherwise, never a partial figure). " +
    "Breakdowns: groupBy=dimension (by the metrics' shared catalogue dimension) and groupBy=siteKind (by the kind of site); `sort` and `limit` give a top N of rows while `totals` stay over every row. " +
    '`knownAt` answers as the figures were known at a past instant (events received later and voids that took effect later are left out).',
  'x-cross-field-rules': aggregatesRules,
  tags: ['figures'],
  security: bearerAuth,
  request: { query: aggregatesQuerySchema },
  responses: {
    200: { description: 'The figures', content: { 'application/json': { schema: aggregatesAnswerSchema } } },
    ...problemResponses('validation', 'unauthorized', 'forbidden'),
  },
});

export const timeseriesRoute = createRoute({
  method: 'get',
  path: '/v1/timeseries',
  summary: 'A trend: one metric per day or ISO week, with running total, 7-day average and change',
  description:
    "Dense points (every day or week from `from` to `to`, zeros included). Per point: `value` (flow: the period's sum; stock: the level at its end), `cumulative` (running total from the first event ever, not from `from`; equals value for stock metrics), `movingAverage7` (mean of the daily values of the 7 days ending on the period's last day, reaching before `from`), and `change` against the previous day or week. `dim` restricts a flow metric to one value of its dimension; `knownAt` answers as known at a past instant. A region-scoped key may only ask inside its subtree.",
  'x-cross-field-rules': timeseriesRules,
  tags: ['figures'],
  security: bearerAuth,
  request: { query: timeseriesQuerySchema },
  responses: {
    200: { description: 'The points', content: { 'application/json': { schema: timeseriesAnswerSchema } } },
    ...problemResponses('validation', 'unauthorized', 'forbidden'),
  },
});
