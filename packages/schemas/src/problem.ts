import { z } from 'zod';

/**
 * Every error is application/problem+json (RFC 9457). One table of codes and
 * their HTTP statuses, so a route can only answer with a documented problem.
 */
export const problemCodes = {
  validation: { status: 400, title: 'The request is not valid' },
  unauthorized: { status: 401, title: 'Missing or unknown API key' },
  forbidden: { status: 403, title: 'This API key may not do that' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported content type' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
  unavailable: { status: 503, title: 'Temporarily unavailable' },
} as const;

export type ProblemCode = keyof typeof problemCodes;

export const fieldErrorSchema = z
  .object({
    path: z.string().describe('Where the error is, as a JSON pointer-like path, e.g. "data.people" or "region"'),
    message: z.string(),
  })
  .meta({ id: 'FieldError' });
export type FieldError = z.infer<typeof fieldErrorSchema>;

export const problemSchema = z
  .object({
    type: z.string().describe('A URI reference naming the kind of problem, e.g. /problems/validation'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(fieldErrorSchema).optional().describe('For validation problems: each field in error'),
  })
  .meta({ id: 'Problem', description: 'An error (RFC 9457 problem details)' });
export type Problem = z.infer<typeof problemSchema>;

export function problemType(code: ProblemCode): string {
  return `/problems/${code}`;
}

/** Turns zod issues into the contract's `{path, message}` list. */
export function fieldErrorsOf(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  prefix: readonly PropertyKey[] = [],
): FieldError[] {
  return issues.map((i) => ({ path: [...prefix, ...i.path].map(String).join('.') || '(root)', message: i.message }));
}
