import { siteKinds } from '@cordon/schemas';

/**
 * Site lifecycle, from the site events that no void took back. Pure: the
 * SQL that reads the events is in sites-sql.ts.
 *
 * A site is known once a site.registered names it. Its state at any moment
 * is the type of its latest site event up to then: registered → open,
 * closed → closed. So a closure followed by a new registration reopens it,
 * and a closure before any registration does nothing.
 */
export interface LifecycleEvent {
  id: string;
  site: string;
  type: 'site.registered' | 'site.closed';
  /** ISO instant; orders the events. */
  occurredAt: string;
  /** Day of occurredAt in CORDON_TZ. */
  day: string;
  /** 12-digit region key the event was sent with. */
  regionKey: string;
  /** site.registered only (empty otherwise). */
  name: string;
  kind: string;
}

export type SiteKind = (typeof siteKinds)[number];

export interface SiteLifecycle {
  id: string;
  name: string;
  kind: SiteKind;
  /** Of the latest registration. */
  regionKey: string;
  openedOn: string;
  /** The day it went out of service, while it is out of service; else null. */
  closedOn: string | null;
  status: 'open' | 'closed';
  /** The site's events in order, for questions about a given day. */
  events: readonly LifecycleEvent[];
}

/**
 * Orders a site's events: by instant; at the same instant a registration
 * comes before a closure (so a site registered and closed at once ends
 * closed), then by id so the order never depends on how rows arrived.
 */
function compareEvents(a: LifecycleEvent, b: LifecycleEvent): number {
  const at = Date.parse(a.occurredAt) - Date.parse(b.occurredAt);
  if (at !== 0) return at;
  if (a.type !== b.type) return a.type === 'site.registered' ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

const knownKinds: ReadonlySet<string> = new Set(siteKinds);

/** One lifecycle per site that has a registration, ordered by site id. */
export function siteLifecycles(events: readonly LifecycleEvent[]): SiteLifecycle[] {
  const bySite = new Map<string, LifecycleEvent[]>();
  for (const e of events) {
    const list = bySite.get(e.site);
    if (list) list.push(e);
    else bySite.set(e.site, [e]);
  }
  const out: SiteLifecycle[] = [];
  for (const [id, list] of bySite) {
    list.sort(compareEvents);
    const registrations = list.filter((e) => e.type === 'site.registered');
    const first = registrations[0];
    const latest = registrations.at(-1);
    if (!first || !latest) continue; // closures alone make no site
    const last = list.at(-1)!;
    const status = last.type === 'site.registered' ? 'open' : 'closed';
    out.push({
      id,
      name: latest.name,
      // Validated at ingest; the fallback only guards rows written by hand.
      kind: (knownKinds.has(latest.kind) ? latest.kind : 'other') as SiteKind,
      regionKey: latest.regionKey,
      openedOn: first.day,
      closedOn: status === 'closed' ? last.day : null,
      status,
      events: list,
    });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Whether the site is in service on `day`: at the end of that day its
 * latest event is a registration. The closing day is therefore not a day in
 * service (as the sites_active metric, read at the end of a day, counts it),
 * and the registration day is.
 */
export function inServiceOn(site: SiteLifecycle, day: string): boolean {
  let state: LifecycleEvent['type'] | null = null;
  for (const e of site.events) {
    if (e.day > day) break;
    state = e.type;
  }
  return state === 'site.registered';
}
