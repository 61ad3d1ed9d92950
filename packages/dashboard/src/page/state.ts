import type { MetricName, Schemas } from '@cordon/sdk';
import type { Failure, ViewData } from './load.ts';
import type { Lang } from './i18n.ts';
import type { Sort, View } from './view.ts';

/** The page's one state object: every render reads it, only the controller writes it. */
export interface State {
  lang: Lang;
  /** The API key of this tab (sessionStorage), or null when signed out. */
  key: string | null;
  screen: 'signin' | 'app';
  /** Shown above the sign-in form (a revoked key). */
  signInMessage: string | null;
  view: View | null;
  /** idle: data shown; loading: first load of a view; refreshing: new figures counted, reloading quietly. */
  status: 'idle' | 'loading' | 'refreshing';
  failure: Failure | null;
  data: ViewData | null;
  /** The last region that loaded: where "back" goes after a region outside the key's scope. */
  lastGoodRegion: string | null;
  catalogue: Schemas['Metric'][];
  sort: Sort;
  search: { text: string; results: Schemas['RegionMatch'][] | null };
  bulletinMessage: string | null;
  /** The bulletins written for a region (GET /v1/bulletins), for the footer's list of past ones; null until asked or when refused. */
  bulletins: { region: string; items: Schemas['BulletinSummary'][] } | null;
  refreshSeconds: number;
}

export function initialState(lang: Lang): State {
  return {
    lang,
    key: null,
    screen: 'signin',
    signInMessage: null,
    view: null,
    status: 'idle',
    failure: null,
    data: null,
    lastGoodRegion: null,
    catalogue: [],
    sort: { key: 'people_screened' as MetricName, descending: true },
    search: { text: '', results: null },
    bulletinMessage: null,
    bulletins: null,
    refreshSeconds: 10,
  };
}
