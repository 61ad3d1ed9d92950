/**
 * Every type the SDK shows its users is read from the generated OpenAPI types
 * (src/generated/openapi.d.ts); nothing here restates a field, a parameter or
 * an answer. These helpers only pick the parts of an operation a method needs.
 */
import type { components, paths } from './generated/openapi.js';

export type { components, paths };
export type Schemas = components['schemas'];

/** Every metric the server knows (the document's `MetricName` enum). */
export type MetricName = Schemas['MetricName'];
export type Problem = Schemas['Problem'];
export type FieldError = Schemas['FieldError'];
/** One event as the server takes it: `type` decides the shape of `data`. */
export type CordonEvent = Schemas['Event'];
export type CordonEventType = CordonEvent['type'];
export type ImportSummary = Schemas['ImportSummary'];

type Loosen<E> = E extends unknown
  ? { [K in keyof E as K extends 'id' | 'occurredAt' ? never : K]: E[K] } & {
      /** A UUID; filled in with a UUID v7 when left out. It is the idempotency key: keep it for retries. */
      id?: string | undefined;
      /** ISO 8601 with an offset; now (with the local offset) when left out. */
      occurredAt?: string | undefined;
    }
  : never;
/** An event as an app hands it to `events.send`: `id` and `occurredAt` may be left out. */
export type EventInput = Loosen<CordonEvent>;

export type HttpMethod = 'get' | 'post' | 'put' | 'delete' | 'patch';

/** The operation at `P` and `M` in the document, or never when the document has none. */
export type Operation<P extends string, M extends HttpMethod> = P extends keyof paths
  ? M extends keyof paths[P]
    ? NonNullable<paths[P][M]>
    : never
  : never;

type Parameters<O> = O extends { parameters: infer Ps } ? Ps : never;
export type QueryOf<O> = NonNullable<Parameters<O> extends { query?: infer Q } ? Q : never>;
export type PathParamsOf<O> = NonNullable<Parameters<O> extends { path?: infer Q } ? Q : never>;
export type JsonBodyOf<O> = O extends { requestBody: { content: { 'application/json': infer B } } }
  ? B
  : O extends { requestBody?: { content: { 'application/json': infer B } } }
    ? B
    : never;

type SuccessStatus = 200 | 201 | 202 | 203 | 204;
/** The JSON of the operation's success answer; `undefined` for an answer without a body (204). */
export type DataOf<O> = O extends { responses: infer R }
  ? {
      [S in keyof R & SuccessStatus]: R[S] extends { content: { 'application/json': infer D } } ? D : undefined;
    }[keyof R & SuccessStatus]
  : never;

/**
 * Query parameters as the SDK takes them: the document's, except that a
 * comma-separated `metrics` list is a typed array of metric names (joined on
 * the wire).
 */
export type QueryInput<Q> = {
  [K in keyof Q]: K extends 'metrics' ? (Q[K] extends string | undefined ? readonly MetricName[] : Q[K]) : Q[K];
};

type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];
/** True when the object has at least one required key. */
export type HasRequired<T> = [RequiredKeys<T>] extends [never] ? false : true;

/** `{}` for an empty-looking object, so `[never]` checks below stay simple. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};
