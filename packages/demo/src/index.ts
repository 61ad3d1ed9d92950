/**
 * @cordon/demo: the data set `npm run demo` loads, derived from the five
 * county reports. The events are committed (data/events.ndjson) and made by
 * generate.ts; figures.ts lists what they must add up to.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { demoEventsPath, demoRegionsPath, type DemoEvent, type DemoRegion } from './paths.ts';

export { demoEventsPath, demoRegionsPath, type DemoEvent, type DemoRegion } from './paths.ts';
export { expectedDemoFigures, type ExpectedFigure } from './figures.ts';

/**
 * The counties whose daily bulletins `npm run demo` writes: 新郑市, 中牟县 and
 * 岚县, the three with the most days of figures (22, 46 and 16).
 */
export const demoBulletinRegions: readonly string[] = ['410184', '410122', '141127'];

/**
 * The demo's "today" for its bulletins: the day after the data set's last
 * day (2020-03-07, in Asia/Shanghai), so they run through it as the morning
 * schedule's run through yesterday. generate.test.ts holds it to the data.
 */
export const demoToday = '2020-03-08';

/** The demo events in file (time) order, read lazily from the NDJSON file. */
export async function* readDemoEvents(path: string = demoEventsPath): AsyncGenerator<DemoEvent> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    try {
      yield JSON.parse(line) as DemoEvent;
    } catch (error) {
      throw new Error(`${path}:${n}: ${(error as Error).message}`);
    }
  }
}

/** Regions to add (as custom regions) before loading the events. */
export function demoRegions(path: string = demoRegionsPath): DemoRegion[] {
  return JSON.parse(readFileSync(path, 'utf8')) as DemoRegion[];
}
