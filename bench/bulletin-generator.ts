import { addDays, type MetricName } from '@cordon/schemas';
import type { CordonClient } from '@cordon/sdk';
import type { BulletinGenerator } from '@cordon/server';
import { donatedMetrics } from './query-data.ts';

/**
 * The generator bench:bulletin times: @cordon/bulletin's when the package
 * exports one (`createBulletinGenerator(client)`), otherwise the requests a
 * bulletin of issue 8's shape needs (headline totals, the day and the day
 * before, towns, quarantine, sweeps, sites, donations, completeness,
 * quality, the 14-day chart), made with the same knownAt through the SDK and
 * rendered plainly, so the figure measures the server's side either way.
 */
export async function bulletinGeneratorFor(client: CordonClient): Promise<{ generator: BulletinGenerator; name: string }> {
  const bulletin = (await import('@cordon/bulletin')) as Record<string, unknown>;
  const factory = bulletin['createBulletinGenerator'];
  if (typeof factory === 'function')
    return { generator: (factory as (c: CordonClient) => BulletinGenerator)(client), name: '@cordon/bulletin' };
  return {
    generator: requestsOfABulletin(client),
    name: 'the requests of a bulletin (@cordon/bulletin exports no createBulletinGenerator yet)',
  };
}

const headline: MetricName[] = ['vehicles_screened', 'people_screened', 'vehicles_turned_back', 'people_turned_back', 'fever_cases'];
const dayMetrics: MetricName[] = [
  'quarantine_active',
  'quarantine_started',
  'quarantine_ended',
  'households_swept',
  'people_swept',
  'returnees_found',
  'sites_active',
  'staff_on_duty',
  'incidents',
];

function requestsOfABulletin(client: CordonClient): BulletinGenerator {
  return async ({ region, date, knownAt }) => {
    const unwrap = async <T>(p: Promise<{ data?: T; error?: unknown }>): Promise<T> => {
      const r = await p;
      if (r.error) throw r.error;
      return r.data as T;
    };
    const donated = donatedMetrics as MetricName[];
    const [place, cumulative, days, townsDay, townsTotal, others, donatedDay, donatedTotal, completeness, quality, screened, turnedBack] =
      await Promise.all([
        unwrap(client.regions.get(region)),
        unwrap(client.aggregates({ metrics: headline, region, to: date, knownAt })),
        unwrap(client.aggregates({ metrics: headline, region, from: addDays(date, -1), to: date, groupBy: 'day', knownAt })),
        unwrap(client.aggregates({ metrics: headline, region, from: date, to: date, groupBy: 'region', level: 'town', knownAt })),
        unwrap(client.aggregates({ metrics: headline, region, to: date, groupBy: 'region', level: 'town', knownAt })),
        unwrap(client.aggregates({ metrics: dayMetrics, region, from: date, to: date, knownAt })),
        unwrap(client.aggregates({ metrics: donated, region, from: date, to: date, knownAt })),
        unwrap(client.aggregates({ metrics: donated, region, to: date, knownAt })),
        unwrap(client.completeness({ region, date, knownAt })),
        unwrap(client.quality({ region, from: date, to: date, knownAt })),
        unwrap(client.timeseries({ metric: 'people_screened', region, from: addDays(date, -13), to: date, knownAt })),
        unwrap(client.timeseries({ metric: 'people_turned_back', region, from: addDays(date, -13), to: date, knownAt })),
      ]);
    const json = {
      region: { code: place.code, name: place.name },
      date,
      knownAt,
      cumulative: cumulative.totals,
      days: days.rows,
      townsDay: townsDay.rows,
      townsTotal: townsTotal.rows,
      others: others.totals,
      donatedDay: donatedDay.totals,
      donatedTotal: donatedTotal.totals,
      completeness,
      quality,
      screened: screened.points,
      turnedBack: turnedBack.points,
    };
    const line = headline.map((m) => `${m} ${cumulative.totals[m]}`).join('，');
    return {
      markdown: `# ${place.name}疫情防控日报\n\n截至${date}：${line}\n`,
      html: `<!doctype html><html><head><title>${place.name}疫情防控日报</title></head><body><h1>${place.name}疫情防控日报</h1><p>${line}</p></body></html>\n`,
      json,
    };
  };
}
