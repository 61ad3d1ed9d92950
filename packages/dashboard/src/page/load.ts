import { parseRegionCode } from '@cordon/regions/code';
import { addDays } from '@cordon/schemas/days';
import type { CordonClient, CordonError, Result, Schemas } from '@cordon/sdk';
import { cardMetrics, nextLevel, type Level, type View } from './view.ts';

export interface ViewData {
  region: Schemas['RegionDetail'];
  totals: Schemas['Aggregates'];
  /** groupBy=day over to−1..to: the cards' last day and the day before. */
  days: Schemas['Aggregates'];
  series: Schemas['Timeseries'];
  /** null for a village: nothing below it. */
  breakdown: Schemas['Aggregates'] | null;
  /**
   * null until its answer is in. The day's reporting and quality warnings are
   * drawn after the cards and charts, not with them: on a large county they
   * are the slow answers (they read raw events), and the figures must not
   * wait for them.
   */
  completeness: Schemas['Completeness'] | null;
  quality: Schemas['Quality'] | null;
  /** The totals answer's ETag: the refresh loop asks with it and gets 304 until new events are counted. */
  etag: string | null;
}

/** Why a view could not be shown, as the page tells it. */
export type Failure =
  | { kind: 'unauthorized' }
  | { kind: 'forbidden'; detail: string }
  /** No answer: refused or reset (`slow: false`), or none within the SDK's timeout (`slow: true`). */
  | { kind: 'unreachable'; slow: boolean }
  | { kind: 'invalid'; detail: string }
  | { kind: 'other'; detail: string };

export type Loaded<T> = { ok: true; value: T } | { ok: false; failure: Failure };

export function failureOf(error: CordonError): Failure {
  switch (error.kind) {
    case 'problem':
      if (error.status === 401) return { kind: 'unauthorized' };
      if (error.status === 403) return { kind: 'forbidden', detail: error.detail };
      if (error.status === 400 || error.status === 404) return { kind: 'invalid', detail: error.detail };
      return { kind: 'other', detail: `${error.status} ${error.title}` };
    case 'network':
      return { kind: 'unreachable', slow: false };
    case 'timeout':
      // Told apart: a server that answers too slowly is there, and the office should not be told it is gone.
      return { kind: 'unreachable', slow: true };
    case 'aborted':
      return { kind: 'other', detail: error.message };
  }
}

class LoadError extends Error {
  constructor(readonly failure: Failure) {
    super(failure.kind);
  }
}

async function need<T>(call: Promise<Result<T>>): Promise<{ data: T; response: Response }> {
  const result = await call;
  if (result.error) throw new LoadError(failureOf(result.error));
  return { data: result.data, response: result.response };
}

/** A view being loaded: the figures (cards, charts, table), and apart from them the day's reporting and quality. */
export interface ViewLoad {
  figures: Promise<Loaded<ViewData>>;
  checks: Promise<Loaded<Pick<ViewData, 'completeness' | 'quality'>>>;
}

/**
 * Every answer one view needs: the figures asked at once, then the checks.
 * The breakdown needs the region's level (a county breaks down by towns):
 * a code's syntax says it (the registry gives every region the level its
 * code names), so nothing waits for the region's details; only a code that
 * is not one (a hand-edited link) waits for the server to say what is wrong.
 */
export function loadView(client: CordonClient, view: View, regions: Map<string, Schemas['RegionDetail']>, signal?: AbortSignal): ViewLoad {
  const call = { signal };
  const range = {
    region: view.region,
    ...(view.from ? { from: view.from } : {}),
    to: view.to,
    ...(view.knownAt ? { knownAt: view.knownAt } : {}),
  };
  const known = view.knownAt ? { knownAt: view.knownAt } : {};
  const figures = async (): Promise<ViewData> => {
    const cached = regions.get(view.region);
    const region = cached ? Promise.resolve(cached) : need(client.regions.get(view.region, call)).then(({ data }) => data);
    const totals = need(client.aggregates({ metrics: cardMetrics, ...range }, call));
    const days = need(
      client.aggregates(
        { metrics: cardMetrics, region: view.region, from: addDays(view.to, -1), to: view.to, groupBy: 'day', ...known },
        call,
      ),
    );
    const series = need(client.timeseries({ metric: view.metric, ...range, interval: view.interval }, call));
    const ownLevel = cached?.level ?? parseRegionCode(view.region)?.level;
    const breakdownBy = (level: Level) => {
      const below = nextLevel(level);
      return below
        ? need(client.aggregates({ metrics: cardMetrics, ...range, groupBy: 'region', level: below }, call)).then(({ data }) => data)
        : null;
    };
    const breakdown = ownLevel ? breakdownBy(ownLevel) : region.then((detail) => breakdownBy(detail.level));
    const [detail, t, d, s, b] = await Promise.all([region, totals, days, series, breakdown]);
    regions.set(detail.code, detail);
    return {
      region: detail,
      totals: t.data,
      days: d.data,
      series: s.data,
      breakdown: b,
      completeness: null,
      quality: null,
      etag: t.response.headers.get('etag'),
    };
  };
  const checks = async () => {
    const [c, q] = await Promise.all([
      need(client.completeness({ region: view.region, date: view.to, ...known }, call)),
      need(client.quality({ region: view.region, from: view.to, to: view.to, ...known }, call)),
    ]);
    return { completeness: c.data, quality: q.data };
  };
  const shown = loaded(figures());
  // The checks are asked once the figures are in, not beside them: they share the server's cores (and chDB's one engine) with the
  // figures' queries, and on a county of millions of events they take seconds.
  return { figures: shown, checks: shown.then((f) => (f.ok ? loaded(checks()) : { ok: false, failure: f.failure })) };
}

/** A load's failure as data; a bug (anything but a refused or failed request) still throws. */
async function loaded<T>(work: Promise<T>): Promise<Loaded<T>> {
  try {
    return { ok: true, value: await work };
  } catch (error) {
    if (error instanceof LoadError) return { ok: false, failure: error.failure };
    throw error;
  }
}

/**
 * Has anything been counted since `etag`? The totals request again with
 * If-None-Match: 304 while no new event is counted (the ETag is the
 * pipeline's position), 200 once one is.
 */
export async function hasChanged(client: CordonClient, view: View, etag: string | null): Promise<Loaded<boolean>> {
  const result = await client.aggregates(
    { metrics: cardMetrics, region: view.region, ...(view.from ? { from: view.from } : {}), to: view.to },
    { ...(etag ? { ifNoneMatch: etag } : {}), retry: false },
  );
  if (result.error) {
    if (result.error.kind === 'problem' && result.error.status === 304) return { ok: true, value: false };
    return { ok: false, failure: failureOf(result.error) };
  }
  return { ok: true, value: result.response.headers.get('etag') !== etag };
}

/** The region a key sees by default (a region-scoped key's own), or null for a key of the whole country. */
export async function defaultRegion(client: CordonClient): Promise<Loaded<string | null>> {
  const result = await client.aggregates({ metrics: ['people_screened'] });
  if (result.error) {
    const failure = failureOf(result.error);
    return failure.kind === 'invalid' ? { ok: true, value: null } : { ok: false, failure };
  }
  return { ok: true, value: result.data.region.code };
}

/** The last day with an event at any site of the region, or null when it has none. */
export async function lastDayWithData(
  client: CordonClient,
  region: string,
  dayOf: (iso: string) => string,
): Promise<Loaded<string | null>> {
  const result = await client.sites({ region });
  if (result.error) return { ok: false, failure: failureOf(result.error) };
  let latest: string | null = null;
  for (const site of result.data.sites) if (site.lastEventAt && (latest === null || site.lastEventAt > latest)) latest = site.lastEventAt;
  return { ok: true, value: latest ? dayOf(latest) : null };
}
