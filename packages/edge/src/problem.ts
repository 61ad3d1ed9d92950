import type { Context } from 'hono';
import { problemCodes, problemType, type FieldError, type ProblemCode } from '@cordon/schemas';

/**
 * The one error type routes throw. The app's error handler turns it into an
 * application/problem+json answer (RFC 9457); anything else becomes a bare
 * 500 problem, never a stack trace.
 */
export class ProblemError extends Error {
  readonly code: ProblemCode;
  readonly detail: string;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;
  constructor(code: ProblemCode, detail: string, options: { errors?: FieldError[]; headers?: Record<string, string> } = {}) {
    super(detail);
    this.name = 'ProblemError';
    this.code = code;
    this.detail = detail;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }
}

export function problemResponse(error: ProblemError): Response {
  const { status, title } = problemCodes[error.code];
  const body = {
    type: problemType(error.code),
    title,
    status,
    detail: error.detail,
    ...(error.errors ? { errors: error.errors } : {}),
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', ...error.headers },
  });
}

export function validationProblem(errors: FieldError[], detail?: string): ProblemError {
  return new ProblemError('validation', detail ?? errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors });
}

/** Error handler for Hono's app.onError. */
export function handleError(onUnexpected: (error: unknown) => void) {
  return (error: Error, _c: Context): Response => {
    if (error instanceof ProblemError) return problemResponse(error);
    // Hono's own HTTPExceptions (e.g. from body-limit) carry a status.
    const status = (error as { status?: number }).status;
    if (status === 413) return problemResponse(new ProblemError('payload_too_large', error.message || 'The request body is too large'));
    if (status === 400) return problemResponse(new ProblemError('validation', error.message || 'Malformed request'));
    // @hono/zod-openapi's gate refuses a body whose content type the route does not declare.
    if (status === 415)
      return problemResponse(
        new ProblemError(
          'unsupported_media_type',
          "The body's content type is not one this route takes (see its requestBody in /openapi.json)",
        ),
      );
    onUnexpected(error);
    return problemResponse(new ProblemError('internal', 'An unexpected error occurred; it has been logged.'));
  };
}
