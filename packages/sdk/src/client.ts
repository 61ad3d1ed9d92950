import { completeEvent, mergeSummaries, serverLimits, splitIntoBatches, type BatchLimits } from './events.ts';
import type { CordonError } from './errors.ts';
import { createTransport, type CallOptions, type Result, type TransportOptions } from './transport.ts';
import type {
  CordonEvent,
  DataOf,
  EventInput,
  HasRequired,
  HttpMethod,
  ImportSummary,
  JsonBodyOf,
  Operation,
  PathParamsOf,
  QueryInput,
  QueryOf,
} from './types.ts';

/**
 * Method name → route. This table is the only thing written by hand about
 * the API: paths, parameters, bodies and answers come from the generated
 * types. `input` says how the method takes its arguments; `idempotent` says
 * whether the request may be sent again after a network failure (the server
 * may have acted on the lost one).
 */
export const routes = {
  aggregates: { method: 'get', path: '/v1/aggregates', input: 'query', idempotent: true },
  timeseries: { method: 'get', path: '/v1/timeseries', input: 'query', idempotent: true },
  metrics: { method: 'get', path: '/v1/metrics', input: 'none', idempotent: true },
  status: { method: 'get', path: '/v1/status', input: 'none', idempotent: true },
  health: { method: 'get', path: '/v1/health', input: 'none', idempotent: true },
  ready: { method: 'get', path: '/v1/ready', input: 'none', idempotent: true },
  completeness: { method: 'get', path: '/v1/completeness', input: 'query', idempotent: true },
  quality: { method: 'get', path: '/v1/quality', input: 'query', idempotent: true },
  sites: { method: 'get', path: '/v1/sites', input: 'query', idempotent: true },
  // Event ids make a repeated POST count once, so a lost answer may be retried.
  'events.send': { method: 'post', path: '/v1/events', input: 'events', idempotent: true },
  // A repeated POST would create a second key or fail on the existing region.
  'keys.create': { method: 'post', path: '/v1/keys', input: 'body', idempotent: false },
  'keys.list': { method: 'get', path: '/v1/keys', input: 'none', idempotent: true },
  // Revoking twice leaves the key revoked; the repeat may answer 404.
  'keys.revoke': { method: 'delete', path: '/v1/keys/{id}', input: 'path:id', idempotent: true },
  'regions.add': { method: 'post', path: '/v1/regions', input: 'body', idempotent: false },
  'regions.get': { method: 'get', path: '/v1/regions/{code}', input: 'path:code', idempotent: true },
  'regions.search': { method: 'get', path: '/v1/regions', input: 'query', idempotent: true },
  'bulletins.list': { method: 'get', path: '/v1/bulletins', input: 'query', idempotent: true },
  'bulletins.get': { method: 'get', path: '/v1/bulletins/{region}/{date}', input: 'bulletin', idempotent: true },
} as const satisfies Record<
  string,
  { method: HttpMethod; path: string; input: 'query' | 'none' | 'body' | 'events' | 'bulletin' | `path:${string}`; idempotent: boolean }
>;

export type RouteName = keyof typeof routes;
type Route = (typeof routes)[RouteName];
type Op<N extends RouteName> = Operation<(typeof routes)[N]['path'], (typeof routes)[N]['method']>;

type Answer<O> = Promise<Result<DataOf<O>>>;

/** The figure routes that answer CSV on `Accept: text/csv` and take a query. */
export const csvRoutes = ['aggregates', 'timeseries', 'completeness', 'quality', 'sites'] as const;
export type CsvRouteName = (typeof csvRoutes)[number];
type CsvMethod = <N extends CsvRouteName>(name: N, query: QueryInput<QueryOf<Op<N>>>, options?: CallOptions) => Promise<Result<string>>;

/** A method taking the operation's query: required when a query parameter is, optional otherwise. */
type QueryMethod<O> = [O] extends [never]
  ? never
  : [QueryOf<O>] extends [never]
    ? (options?: CallOptions) => Answer<O>
    : HasRequired<QueryOf<O>> extends true
      ? (query: QueryInput<QueryOf<O>>, options?: CallOptions) => Answer<O>
      : (query?: QueryInput<QueryOf<O>>, options?: CallOptions) => Answer<O>;
type NoInputMethod<O> = [O] extends [never] ? never : (options?: CallOptions) => Answer<O>;
type BodyMethod<O> = [O] extends [never] ? never : (body: JsonBodyOf<O>, options?: CallOptions) => Answer<O>;
type PathMethod<O, K extends string> = [O] extends [never]
  ? never
  : K extends keyof PathParamsOf<O>
    ? (value: PathParamsOf<O>[K], options?: CallOptions) => Answer<O>
    : never;

/** The format of a bulletin: the JSON figures document, or the text of a rendering. */
export type BulletinFormat = 'json' | 'markdown' | 'html' | 'svg';
const bulletinAccept: Record<BulletinFormat, string> = {
  json: 'application/json, application/problem+json',
  markdown: 'text/markdown, application/problem+json',
  html: 'text/html, application/problem+json',
  svg: 'image/svg+xml, application/problem+json',
};

/** GET /v1/bulletins/{region}/{date}: which bulletin, which revision, which format. */
type BulletinRequest<O> = [O] extends [never]
  ? never
  : PathParamsOf<O> & { revision?: number | undefined; format?: BulletinFormat | undefined };
type BulletinMethod<O> = [O] extends [never]
  ? never
  : <F extends BulletinFormat = 'json'>(
      request: BulletinRequest<O> & { format?: F | undefined },
      options?: CallOptions,
    ) => Promise<Result<F extends 'json' ? DataOf<O> : string>>;

/** Drops the methods whose route the document does not have (yet). */
type Present<T> = { [K in keyof T as [T[K]] extends [never] ? never : K]: T[K] };

export interface SendOptions extends CallOptions {
  /** Validate and report, write nothing (?dryRun=true). */
  dryRun?: boolean | undefined;
}

/**
 * The answer of `events.send`: the import summary of the whole array (one
 * request per batch, `index` re-based to the caller's array), and the events
 * as sent, with the ids and times filled in. On an error the batches before
 * the failed one were sent (`sent`); `unsent` are the failed batch and the
 * rest, ids fixed, ready to be sent again without doubling anything.
 */
export type SendResult =
  | { data: ImportSummary; error?: never; response: Response | undefined; events: CordonEvent[] }
  | { data?: never; error: CordonError; response: Response | undefined; events: CordonEvent[]; sent: ImportSummary; unsent: CordonEvent[] };

export type CordonClient = Present<{
  /** GET /v1/aggregates: figures for a region subtree over a period. */
  aggregates: QueryMethod<Op<'aggregates'>>;
  /** GET /v1/timeseries: one metric per day or week, with running total, 7-day average and change. */
  timeseries: QueryMethod<Op<'timeseries'>>;
  /** GET /v1/metrics: the metric catalogue. */
  metrics: NoInputMethod<Op<'metrics'>>;
  /** GET /v1/status: how far the pipeline has come. */
  status: NoInputMethod<Op<'status'>>;
  /** GET /v1/health: liveness, no key needed. */
  health: NoInputMethod<Op<'health'>>;
  /** GET /v1/ready: readiness (log, ClickHouse, consumer), no key needed; a 503 comes back as the error with its `checks`. */
  ready: NoInputMethod<Op<'ready'>>;
  /** GET /v1/completeness: which sites in service reported on a day. */
  completeness: QueryMethod<Op<'completeness'>>;
  /** GET /v1/quality: rule breaks and outliers per site and day. */
  quality: QueryMethod<Op<'quality'>>;
  /** GET /v1/sites: sites in a region subtree. */
  sites: QueryMethod<Op<'sites'>>;
  /**
   * The CSV the server writes for a figure route (`Accept: text/csv`): the
   * same query as the JSON method, the answer's text exactly as sent, its
   * byte-order mark included (Excel needs it to read Chinese names).
   */
  csv: CsvMethod;
  events: {
    /**
     * POST /v1/events, in as many requests as the server's limits need
     * (5,000 events, 5 MiB), one after the other. Fills in `id` (UUID v7) and
     * `occurredAt` (now) where they are missing. Retried after a network
     * failure too: the ids make it idempotent.
     */
    send(events: readonly EventInput[], options?: SendOptions): Promise<SendResult>;
  };
  keys: Present<{
    /** POST /v1/keys (admin). Never retried after a network failure: it is not idempotent. */
    create: BodyMethod<Op<'keys.create'>>;
    /** GET /v1/keys (admin). */
    list: NoInputMethod<Op<'keys.list'>>;
    /** DELETE /v1/keys/{id} (admin). */
    revoke: PathMethod<Op<'keys.revoke'>, 'id'>;
  }>;
  regions: Present<{
    /** POST /v1/regions (admin). Never retried after a network failure: it is not idempotent. */
    add: BodyMethod<Op<'regions.add'>>;
    /** GET /v1/regions/{code}: a region with its parent, ancestors and children. */
    get: PathMethod<Op<'regions.get'>, 'code'>;
    /** GET /v1/regions?search=: regions by name. */
    search: QueryMethod<Op<'regions.search'>>;
  }>;
  bulletins: Present<{
    /** GET /v1/bulletins: the bulletins the server's schedule wrote, with their revisions. */
    list: QueryMethod<Op<'bulletins.list'>>;
    /**
     * GET /v1/bulletins/{region}/{date}: the latest revision, or `revision`;
     * `format` json (the figures document, the default), or the text of
     * markdown, html or svg (the chart), asked for with the Accept header.
     */
    get: BulletinMethod<Op<'bulletins.get'>>;
  }>;
}>;

export interface ClientOptions extends TransportOptions {
  /** e.g. http://127.0.0.1:8787 */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`; only `health` and `ready` work without one. */
  apiKey?: string | undefined;
  /** Lower limits per events request than the server's (never higher: the server answers 413). */
  limits?: Partial<BatchLimits> | undefined;
  /** The clock for a missing `occurredAt`. */
  now?: (() => Date) | undefined;
}

export function createClient(options: ClientOptions): CordonClient {
  const transport = createTransport(options);
  const limits: BatchLimits = {
    maxEvents: Math.min(options.limits?.maxEvents ?? serverLimits.maxEvents, serverLimits.maxEvents),
    maxBytes: Math.min(options.limits?.maxBytes ?? serverLimits.maxBytes, serverLimits.maxBytes),
  };
  const now = options.now ?? (() => new Date());

  const method = (route: Route) => (first?: unknown, second?: CallOptions) => {
    const spec = { method: route.method, path: route.path, retryOnNetworkError: route.idempotent };
    if (route.input === 'none') return transport.call({ ...spec }, first as CallOptions | undefined);
    if (route.input === 'body') return transport.call({ ...spec, body: first }, second);
    if (route.input === 'bulletin') {
      const {
        region,
        date,
        revision,
        format = 'json',
      } = first as { region: string; date: string; revision?: number; format?: BulletinFormat };
      return transport.call(
        {
          ...spec,
          pathParams: { region, date },
          ...(revision === undefined ? {} : { query: { revision } }),
          ...(format === 'json' ? {} : { parseAs: 'text' as const }),
        },
        { ...second, headers: { ...second?.headers, accept: bulletinAccept[format] } },
      );
    }
    if (route.input.startsWith('path:')) return transport.call({ ...spec, pathParams: { [route.input.slice(5)]: first } }, second);
    return transport.call({ ...spec, query: wireQuery(first as Record<string, unknown> | undefined) }, second);
  };

  async function send(inputs: readonly EventInput[], sendOptions: SendOptions = {}): Promise<SendResult> {
    const { dryRun, ...call } = sendOptions;
    const events = inputs.map((input) => completeEvent(input, now));
    const parts: { start: number; summary: ImportSummary }[] = [];
    let response: Response | undefined;
    for (const batch of splitIntoBatches(events, limits)) {
      const route = routes['events.send'];
      const result = await transport.call<ImportSummary>(
        {
          method: route.method,
          path: route.path,
          body: batch.events,
          retryOnNetworkError: route.idempotent,
          ...(dryRun ? { query: { dryRun: 'true' } } : {}),
        },
        call,
      );
      if (result.error)
        return { error: result.error, response: result.response, events, sent: mergeSummaries(parts), unsent: events.slice(batch.start) };
      parts.push({ start: batch.start, summary: result.data });
      response = result.response;
    }
    return { data: mergeSummaries(parts), response, events };
  }

  const csv: CsvMethod = async (name, query, call = {}) => {
    const route = routes[name];
    const result = await transport.call<ArrayBuffer>(
      {
        method: route.method,
        path: route.path,
        query: wireQuery(query as Record<string, unknown>),
        retryOnNetworkError: route.idempotent,
        parseAs: 'arrayBuffer',
      },
      { ...call, headers: { ...call.headers, accept: 'text/csv' } },
    );
    if (result.error) return result;
    // ignoreBOM keeps the mark in the text, so a download of it has the server's bytes.
    return { data: new TextDecoder('utf-8', { ignoreBOM: true }).decode(result.data), response: result.response };
  };

  const client = {
    csv,
    aggregates: method(routes.aggregates),
    timeseries: method(routes.timeseries),
    metrics: method(routes.metrics),
    status: method(routes.status),
    health: method(routes.health),
    ready: method(routes.ready),
    completeness: method(routes.completeness),
    quality: method(routes.quality),
    sites: method(routes.sites),
    events: { send },
    keys: { create: method(routes['keys.create']), list: method(routes['keys.list']), revoke: method(routes['keys.revoke']) },
    regions: { add: method(routes['regions.add']), get: method(routes['regions.get']), search: method(routes['regions.search']) },
    bulletins: { list: method(routes['bulletins.list']), get: method(routes['bulletins.get']) },
  };
  // The runtime has every method of the table; the type shows those whose
  // route is in the document the SDK was generated from.
  return client as unknown as CordonClient;
}

/** Query values on the wire: a metric list is a comma list; undefined is left out. */
function wireQuery(query: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!query) return undefined;
  const wire: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    wire[key] = Array.isArray(value) ? value.join(',') : value;
  }
  return wire;
}
