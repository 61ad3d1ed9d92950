/**
 * The dashboard's controller: one state object, changed only here; every
 * change re-renders from it. Every request goes through @cordon/sdk.
 */
import './styles.css';
import { createClient, type CordonClient, type MetricName } from '@cordon/sdk';
import { breakdownHeight, breakdownOption, trendOption } from './chart-options.ts';
import { disposeCharts, draw, loadCharts } from './chart-loader.ts';
import { dayIn } from './format.ts';
import { formatFragment, parseFragment, type Fragment } from './fragment.ts';
import { words } from './i18n.ts';
import { defaultRegion, failureOf, hasChanged, lastDayWithData, loadView, type Failure } from './load.ts';
import { metricLabel, unitLabel } from './labels.ts';
import { initialState } from './state.ts';
import * as ui from './ui.ts';
import { breakdownRows, cardMetrics, chartMetrics, nextLevel, type View } from './view.ts';
import type { Schemas } from '@cordon/sdk';

const keyItem = 'cordon.apiKey';
const langItem = 'cordon.lang';
const root = document.getElementById('app') ?? document.body;

const startFragment = parseFragment(location.hash);
const state = initialState(startFragment.lang ?? (sessionStorage.getItem(langItem) === 'en' ? 'en' : 'zh'));
let client: CordonClient | null = null;
let frame: ui.Frame | null = null;
const regions = new Map<string, Schemas['RegionDetail']>();
let generation = 0;
let inFlight: AbortController | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;

const actions: ui.Actions = {
  signIn(key) {
    sessionStorage.setItem(keyItem, key);
    void enter(key, parseFragment(location.hash));
  },
  signOut() {
    signOut(null);
  },
  switchLang() {
    state.lang = state.lang === 'zh' ? 'en' : 'zh';
    sessionStorage.setItem(langItem, state.lang);
    document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
    if (state.screen === 'signin') ui.renderSignIn(root, state, actions);
    else void renderAll(true);
  },
  goToRegion(code) {
    if (!code || !state.view) return;
    state.search = { text: '', results: null };
    void show({ ...state.view, region: code });
  },
  setRange(from, to) {
    if (state.view) void show({ ...state.view, from, to });
  },
  setMetric(metric) {
    if (state.view) void show({ ...state.view, metric });
  },
  setInterval(interval) {
    if (state.view) void show({ ...state.view, interval });
  },
  setKnownAt(knownAt) {
    if (state.view) void show({ ...state.view, knownAt });
  },
  setSort(key) {
    state.sort = { key, descending: state.sort.key === key ? !state.sort.descending : key !== 'name' };
    if (frame) ui.renderBreakdown(frame, state, actions);
  },
  search(text) {
    void search(text);
  },
  retry() {
    if (state.view) void show(state.view);
    else if (state.key) void enter(state.key, parseFragment(location.hash));
  },
  downloadCsv(what) {
    void downloadCsv(what);
  },
  openBulletin(date) {
    void openBulletin(date);
  },
};

function boot() {
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  if (startFragment.key) sessionStorage.setItem(keyItem, startFragment.key);
  // The key must not stay in the address bar (history, screenshots, a shared link).
  writeFragment(startFragment);
  const key = sessionStorage.getItem(keyItem);
  if (key) void enter(key, startFragment);
  else ui.renderSignIn(root, state, actions);
  window.addEventListener('hashchange', () => {
    const fragment = parseFragment(location.hash);
    if (!fragment.key) return;
    sessionStorage.setItem(keyItem, fragment.key);
    writeFragment(fragment);
    void enter(fragment.key, fragment);
  });
}

function writeFragment(fragment: Fragment) {
  const { key: _key, ...rest } = fragment;
  history.replaceState(null, '', `${location.pathname}${location.search}${formatFragment(rest)}`);
}

/** Signed in: catalogue, the key's region and last day when the link did not say, then the view. */
async function enter(key: string, fragment: Fragment) {
  stopRefresh();
  state.key = key;
  state.screen = 'app';
  state.signInMessage = null;
  state.failure = null;
  state.data = null;
  state.view = null;
  state.status = 'loading';
  state.refreshSeconds = fragment.refresh ?? 10;
  client = createClient({
    baseUrl: location.origin,
    apiKey: key,
    timeoutMs: 15_000,
    retry: { retries: 1, minDelayMs: 200, maxDelayMs: 1000 },
  });
  disposeCharts();
  frame = ui.createFrame(root);
  void renderAll(false);

  // The catalogue only names the figures: it is asked beside the view's requests, not before them (one round trip less before
  // the first render), and is needed in when the view draws.
  const named = client.metrics().then((catalogue): Failure | null => {
    if (catalogue.error) return failureOf(catalogue.error);
    state.catalogue = catalogue.data.metrics;
    return null;
  });

  let region = fragment.region;
  if (!region) {
    const found = await defaultRegion(client);
    if (!found.ok) return fail(found.failure, null);
    region = found.value;
  }
  if (!region) {
    // A key for the whole country and no region in the link: the person picks one.
    const failed = await named;
    if (failed) return fail(failed, null);
    state.status = 'idle';
    void renderAll(false);
    return;
  }
  let to = fragment.to;
  if (!to) {
    const last = await lastDayWithData(client, region, (iso) => dayIn(iso));
    if (!last.ok) return fail(last.failure, null);
    to = last.value ?? dayIn(Date.now());
  }
  const metric = (chartMetrics as readonly string[]).includes(fragment.metric ?? '') ? (fragment.metric as MetricName) : 'people_screened';
  await show({ region, from: fragment.from, to, metric, interval: fragment.interval ?? 'day', knownAt: fragment.knownAt }, false, named);
}

/**
 * Loads and shows a view. `quiet`: new figures for the same view (no loading state, the old figures stay until the new ones are in).
 * `named`: the metric catalogue, when it is still being asked for (the first view).
 */
async function show(view: View, quiet = false, named: Promise<Failure | null> = Promise.resolve(null)) {
  if (!client) return;
  const mine = ++generation;
  inFlight?.abort();
  const controller = new AbortController();
  inFlight = controller;
  performance.mark(`cordon:view-start:${mine}`);
  const previous = state.view;
  state.view = view;
  state.status = quiet ? 'refreshing' : 'loading';
  if (!quiet) state.failure = null;
  if (frame) ui.renderStatus(frame, state, actions);
  const load = loadView(client, view, regions, controller.signal);
  // The charts' code is evaluated while the figures are on their way (the first view only; later it is in).
  const chartsReady = loadCharts();
  const loaded = await load.figures;
  const unnamed = await named;
  if (mine !== generation) return;
  if (unnamed) {
    inFlight = null;
    return fail(unnamed, mine);
  }
  if (!loaded.ok) {
    inFlight = null;
    // A region the key may not see: stay on the view that worked.
    if (loaded.failure.kind === 'forbidden' && previous && state.data) state.view = previous;
    return fail(loaded.failure, mine);
  }
  // A quiet refresh keeps the day's reporting and warnings on screen until their new answers are in.
  const kept =
    quiet && state.data ? { completeness: state.data.completeness, quality: state.data.quality } : { completeness: null, quality: null };
  state.data = { ...loaded.value, ...kept };
  state.failure = null;
  state.status = 'idle';
  state.lastGoodRegion = view.region;
  state.bulletinMessage = null;
  writeFragment({
    key: null,
    region: view.region,
    from: view.from,
    to: view.to,
    metric: view.metric === 'people_screened' ? null : view.metric,
    interval: view.interval === 'day' ? null : view.interval,
    knownAt: view.knownAt,
    lang: null,
    refresh: state.refreshSeconds === 10 ? null : state.refreshSeconds,
  });
  try {
    await chartsReady;
  } catch {
    // The charts' chunk could not be fetched (the server went away after the page loaded): the next check reloads the view.
    return fail({ kind: 'unreachable', slow: false }, mine);
  }
  await renderAll(true, mine);
  if (!quiet) void loadBulletinList(view.region);
  const checks = await load.checks;
  if (mine !== generation) return;
  inFlight = null;
  if (!checks.ok) return fail(checks.failure, mine);
  state.data = { ...state.data, ...checks.value };
  if (frame) {
    ui.renderCompleteness(frame, state, actions);
    ui.renderQuality(frame, state);
  }
  // Read by the browser tests and bench/dashboard.ts: every section of the view is filled.
  performance.mark(`cordon:view-complete:${mine}`);
  performance.measure('cordon:view-complete', `cordon:view-start:${mine}`, `cordon:view-complete:${mine}`);
  document.body.dataset['complete'] = String(mine);
  scheduleRefresh();
}

function fail(failure: Failure, mine: number | null) {
  if (mine !== null && mine !== generation) return;
  state.status = 'idle';
  if (failure.kind === 'unauthorized') return signOut(words[state.lang].keyRejected);
  state.failure = failure;
  void renderAll(false);
  // Unreachable: keep checking; the next check that gets through reloads the view.
  if (failure.kind === 'unreachable') scheduleRefresh();
}

function signOut(message: string | null) {
  stopRefresh();
  inFlight?.abort();
  generation++;
  sessionStorage.removeItem(keyItem);
  disposeCharts();
  frame = null;
  client = null;
  Object.assign(state, { key: null, screen: 'signin', signInMessage: message, data: null, view: null, failure: null, status: 'idle' });
  ui.renderSignIn(root, state, actions);
}

/** Renders every part from the state; with `charts`, draws both charts and marks the view drawn when the last one is. */
function renderAll(charts: boolean, mine = generation): Promise<void> {
  if (!frame) return Promise.resolve();
  ui.renderHeader(frame, state, actions);
  ui.renderStatus(frame, state, actions);
  ui.renderControls(frame, state, actions);
  ui.renderCards(frame, state);
  ui.renderTrendHead(frame, state, actions);
  ui.renderBreakdown(frame, state, actions);
  ui.renderCompleteness(frame, state, actions);
  ui.renderQuality(frame, state);
  ui.renderFooter(frame, state, actions);
  const data = state.data;
  const view = state.view;
  if (!charts || !data || !view) return Promise.resolve();
  const t = words[state.lang];
  const label = metricLabel(state.catalogue, view.metric, state.lang);
  const drawn = [
    draw(
      frame.trendChart,
      trendOption(
        data.series.points,
        view.interval,
        { metric: label, unit: unitLabel(state.catalogue, view.metric, state.lang) },
        state.lang,
      ),
    ),
  ];
  if (data.breakdown && !frame.breakdownChart.hidden) {
    const rows = breakdownRows(data.breakdown, view.region);
    const items = rows.map((row) => ({
      code: row.code,
      name: row.own ? `${row.name}${t.ownRegion}` : row.name,
      value: row.values[view.metric] ?? 0,
      own: row.own,
    }));
    frame.breakdownChart.style.height = `${breakdownHeight(items.length)}px`;
    drawn.push(
      draw(frame.breakdownChart, breakdownOption(items, label), (params) => {
        const code = (params.data as { code?: string } | undefined)?.code;
        const item = items.find((i) => i.code === code);
        if (item && !item.own) actions.goToRegion(item.code);
      }),
    );
  }
  return Promise.all(drawn).then(() => {
    if (mine !== generation) return;
    // Read by the browser tests and bench/dashboard.ts: the view is on screen, charts included.
    performance.mark(`cordon:view-drawn:${mine}`);
    performance.measure('cordon:view', `cordon:view-start:${mine}`, `cordon:view-drawn:${mine}`);
    document.body.dataset['drawn'] = String(mine);
  });
}

function scheduleRefresh() {
  stopRefresh();
  if (!state.view || state.view.knownAt) return;
  refreshTimer = setTimeout(() => void refresh(), state.refreshSeconds * 1000);
}

function stopRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = undefined;
}

/** The wall screen's loop: ask with the ETag; reload the view only when something new was counted. */
async function refresh() {
  const view = state.view;
  if (!client || !view || inFlight) return scheduleRefresh();
  if (state.failure?.kind === 'unreachable') return void show(view, true);
  const mine = generation;
  const changed = await hasChanged(client, view, state.data?.etag ?? null);
  if (mine !== generation) return;
  if (!changed.ok) return fail(changed.failure, mine);
  if (changed.value) return void show(view, true);
  scheduleRefresh();
}

async function search(text: string) {
  if (!client) return;
  const trimmed = text.trim();
  if (trimmed === '') {
    state.search = { text: '', results: null };
  } else {
    const result = await client.regions.search({ search: trimmed, limit: 10 });
    if (result.error) return fail(failureOf(result.error), null);
    state.search = { text, results: result.data.regions };
  }
  if (frame) {
    ui.renderControls(frame, state, actions);
    const input = document.getElementById('region-search') as HTMLInputElement | null;
    input?.focus();
    input?.setSelectionRange(input.value.length, input.value.length);
  }
}

async function downloadCsv(what: 'breakdown' | 'trend') {
  const view = state.view;
  const data = state.data;
  if (!client || !view || !data) return;
  const range = {
    region: view.region,
    ...(view.from ? { from: view.from } : {}),
    to: view.to,
    ...(view.knownAt ? { knownAt: view.knownAt } : {}),
  };
  const level = nextLevel(data.region.level);
  // The same query as the one on screen, headed in the page's language: the file is what the page shows, as the API writes it.
  const result =
    what === 'breakdown' && level
      ? await client.csv('aggregates', { metrics: cardMetrics, ...range, groupBy: 'region', level, lang: state.lang })
      : await client.csv('timeseries', { metric: view.metric, ...range, interval: view.interval, lang: state.lang });
  if (result.error) return fail(failureOf(result.error), null);
  const url = URL.createObjectURL(new Blob([result.data], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `${view.region}-${view.to}-${what === 'breakdown' ? 'breakdown' : view.metric}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The region's written bulletins, for the footer's list; a refusal or a failure leaves the list out (the figures say what is wrong). */
async function loadBulletinList(region: string) {
  if (!client) return;
  const result = await client.bulletins.list({ region });
  if (state.view?.region !== region) return;
  state.bulletins = result.error ? null : { region, items: result.data.bulletins };
  if (frame) ui.renderFooter(frame, state, actions);
}

/** A day's bulletin as the server wrote it (HTML), the view's day unless another is named, opened in a new tab; a day without one says so. */
async function openBulletin(date?: string) {
  const view = state.view;
  if (!client || !view || !frame) return;
  const t = words[state.lang];
  // Opened before the request: a window opened after an await is blocked as a pop-up.
  const tab = window.open('', '_blank');
  const result = await client.bulletins.get({ region: view.region, date: date ?? view.to, format: 'html' });
  if (result.error) {
    tab?.close();
    state.bulletinMessage = result.error.kind === 'problem' && result.error.status === 404 ? t.bulletinMissing : t.bulletinFailed;
  } else {
    state.bulletinMessage = null;
    const url = URL.createObjectURL(new Blob([result.data], { type: 'text/html;charset=utf-8' }));
    if (tab) tab.location.href = url;
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
  ui.renderFooter(frame, state, actions);
}

boot();
