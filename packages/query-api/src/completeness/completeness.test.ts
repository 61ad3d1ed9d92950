import { describe, expect, it } from 'vitest';
import { completenessOf } from './completeness.ts';
import { siteLifecycles, type LifecycleEvent } from '../sites/sites.ts';

const reg = (site: string, day: string): LifecycleEvent => ({
  id: `r-${site}`,
  site,
  type: 'site.registered',
  occurredAt: `${day}T08:00:00+08:00`,
  day,
  regionKey: '410184003000',
  name: site,
  kind: 'other',
});
const close = (site: string, day: string): LifecycleEvent => ({
  ...reg(site, day),
  id: `c-${site}`,
  type: 'site.closed',
  name: '',
  kind: '',
});
const region = { code: '410184003', name: '新烟街道' };
const ref = (key: string) => ({ code: key.slice(0, 9), name: 'x' });

describe('completenessOf', () => {
  const sites = siteLifecycles([reg('a', '2020-02-01'), reg('b', '2020-02-01'), close('b', '2020-02-03'), reg('c', '2020-02-04')]);

  it('counts the sites in service that day and which of them reported', () => {
    const answer = completenessOf(
      sites,
      new Map([
        ['a', 2],
        ['c', 1],
      ]),
      '2020-02-02',
      region,
      ref,
    );
    expect(answer).toMatchObject({ inService: 2, reporting: 1, share: 0.5, notReporting: ['b'] });
    expect(answer.sites.map((s) => [s.id, s.reported, s.events])).toEqual([
      ['a', true, 2],
      ['b', false, 0],
    ]);
  });

  it('leaves out a site on its closing day and a site not yet registered, even when they report', () => {
    const answer = completenessOf(
      sites,
      new Map([
        ['b', 5],
        ['c', 1],
      ]),
      '2020-02-03',
      region,
      ref,
    );
    expect(answer).toMatchObject({ inService: 1, reporting: 0, share: 0, notReporting: ['a'] });
  });

  it('share is null when no site is in service', () => {
    expect(completenessOf(sites, new Map(), '2020-01-01', region, ref)).toMatchObject({
      inService: 0,
      reporting: 0,
      share: null,
      sites: [],
      notReporting: [],
    });
  });
});
