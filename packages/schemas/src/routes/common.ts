import { problemCodes, problemSchema, type ProblemCode } from '../problem.ts';

/** The problem+json answers a route may give, for its OpenAPI `responses`. */
export function problemResponses(...codes: ProblemCode[]) {
  return Object.fromEntries(
    codes.map((code) => [
      problemCodes[code].status,
      { description: problemCodes[code].title, content: { 'application/problem+json': { schema: problemSchema } } },
    ]),
  ) as Record<number, { description: string; content: { 'application/problem+json': { schema: typeof problemSchema } } }>;
}

/** Every /v1 route but health: `Authorization: Bearer <api key>`. */
export const bearerAuth = [{ bearerAuth: [] as string[] }];

/**
 * Read routes whose answers are figures: they carry weak ETags (304 on
 * If-None-Match) and answer CSV on `Accept: text/csv`. The server applies
 * both to exactly these paths, and the OpenAPI document says so for them.
 */
export const figurePaths = [
  '/v1/aggregates',
  '/v1/timeseries',
  '/v1/completeness',
  '/v1/quality',
  '/v1/regions',
  '/v1/regions/{code}',
  '/v1/sites',
  '/v1/metrics',
] as const;
