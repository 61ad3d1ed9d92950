import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, recordQueries, startTestCordon, type TestClient } from './harness.ts';

/**
 * A knownAt after which nothing was received reads the roll-up (the same
 * answer, without scanning every raw event: what makes a bulletin written at
 * the pipeline's asOf fast); once a later row exists, the raw table again.
 * The queries sent to ClickHouse are recorded to see which table answered.
 */
let cordon: TestClient;
const sent: string[] = [];
beforeAll(async () => {
  cordon = await startTestCordon();
  recordQueries(cordon, sent);
});
afterAll(async () => {
  await cordon?.close();
});

const path = (knownAt?: string) =>
  `/v1/aggregates?metrics=people_screened,fever_cases&region=410184&from=2020-02-13&to=2020-02-13${knownAt ? `&knownAt=${encodeURIComponent(knownAt)}` : ''}`;

describe('knownAt with nothing received after it', () => {
  it('answers from the roll-up, exactly as the raw table would', async () => {
    await cordon.send([event('screening', { vehicles: 1, people: 7 }), event('fever', { people: 2, disposition: 'referred' })]);
    await cordon.settled();
    const knownAt = (await cordon.get('/v1/status')).body.asOf as string;
    sent.length = 0;
    const known = await cordon.get(path(knownAt));
    expect(known.status).toBe(200);
    expect(known.body.totals).toEqual({ people_screened: 7, fever_cases: 2 });
    expect(known.body.asOf).toBe(new Date(knownAt).toISOString());
    // A county's totals: the county roll-up (query-api figure-source.ts chooses the coarsest that holds the question).
    expect(sent.some((q) => q.includes('county_daily'))).toBe(true);
    expect(sent.some((q) => q.includes('ARRAY JOIN'))).toBe(false);

    // A row received after knownAt: the raw table leaves it out.
    await new Promise((resolve) => setTimeout(resolve, 5)); // received_at has millisecond precision
    await cordon.send([event('screening', { vehicles: 1, people: 5 })]);
    await cordon.settled();
    sent.length = 0;
    const later = await cordon.get(path(knownAt));
    expect(later.body.totals).toEqual({ people_screened: 7, fever_cases: 2 });
    expect(sent.some((q) => q.includes('ARRAY JOIN'))).toBe(true);
    expect((await cordon.get(path())).body.totals).toEqual({ people_screened: 12, fever_cases: 2 });
  });
});
