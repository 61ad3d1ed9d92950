import { readDemoEvents, demoBulletinRegions, demoRegions, demoToday } from '@cordon/demo';
import type { Logger } from '@cordon/ingest';
import type { ImportSummary } from '@cordon/schemas';
import type { CordonConfig } from './config.ts';
import type { CordonRuntime } from './runtime.ts';
import { startBulletinService, type BulletinService, type BulletinServiceOptions } from './bulletins/service.ts';

/**
 * Loads the demo data set through the ingest route, exactly as a field app
 * would send it, then waits until it is all counted. Event ids are fixed, so
 * loading twice reports duplicates and changes no figure.
 */
export async function loadDemo(runtime: CordonRuntime, options: { waitForCounted?: boolean } = {}) {
  const app = runtime.app;
  if (!app) throw new Error('the demo needs a process that serves ingest');
  let regions = 0;
  for (const region of demoRegions()) {
    if (!runtime.regions.has(region.code)) {
      await runtime.customRegions.save(runtime.regions.add(region));
      regions++;
    }
  }
  const { key } = await runtime.keys.create({ name: 'demo loader', role: 'admin' });
  const total = { accepted: 0, duplicates: 0, rejected: 0 };
  let chunk: unknown[] = [];
  const flush = async () => {
    if (chunk.length === 0) return;
    const response = await app.request('/v1/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(chunk),
    });
    if (response.status !== 200) throw new Error(`loading the demo failed: ${response.status} ${await response.text()}`);
    const summary = (await response.json()) as ImportSummary;
    total.accepted += summary.accepted;
    total.duplicates += summary.duplicates;
    total.rejected += summary.rejected;
    chunk = [];
  };
  for await (const event of readDemoEvents()) {
    chunk.push(event);
    if (chunk.length === 5000) await flush();
  }
  await flush();
  await runtime.keys.revoke(key.split('_')[1] ?? '');
  if (options.waitForCounted !== false) await runtime.settled();
  return { ...total, regions };
}

/** The demo's bulletin writer's read key goes by this name (the morning schedule's has its own). */
export const demoBulletinKeyName = 'demo bulletins';

/**
 * Writes the daily bulletins of the demo's counties (新郑市, 中牟县, 岚县), as
 * the morning schedule would have on each day of the data set: from each
 * county's first day with data through the data set's last day, 第1期
 * onwards, so the dashboard's 查看当日简报 opens one and GET /v1/bulletins
 * lists them. It is the schedule itself (the same catch-up, store and
 * generator, through the SDK with a read key of its own), run once with
 * the clock at the demo's "today" (`demoToday`). Days already written are
 * skipped, so a second start writes nothing; no revision is checked (the
 * demo's events never change) and no next morning comes.
 *
 * In the background: `firstRun` resolves once every bulletin is written.
 */
export function startDemoBulletins(
  runtime: CordonRuntime,
  options: {
    config: Pick<CordonConfig, 'dataDir' | 'timeZone'>;
    logger: Logger;
    generator: BulletinServiceOptions['generator'];
    regions?: readonly string[];
  },
): Promise<BulletinService> {
  if (!runtime.app) throw new Error('the demo bulletins need a process that serves the query API');
  return startBulletinService({
    app: runtime.app,
    keys: runtime.keys,
    dataDir: options.config.dataDir,
    regions: options.regions ?? demoBulletinRegions,
    at: '07:00',
    timeZone: options.config.timeZone,
    logger: options.logger,
    generator: options.generator,
    // Noon UTC of the demo's today is that day in every zone from UTC-11 to UTC+11.
    now: () => new Date(`${demoToday}T12:00:00Z`),
    timer: { set: () => null, clear: () => undefined },
    reviseDays: 0,
    keyName: demoBulletinKeyName,
  });
}
