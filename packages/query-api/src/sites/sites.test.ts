import { describe, expect, it } from 'vitest';
import { inServiceOn, siteLifecycles, type LifecycleEvent } from './sites.ts';

let n = 0;
const ev = (site: string, type: LifecycleEvent['type'], at: string, extra: Partial<LifecycleEvent> = {}): LifecycleEvent => ({
  id: `id-${String(++n).padStart(3, '0')}`,
  site,
  type,
  occurredAt: `${at}+08:00`,
  day: at.slice(0, 10),
  regionKey: '410184003000',
  name: type === 'site.registered' ? `${site} name` : '',
  kind: type === 'site.registered' ? 'road_checkpoint' : '',
  ...extra,
});

describe('siteLifecycles', () => {
  it('opens on the first registration, closes on a closure, reopens on a later registration', () => {
    const [a] = siteLifecycles([
      ev('a', 'site.closed', '2020-02-05T10:00:00'),
      ev('a', 'site.registered', '2020-02-01T08:00:00'),
      ev('a', 'site.registered', '2020-02-08T08:00:00', { name: 'renamed', kind: 'monitoring_point', regionKey: '410184004000' }),
    ]);
    expect(a).toMatchObject({
      id: 'a',
      name: 'renamed',
      kind: 'monitoring_point',
      regionKey: '410184004000',
      openedOn: '2020-02-01',
      closedOn: null,
      status: 'open',
    });
    const days = ['2020-01-31', '2020-02-01', '2020-02-04', '2020-02-05', '2020-02-07', '2020-02-08', '2020-03-01'];
    expect(days.map((d) => inServiceOn(a!, d))).toEqual([false, true, true, false, false, true, true]);
  });

  it('a closure is the closing day, which is not in service; same-instant registration and closure end closed', () => {
    const [b, c] = siteLifecycles([
      ev('b', 'site.registered', '2020-02-01T08:00:00'),
      ev('b', 'site.closed', '2020-02-03T00:05:00'),
      ev('c', 'site.closed', '2020-02-02T08:00:00'),
      ev('c', 'site.registered', '2020-02-02T08:00:00'),
    ]);
    expect(b).toMatchObject({ status: 'closed', openedOn: '2020-02-01', closedOn: '2020-02-03' });
    expect(inServiceOn(b!, '2020-02-02')).toBe(true);
    expect(inServiceOn(b!, '2020-02-03')).toBe(false);
    expect(c).toMatchObject({ status: 'closed', closedOn: '2020-02-02' });
    expect(inServiceOn(c!, '2020-02-02')).toBe(false);
  });

  it('a closure alone makes no site; sites come ordered by id', () => {
    const sites = siteLifecycles([
      ev('z', 'site.registered', '2020-02-01T08:00:00'),
      ev('y', 'site.closed', '2020-02-01T08:00:00'),
      ev('m', 'site.registered', '2020-02-01T08:00:00'),
    ]);
    expect(sites.map((s) => s.id)).toEqual(['m', 'z']);
  });
});
