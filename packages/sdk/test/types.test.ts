/**
 * Type tests of the public surface. `expectTypeOf` checks run under tsc
 * (`npm run typecheck`); each `@ts-expect-error` line fails the typecheck if
 * the mistake below it ever compiles. The calls sit in functions that never
 * run, so no request is made.
 */
import { describe, expectTypeOf, it } from 'vitest';
import {
  createClient,
  createEventSender,
  type CordonClient,
  type CordonError,
  type CordonEvent,
  type EventInput,
  type FieldError,
  type ImportSummary,
  type MetricName,
  type Result,
  type components,
} from '@cordon/sdk';
import { createFileQueueStore } from '@cordon/sdk/node';

type S = components['schemas'];
// Made, never called: creating a client does no I/O.
const cordon: CordonClient = createClient({ baseUrl: 'http://127.0.0.1:9' });
const never = (_: () => unknown) => undefined;

describe('public types', () => {
  it('MetricName is the document enum, every metric a literal the editor completes', () => {
    expectTypeOf<'people_screened'>().toExtend<MetricName>();
    expectTypeOf<'donated:masks:piece'>().toExtend<MetricName>();
    expectTypeOf<'quarantine_active'>().toExtend<MetricName>();
    expectTypeOf<'people_screend'>().not.toExtend<MetricName>();
    expectTypeOf<string>().not.toExtend<MetricName>();
  });

  it('aggregates: a typed metric list, the document parameters, the document answer', () => {
    type Query = Parameters<CordonClient['aggregates']>[0];
    expectTypeOf<Query['metrics']>().toEqualTypeOf<readonly MetricName[]>();
    expectTypeOf<Query['groupBy']>().toEqualTypeOf<'none' | 'day' | 'week' | 'region' | 'site' | 'dimension' | 'siteKind' | undefined>();
    expectTypeOf<Query['level']>().toEqualTypeOf<'province' | 'city' | 'county' | 'town' | 'village' | undefined>();
    expectTypeOf(cordon.aggregates).returns.resolves.toEqualTypeOf<Result<S['Aggregates']>>();
    never(() => {
      void cordon.aggregates({ metrics: ['people_screened', 'donated:cash:cny'], region: '410184', from: '2020-02-01', groupBy: 'day' });
      // @ts-expect-error a metric name that does not exist
      void cordon.aggregates({ metrics: ['people_screend'] });
      // @ts-expect-error metrics is required
      void cordon.aggregates({ region: '410184' });
      // @ts-expect-error the query is required
      void cordon.aggregates();
      // @ts-expect-error a comma string is what the wire takes, not what the SDK takes
      void cordon.aggregates({ metrics: 'people_screened,fever_cases' });
      // @ts-expect-error groupBy is an enum
      void cordon.aggregates({ metrics: ['fever_cases'], groupBy: 'month' });
      // @ts-expect-error no such parameter
      void cordon.aggregates({ metrics: ['fever_cases'], regoin: '410184' });
    });
  });

  it('every other route: parameters and answers from the document', () => {
    expectTypeOf(cordon.metrics).returns.resolves.toEqualTypeOf<Result<S['MetricList']>>();
    expectTypeOf(cordon.status).returns.resolves.toEqualTypeOf<Result<S['Status']>>();
    expectTypeOf(cordon.health).returns.resolves.toEqualTypeOf<Result<S['Health']>>();
    expectTypeOf(cordon.timeseries).returns.resolves.toEqualTypeOf<Result<S['Timeseries']>>();
    expectTypeOf(cordon.completeness).returns.resolves.toEqualTypeOf<Result<S['Completeness']>>();
    expectTypeOf(cordon.quality).returns.resolves.toEqualTypeOf<Result<S['Quality']>>();
    expectTypeOf(cordon.sites).returns.resolves.toEqualTypeOf<Result<S['SiteList']>>();
    expectTypeOf(cordon.regions.get).returns.resolves.toEqualTypeOf<Result<S['RegionDetail']>>();
    expectTypeOf(cordon.regions.search).returns.resolves.toEqualTypeOf<Result<S['RegionSearch']>>();
    expectTypeOf(cordon.regions.add).returns.resolves.toEqualTypeOf<Result<S['Region']>>();
    expectTypeOf(cordon.keys.create).returns.resolves.toEqualTypeOf<Result<S['CreatedApiKey']>>();
    expectTypeOf(cordon.keys.list).returns.resolves.toEqualTypeOf<Result<{ keys: S['ListedApiKey'][] }>>();
    expectTypeOf(cordon.keys.revoke).returns.resolves.toEqualTypeOf<Result<undefined>>();
    expectTypeOf<Parameters<CordonClient['timeseries']>[0]['metric']>().toEqualTypeOf<MetricName>();
    never(() => {
      void cordon.timeseries({ metric: 'fever_cases', interval: 'week' });
      // @ts-expect-error timeseries takes one metric, and a real one
      void cordon.timeseries({ metric: 'fevers' });
      // @ts-expect-error metric is required
      void cordon.timeseries({ region: '410184' });
      // @ts-expect-error search is required
      void cordon.regions.search({ limit: 5 });
      // @ts-expect-error role is required
      void cordon.keys.create({ name: 'app' });
      // @ts-expect-error role is an enum
      void cordon.keys.create({ name: 'app', role: 'superuser' });
      // @ts-expect-error name is required
      void cordon.regions.add({ code: '410184901' });
      // @ts-expect-error metrics takes no query
      void cordon.metrics({ metrics: ['fever_cases'] });
      void cordon.sites();
      void cordon.completeness({ date: '2020-02-13' });
    });
  });

  it('bulletins: the list from the document; get answers the JSON document, or text for the other formats', () => {
    expectTypeOf(cordon.bulletins.list).returns.resolves.toEqualTypeOf<Result<S['BulletinList']>>();
    never(async () => {
      const json = await cordon.bulletins.get({ region: '410184', date: '2020-02-13' });
      expectTypeOf(json).toEqualTypeOf<Result<S['BulletinDocument']>>();
      const markdown = await cordon.bulletins.get({ region: '410184', date: '2020-02-13', revision: 1, format: 'markdown' });
      expectTypeOf(markdown).toEqualTypeOf<Result<string>>();
      // @ts-expect-error date is required
      void cordon.bulletins.get({ region: '410184' });
      // @ts-expect-error format is one of json, markdown, html, svg
      void cordon.bulletins.get({ region: '410184', date: '2020-02-13', format: 'pdf' });
    });
  });

  it('events: ids and times optional on the way in, fixed on the way out; data checked per type', () => {
    expectTypeOf<{ type: 'screening'; region: string; data: { vehicles: number; people: number } }>().toExtend<EventInput>();
    expectTypeOf(cordon.events.send).returns.resolves.toHaveProperty('events').toEqualTypeOf<CordonEvent[]>();
    never(async () => {
      const sent = await cordon.events.send([
        { type: 'screening', region: '410184', data: { vehicles: 1, people: 2 } },
        { type: 'void', region: '410184', data: { target: 'some-id', reason: 'typo' } },
      ]);
      if (!sent.error) expectTypeOf(sent.data).toEqualTypeOf<ImportSummary>();
      else expectTypeOf(sent.unsent).toEqualTypeOf<CordonEvent[]>();
      // @ts-expect-error an event type that does not exist
      void cordon.events.send([{ type: 'screenings', region: '410184', data: {} }]);
      // @ts-expect-error screening data needs people
      void cordon.events.send([{ type: 'screening', region: '410184', data: { vehicles: 1 } }]);
      // @ts-expect-error fever disposition is an enum
      void cordon.events.send([{ type: 'fever', region: '410184', data: { people: 1, disposition: 'home' } }]);
      // @ts-expect-error region is required
      void cordon.events.send([{ type: 'screening', data: { vehicles: 1, people: 2 } }]);
    });
  });

  it('results: data or a typed error, narrowed by `error` and `kind`', () => {
    never(async () => {
      const result = await cordon.status();
      if (result.error) {
        expectTypeOf(result.error).toEqualTypeOf<CordonError>();
        expectTypeOf(result.data).toEqualTypeOf<undefined>();
        if (result.error.kind === 'problem') {
          expectTypeOf(result.error.status).toEqualTypeOf<number>();
          expectTypeOf(result.error.errors).toEqualTypeOf<FieldError[]>();
          expectTypeOf(result.error.retryAfterMs).toEqualTypeOf<number | undefined>();
        }
        if (result.error.kind === 'timeout') expectTypeOf(result.error.timeoutMs).toEqualTypeOf<number>();
      } else {
        expectTypeOf(result.data).toEqualTypeOf<S['Status']>();
        expectTypeOf(result.response).toEqualTypeOf<Response>();
      }
    });
  });

  it('factories', () => {
    never(() => {
      // @ts-expect-error baseUrl is required
      createClient({ apiKey: 'k' });
      createClient({ baseUrl: 'http://127.0.0.1:8787', apiKey: 'k', fetch: (request: Request) => new Response(request.url) });
      createEventSender({ client: cordon, flushEvery: 1000, maxBatch: 100, store: createFileQueueStore({ path: '/tmp/q' }) });
      // @ts-expect-error a sender needs a client
      createEventSender({ flushEvery: 1000 });
    });
  });
});
