import type { FieldError, Problem } from './types.ts';

/**
 * The error model: every call resolves to a result, `{ data, error, response }`
 * (as openapi-fetch does), and never rejects. `error` is one of four kinds,
 * told apart by `kind`:
 *
 * - `problem`: the server answered with an error status (its
 *   application/problem+json body: status, type, title, detail, errors);
 * - `network`: no answer (connection refused, reset, DNS, a lost answer);
 * - `timeout`: no answer within `timeoutMs`;
 * - `aborted`: the caller's AbortSignal fired.
 *
 * Each is an Error subclass, so a caller who prefers exceptions can
 * `if (result.error) throw result.error`. `retriable` says whether trying the
 * same request again later can succeed; the retry logic reads it.
 */
export type CordonError = CordonProblem | CordonNetworkError | CordonTimeoutError | CordonAbortError;
export type CordonErrorKind = CordonError['kind'];

export class CordonProblem extends Error implements Problem {
  readonly kind = 'problem' as const;
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  /** The field errors of a validation problem; empty for other problems. */
  readonly errors: FieldError[];
  /** Rate limits (429) and an unavailable server (503) are worth retrying; nothing else is. */
  readonly retriable: boolean;
  /** The server's Retry-After, in milliseconds, when it sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(problem: Problem & { retryAfterMs?: number | undefined }) {
    super(`${problem.status} ${problem.title}: ${problem.detail}`);
    this.name = 'CordonProblem';
    this.status = problem.status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.errors = problem.errors ?? [];
    this.retriable = retriableStatuses.has(problem.status);
    this.retryAfterMs = problem.retryAfterMs;
  }

  toJSON(): Problem {
    return {
      type: this.type,
      title: this.title,
      status: this.status,
      detail: this.detail,
      ...(this.errors.length > 0 ? { errors: this.errors } : {}),
    };
  }
}

export class CordonNetworkError extends Error {
  readonly kind = 'network' as const;
  readonly retriable = true;
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'CordonNetworkError';
  }
}

export class CordonTimeoutError extends Error {
  readonly kind = 'timeout' as const;
  readonly retriable = true;
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'CordonTimeoutError';
  }
}

export class CordonAbortError extends Error {
  readonly kind = 'aborted' as const;
  readonly retriable = false;
  constructor(readonly reason: unknown) {
    super('the call was aborted', { cause: reason });
    this.name = 'CordonAbortError';
  }
}

/** The statuses worth the same request again: the server did nothing with it. */
export const retriableStatuses: ReadonlySet<number> = new Set([429, 503]);

/**
 * A problem from an error answer. The body is the server's problem+json; an
 * answer from something in between (a proxy's HTML 502) becomes an
 * `about:blank` problem (RFC 9457 §4.2) with the status text as title.
 */
export function problemFromResponse(response: Response, body: unknown): CordonProblem {
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  if (isProblem(body)) return new CordonProblem({ ...body, status: response.status, retryAfterMs });
  const text = typeof body === 'string' ? body.slice(0, 500) : body === undefined ? '' : JSON.stringify(body).slice(0, 500);
  return new CordonProblem({
    type: 'about:blank',
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
    detail: text || `The server answered ${response.status} without a problem document`,
    retryAfterMs,
  });
}

function isProblem(body: unknown): body is Problem {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as Record<string, unknown>;
  return typeof b['type'] === 'string' && typeof b['title'] === 'string' && typeof b['detail'] === 'string';
}

/** Retry-After is delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
