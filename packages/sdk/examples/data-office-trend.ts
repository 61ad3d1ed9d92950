/**
 * The data office: a two-week trend of people turned back in the county,
 * one line per day with the running total and the 7-day average.
 *
 *   CORDON_URL=http://127.0.0.1:8787 CORDON_API_KEY=ck_... npx tsx packages/sdk/examples/data-office-trend.ts
 *
 * Optional: CORDON_REGION (410184), CORDON_METRIC (people_turned_back),
 * CORDON_FROM / CORDON_TO (the last 14 days, in Asia/Shanghai).
 */
import { createClient, type MetricName } from '@cordon/sdk';

const cordon = createClient({ baseUrl: process.env['CORDON_URL'] ?? 'http://127.0.0.1:8787', apiKey: required('CORDON_API_KEY') });

const day = (offsetDays: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(Date.now() + offsetDays * 86_400_000);
const metric = (process.env['CORDON_METRIC'] ?? 'people_turned_back') as MetricName;

const trend = await cordon.timeseries({
  metric,
  region: process.env['CORDON_REGION'] ?? '410184',
  from: process.env['CORDON_FROM'] ?? day(-13),
  to: process.env['CORDON_TO'] ?? day(0),
  interval: 'day',
});
if (trend.error) {
  // A problem (400 with field errors, 401, 403…), a network failure or a timeout.
  console.error(`${trend.error.kind}: ${trend.error.message}`);
  if (trend.error.kind === 'problem') for (const e of trend.error.errors) console.error(`  ${e.path}: ${e.message}`);
  process.exit(1);
}

const { region, points, asOf } = trend.data;
console.log(`${metric} in ${region.name} (${region.code}), counted up to ${asOf}`);
console.log('day         value  total  7-day avg');
for (const p of points) {
  console.log(
    `${p.period}  ${String(p.value).padStart(5)}  ${String(p.cumulative).padStart(5)}  ${p.movingAverage7.toFixed(1).padStart(9)}`,
  );
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name}`);
  return value;
}
