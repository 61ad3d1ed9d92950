/**
 * The daily bulletin: yesterday's figures for the county, as the morning
 * report prints them.
 *
 *   CORDON_URL=http://127.0.0.1:8787 CORDON_API_KEY=ck_... npx tsx packages/sdk/examples/daily-bulletin.ts
 *
 * Optional: CORDON_REGION (410184), CORDON_DAY (yesterday in Asia/Shanghai, the server's default CORDON_TZ).
 */
import { createClient, type MetricName } from '@cordon/sdk';

const cordon = createClient({ baseUrl: process.env['CORDON_URL'] ?? 'http://127.0.0.1:8787', apiKey: required('CORDON_API_KEY') });
const yesterday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(Date.now() - 86_400_000);
const day = process.env['CORDON_DAY'] ?? yesterday;

const lines: [MetricName, string][] = [
  ['vehicles_screened', 'vehicles screened'],
  ['people_screened', 'people screened'],
  ['vehicles_turned_back', 'vehicles turned back'],
  ['people_turned_back', 'people turned back'],
  ['fever_cases', 'fever cases'],
  ['quarantine_active', 'people in home quarantine'],
  ['staff_on_duty', 'staff on duty'],
];

const figures = await cordon.aggregates({
  metrics: lines.map(([metric]) => metric),
  region: process.env['CORDON_REGION'] ?? '410184',
  from: day,
  to: day,
});
if (figures.error) {
  console.error(`${figures.error.kind}: ${figures.error.message}`);
  process.exit(1);
}

const { region, totals, asOf } = figures.data;
console.log(`${region.name} — ${day} (figures as of ${asOf})`);
for (const [metric, label] of lines) console.log(`${label}: ${totals[metric] ?? 0}`);

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name}`);
  return value;
}
