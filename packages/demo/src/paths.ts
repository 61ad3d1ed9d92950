import { fileURLToPath } from 'node:url';

/** The committed event file: one event per line, in time order. */
export const demoEventsPath = fileURLToPath(new URL('../data/events.ndjson', import.meta.url));
/** Regions the registry lacks that the demo needs, parents first. */
export const demoRegionsPath = fileURLToPath(new URL('../data/regions.json', import.meta.url));

/** One demo event: the CONTRACT.md envelope. */
export interface DemoEvent {
  id: string;
  type: string;
  occurredAt: string;
  region: string;
  site?: string;
  source: string;
  data: Record<string, string | number>;
}

/** A region to add with the registry's `add` before loading the events. */
export interface DemoRegion {
  code: string;
  name: string;
  parent: string;
}
