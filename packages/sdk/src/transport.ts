import createFetchClient from 'openapi-fetch';
import { CordonAbortError, CordonNetworkError, CordonTimeoutError, problemFromResponse, type CordonError } from './errors.ts';
import type { HttpMethod, paths } from './types.ts';

/** What every call answers: the data, or a typed error; never a rejected promise. */
export type Result<T> =
  { data: T; error?: never; response: Response } | { data?: never; error: CordonError; response: Response | undefined };

export type FetchLike = (request: Request) => Response | Promise<Response>;

export interface RetryOptions {
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  /** Base of the exponential backoff (full jitter). Default 250 ms. */
  minDelayMs?: number;
  /** Cap of one computed backoff. Default 10 s. */
  maxDelayMs?: number;
  /**
   * A Retry-After longer than this is not waited for: the error is returned
   * at once so the caller can decide (a sender keeps its queue). Default 60 s.
   */
  maxRetryAfterMs?: number;
}

export interface RetryInfo {
  method: string;
  path: string;
  /** 1 for the first retry. */
  attempt: number;
  delayMs: number;
  error: CordonError;
}

export interface CallOptions {
  signal?: AbortSignal | undefined;
  /** Per attempt; overrides the client's. */
  timeoutMs?: number | undefined;
  /** Overrides the client's policy for this call; false: one attempt. */
  retry?: RetryOptions | false | undefined;
  headers?: Record<string, string> | undefined;
  /**
   * An ETag from an earlier answer of the same request (figure routes carry
   * one). When nothing has changed the server answers 304, which comes back
   * as a problem with status 304 (not retriable): keep what you have.
   */
  ifNoneMatch?: string | undefined;
}

export interface TransportOptions {
  baseUrl: string;
  apiKey?: string | undefined;
  fetch?: FetchLike | undefined;
  timeoutMs?: number | undefined;
  retry?: RetryOptions | false | undefined;
  headers?: Record<string, string> | undefined;
  /** Told before each retry (logging, metrics, tests). */
  onRetry?: ((info: RetryInfo) => void) | undefined;
}

export interface RequestSpec {
  method: HttpMethod;
  path: string;
  query?: Record<string, unknown> | undefined;
  pathParams?: Record<string, unknown> | undefined;
  body?: unknown;
  /**
   * May the request be sent again after a network failure or a timeout, when
   * the server may have acted on it? GETs and DELETEs yes; events.send yes
   * (event ids make it idempotent); keys.create and regions.add no.
   */
  retryOnNetworkError: boolean;
  /** How to read a success body: JSON (the default), text (Markdown, HTML, SVG), or bytes (CSV, so its BOM survives). */
  parseAs?: 'json' | 'text' | 'arrayBuffer' | undefined;
}

export const defaultTimeoutMs = 30_000;
const defaultRetry: Required<RetryOptions> = { retries: 3, minDelayMs: 250, maxDelayMs: 10_000, maxRetryAfterMs: 60_000 };

/**
 * The delay before retry number `attempt` (1-based): the server's Retry-After
 * when it gave one (plus a little jitter, so clients told the same second do
 * not come back together), otherwise full-jitter exponential backoff.
 */
export function retryDelay(
  attempt: number,
  policy: Required<RetryOptions>,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const exp = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** (attempt - 1));
  if (retryAfterMs !== undefined) return retryAfterMs + Math.floor(random() * Math.min(policy.minDelayMs, exp));
  return Math.floor(random() * exp);
}

export interface Transport {
  call<T>(spec: RequestSpec, options?: CallOptions): Promise<Result<T>>;
}

export function createTransport(options: TransportOptions): Transport {
  const userFetch: FetchLike = options.fetch ?? ((request) => globalThis.fetch(request));
  const client = createFetchClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    // An injected fetch (an in-process app, a test's failing wrapper) may
    // ignore the request's signal; racing it keeps timeouts and aborts honest.
    fetch: (request) => raceSignal(Promise.resolve(userFetch(request)), request.signal),
  });
  const baseHeaders: Record<string, string> = {
    accept: 'application/json, application/problem+json',
    ...options.headers,
    ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
  };

  async function attempt(spec: RequestSpec, signal: AbortSignal, headers: Record<string, string>) {
    // The generic request: paths, parameters and bodies were checked against
    // the generated types by the typed method that built `spec`.
    const request = client.request as unknown as (
      method: string,
      path: string,
      init: Record<string, unknown>,
    ) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
    return request(spec.method, spec.path, {
      params: { ...(spec.query ? { query: spec.query } : {}), ...(spec.pathParams ? { path: spec.pathParams } : {}) },
      ...(spec.body !== undefined ? { body: spec.body } : {}),
      headers,
      signal,
      ...(spec.parseAs ? { parseAs: spec.parseAs } : {}),
    });
  }

  return {
    async call<T>(spec: RequestSpec, call: CallOptions = {}): Promise<Result<T>> {
      const retryOption = call.retry === undefined ? options.retry : call.retry;
      const policy = retryOption === false ? { ...defaultRetry, retries: 0 } : { ...defaultRetry, ...retryOption };
      const timeoutMs = call.timeoutMs ?? options.timeoutMs ?? defaultTimeoutMs;
      const headers = { ...baseHeaders, ...call.headers, ...(call.ifNoneMatch ? { 'if-none-match': call.ifNoneMatch } : {}) };

      for (let tries = 0; ; tries++) {
        if (call.signal?.aborted) return { error: new CordonAbortError(call.signal.reason), response: undefined };
        const deadline = new AbortController();
        const timer = setTimeout(() => deadline.abort(new CordonTimeoutError(timeoutMs)), timeoutMs);
        const { signal, dispose } = anySignal([deadline.signal, call.signal]);
        let error: CordonError;
        let response: Response | undefined;
        try {
          const answer = await attempt(spec, signal, headers);
          response = answer.response;
          if (response.ok) return { data: answer.data as T, response };
          error = problemFromResponse(response, answer.error);
        } catch (thrown) {
          if (call.signal?.aborted) return { error: new CordonAbortError(call.signal.reason), response: undefined };
          error = deadline.signal.aborted
            ? new CordonTimeoutError(timeoutMs)
            : new CordonNetworkError(`${spec.method.toUpperCase()} ${spec.path}: ${describe(thrown)}`, { cause: thrown });
        } finally {
          clearTimeout(timer);
          dispose();
        }

        const mayRetry =
          tries < policy.retries &&
          error.retriable &&
          (error.kind === 'problem' || spec.retryOnNetworkError) &&
          !(error.kind === 'problem' && error.retryAfterMs !== undefined && error.retryAfterMs > policy.maxRetryAfterMs);
        if (!mayRetry) return { error, response };
        const delayMs = retryDelay(tries + 1, policy, error.kind === 'problem' ? error.retryAfterMs : undefined);
        options.onRetry?.({ method: spec.method.toUpperCase(), path: spec.path, attempt: tries + 1, delayMs, error });
        if (!(await sleep(delayMs, call.signal))) return { error: new CordonAbortError(call.signal?.reason), response: undefined };
      }
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}

/** Resolves true after `ms`, or false as soon as the signal fires. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * AbortSignal.any, written out (older browsers lack it), with a dispose that
 * takes its listeners off a long-lived caller signal after each attempt.
 */
function anySignal(signals: (AbortSignal | undefined)[]): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const unlisten = new AbortController();
  for (const signal of signals) {
    if (!signal) continue;
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true, signal: unlisten.signal });
  }
  return { signal: controller.signal, dispose: () => unlisten.abort() };
}

function raceSignal(promise: Promise<Response>, signal: AbortSignal): Promise<Response> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
