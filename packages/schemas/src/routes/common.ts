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
