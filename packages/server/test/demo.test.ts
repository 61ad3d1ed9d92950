import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedDemoFigures, readDemoEvents } from '@cordon/demo';
import { loadDemo } from '../src/demo.ts';
import { startTestCordon, type TestClient } from './harness.ts';

/**
 * `npm run demo`: the data set derived from the five county reports comes
 * back from the API with the figures the reports print (the oracle is typed
 * in from the reports in @cordon/demo, not computed from the events).
 */
let cordon: TestClient;
let shipped = 0;
beforeAll(async () => {
  for await (const _ of readDemoEvents()) shipped++;
  cordon = await startTestCordon();
  const summary = await loadDemo(cordon.runtime);
  expect(summary).toMatchObject({ accepted: shipped, duplicates: 0, rejected: 0 });
});
afterAll(async () => {
  await cordon.close();
});

describe('the demo data set', () => {
  it('reproduces the Xinzheng bulletin of 2月13日 to the digit', async () => {
    const { status, body } = await cordon.get(
      '/v1/aggregates?metrics=vehicles_screened,people_screened,vehicles_turned_back,people_turned_back,fever_cases&region=410184&to=2020-02-13',
    );
    expect(status).toBe(200);
    expect(body.totals).toEqual({
      vehicles_screened: 115814,
      people_screened: 184735,
      vehicles_turned_back: 10899,
      people_turned_back: 16966,
      fever_cases: 27,
    });
    expect(body.region).toEqual({ code: '410184', name: '新郑市' });
  });

  it.each(expectedDemoFigures.map((f) => [`${f.regionName} ${f.metric} = ${f.value} («${f.quote}»)`, f] as const))(
    '%s',
    async (_, figure) => {
      const range = `${figure.from ? `&from=${figure.from}` : ''}&to=${figure.to}`;
      const groupBy = figure.site ? '&groupBy=site' : '';
      const { status, body } = await cordon.get(
        `/v1/aggregates?metrics=${encodeURIComponent(figure.metric)}&region=${figure.region}${range}${groupBy}`,
      );
      expect(status).toBe(200);
      const values = figure.site ? body.rows.find((r: { key: { site: string } }) => r.key.site === figure.site)?.values : body.totals;
      expect(values?.[figure.metric]).toBe(figure.value);
    },
  );

  it('loading it twice changes no figure', async () => {
    const again = await loadDemo(cordon.runtime);
    expect(again).toMatchObject({ accepted: 0, duplicates: shipped, rejected: 0 });
    const { body } = await cordon.get('/v1/aggregates?metrics=people_screened&region=410184&to=2020-02-13');
    expect(body.totals).toEqual({ people_screened: 184735 });
  });
});
