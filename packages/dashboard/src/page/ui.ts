import type { MetricName, Schemas } from '@cordon/sdk';
import { h, replace } from './dom.ts';
import { formatChange, formatDay, formatFigure, formatInstant, formatShare } from './format.ts';
import { bracket, issueLabel, revisionLabel, words } from './i18n.ts';
import { isStock, metricLabel, unitLabel } from './labels.ts';
import { flagFinding } from './quality-words.ts';
import type { State } from './state.ts';
import { breakdownRows, cardMetrics, cardsOf, chartMetrics, sortRows, type SortKey } from './view.ts';

/** What the controller does when a person acts; the render functions only call these. */
export interface Actions {
  signIn(key: string): void;
  signOut(): void;
  switchLang(): void;
  goToRegion(code: string): void;
  setRange(from: string | null, to: string): void;
  setMetric(metric: MetricName): void;
  setInterval(interval: 'day' | 'week'): void;
  setKnownAt(knownAt: string | null): void;
  setSort(key: SortKey): void;
  search(text: string): void;
  retry(): void;
  downloadCsv(what: 'breakdown' | 'trend'): void;
  /** The bulletin of `date` (default: the view's day) in a new tab. */
  openBulletin(date?: string): void;
}

/** The persistent frame of the signed-in page: sections are refilled, chart containers stay (ECharts keeps its instance in them). */
export interface Frame {
  root: HTMLElement;
  header: HTMLElement;
  status: HTMLElement;
  controls: HTMLElement;
  cards: HTMLElement;
  trendHead: HTMLElement;
  trendChart: HTMLElement;
  breakdownHead: HTMLElement;
  breakdownChart: HTMLElement;
  breakdownTable: HTMLElement;
  completeness: HTMLElement;
  quality: HTMLElement;
  footer: HTMLElement;
}

export function renderSignIn(root: HTMLElement, state: State, actions: Actions) {
  const t = words[state.lang];
  const input = h('input', { id: 'api-key', name: 'key', type: 'password', autocomplete: 'off', required: true });
  const error = h('p', { class: 'message', role: 'alert' }, state.signInMessage ?? '');
  const form = h(
    'form',
    {
      class: 'signin',
      'aria-labelledby': 'signin-title',
      onsubmit: ((event: Event) => {
        event.preventDefault();
        const key = input.value.trim();
        if (key === '') {
          error.textContent = t.keyMissing;
          return;
        }
        actions.signIn(key);
      }) as EventListener,
    },
    h('h1', { id: 'signin-title' }, t.signInTitle),
    h('p', {}, t.signInLead),
    state.signInMessage ? error : h('p', { class: 'message', role: 'alert' }),
    h('label', { for: 'api-key' }, t.keyLabel),
    input,
    h('button', { type: 'submit' }, t.signIn),
    langSwitch(state, actions),
  );
  replace(root, h('main', { class: 'signin-page' }, form));
  input.focus();
}

/** The button that switches zh ⇄ en, named in the language it switches to (on the sign-in form and in the header). */
function langSwitch(state: State, actions: Actions): HTMLElement {
  const t = words[state.lang];
  return h(
    'button',
    {
      type: 'button',
      class: 'link',
      lang: state.lang === 'zh' ? 'en' : 'zh-CN',
      'aria-label': t.switchLangName,
      onclick: () => actions.switchLang(),
    },
    t.switchLang,
  );
}

export function createFrame(root: HTMLElement): Frame {
  const section = (id: string, ...children: HTMLElement[]) =>
    h('section', { class: `panel ${id}`, 'aria-labelledby': `${id}-title` }, ...children);
  const frame: Frame = {
    root,
    header: h('header', { class: 'top' }),
    status: h('div', { class: 'status', role: 'status' }),
    controls: h('section', { class: 'controls', 'aria-label': 'controls' }),
    cards: h('section', { class: 'cards', 'aria-labelledby': 'cards-title' }),
    trendHead: h('div', { class: 'panel-head' }),
    trendChart: h('div', { class: 'chart trend-chart', role: 'img' }),
    breakdownHead: h('div', { class: 'panel-head' }),
    breakdownChart: h('div', { class: 'chart breakdown-chart', role: 'img' }),
    breakdownTable: h('div', { class: 'table-wrap' }),
    completeness: h('section', { class: 'panel completeness', 'aria-labelledby': 'completeness-title' }),
    quality: h('section', { class: 'panel quality', 'aria-labelledby': 'quality-title' }),
    footer: h('footer', { class: 'bottom' }),
  };
  replace(
    root,
    frame.header,
    h(
      'main',
      { class: 'dashboard' },
      frame.status,
      frame.controls,
      frame.cards,
      h(
        'div',
        { class: 'row' },
        section('trend', frame.trendHead, frame.trendChart),
        section('breakdown', frame.breakdownHead, frame.breakdownChart),
      ),
      h('div', { class: 'panel breakdown-table' }, frame.breakdownTable),
      h('div', { class: 'row' }, frame.completeness, frame.quality),
    ),
    frame.footer,
  );
  return frame;
}

export function renderHeader(frame: Frame, state: State, actions: Actions) {
  const t = words[state.lang];
  const region = state.data?.region;
  replace(
    frame.header,
    h('h1', {}, t.title, region ? h('span', { class: 'region-name' }, ` · ${region.name}`) : null),
    h(
      'div',
      { class: 'top-actions' },
      langSwitch(state, actions),
      h('button', { type: 'button', class: 'link', onclick: () => actions.signOut() }, t.signOut),
    ),
  );
}

export function renderStatus(frame: Frame, state: State, actions: Actions) {
  const t = words[state.lang];
  const failure = state.failure;
  frame.root.setAttribute('aria-busy', String(state.status !== 'idle'));
  if (failure) {
    const message =
      failure.kind === 'forbidden'
        ? t.outOfScope
        : failure.kind === 'unreachable'
          ? failure.slow
            ? t.slowServer
            : t.unreachable
          : failure.kind === 'invalid'
            ? `${t.failed}: ${failure.detail}`
            : failure.kind === 'other'
              ? `${t.failed}: ${failure.detail}`
              : t.keyRejected;
    const back =
      failure.kind === 'forbidden' && state.lastGoodRegion
        ? h('button', { type: 'button', onclick: () => actions.goToRegion(state.lastGoodRegion ?? '') }, t.backToScope)
        : failure.kind === 'unreachable' || failure.kind === 'other'
          ? h('button', { type: 'button', onclick: () => actions.retry() }, t.retry)
          : null;
    frame.status.setAttribute('role', 'alert');
    frame.status.className = 'status error';
    replace(frame.status, h('span', {}, message), back);
    return;
  }
  frame.status.setAttribute('role', 'status');
  frame.status.className = state.status === 'idle' ? 'status' : 'status busy';
  if (state.status === 'loading') replace(frame.status, t.loading);
  else if (state.status === 'refreshing') replace(frame.status, t.refreshing);
  else if (!state.view) replace(frame.status, t.chooseRegion);
  else if (state.data && isEmpty(state)) replace(frame.status, t.empty);
  else replace(frame.status);
}

function isEmpty(state: State): boolean {
  const data = state.data;
  if (!data) return false;
  return Object.values(data.totals.totals).every((v) => v === 0) && data.series.points.every((p) => p.value === 0);
}

export function renderControls(frame: Frame, state: State, actions: Actions) {
  const t = words[state.lang];
  const view = state.view;
  const region = state.data?.region;
  const path = region
    ? h(
        'nav',
        { class: 'path', 'aria-label': t.regionPath },
        h(
          'ol',
          {},
          region.ancestors.map((a) =>
            h('li', {}, h('button', { type: 'button', class: 'link', onclick: () => actions.goToRegion(a.code) }, a.name)),
          ),
          h('li', { 'aria-current': 'page' }, region.name),
        ),
      )
    : null;
  const children =
    region && region.children.length > 0
      ? h(
          'div',
          { class: 'field' },
          h('label', { for: 'child-region' }, t.childRegion),
          h(
            'select',
            { id: 'child-region', onchange: ((e: Event) => actions.goToRegion((e.target as HTMLSelectElement).value)) as EventListener },
            h('option', { value: '' }, t.chooseChild),
            region.children.map((c) => h('option', { value: c.code }, c.name)),
          ),
        )
      : null;
  const searchInput = h('input', { id: 'region-search', type: 'search', value: state.search.text, autocomplete: 'off' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  searchInput.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => actions.search(searchInput.value), 250);
  });
  const results = state.search.results;
  const searchResults =
    results === null
      ? null
      : h(
          'ul',
          { class: 'search-results', 'aria-label': t.searchResults },
          results.length === 0
            ? h('li', {}, t.noMatches)
            : results.map((r) =>
                h(
                  'li',
                  {},
                  h(
                    'button',
                    { type: 'button', class: 'link', onclick: () => actions.goToRegion(r.code) },
                    r.name,
                    r.parent ? h('span', { class: 'muted' }, bracket(state.lang, r.parent.name)) : null,
                  ),
                ),
              ),
        );
  const from = h('input', { id: 'from', type: 'date', value: view?.from ?? '', 'aria-describedby': 'from-hint' });
  const to = h('input', { id: 'to', type: 'date', value: view?.to ?? '', required: true });
  const applyRange = () => {
    if (to.value) actions.setRange(from.value || null, to.value);
  };
  from.addEventListener('change', applyRange);
  to.addEventListener('change', applyRange);
  const knownAt = h('input', { id: 'known-at', type: 'datetime-local', step: 1, value: view?.knownAt ? toLocalInput(view.knownAt) : '' });
  replace(
    frame.controls,
    h(
      'div',
      { class: 'control-group region-group' },
      path,
      children,
      h('div', { class: 'field' }, h('label', { for: 'region-search' }, t.search), searchInput, searchResults),
    ),
    h(
      'div',
      { class: 'control-group' },
      h('div', { class: 'field' }, h('label', { for: 'from' }, t.from), from, h('small', { id: 'from-hint', class: 'muted' }, t.fromHint)),
      h('div', { class: 'field' }, h('label', { for: 'to' }, t.to), to),
    ),
    h(
      'div',
      { class: 'control-group' },
      h('div', { class: 'field' }, h('label', { for: 'known-at' }, t.knownAt), knownAt),
      h(
        'div',
        { class: 'buttons' },
        h(
          'button',
          { type: 'button', onclick: () => knownAt.value && actions.setKnownAt(new Date(knownAt.value).toISOString()) },
          t.knownAtApply,
        ),
        view?.knownAt ? h('button', { type: 'button', onclick: () => actions.setKnownAt(null) }, t.knownAtClear) : null,
      ),
    ),
  );
}

/** datetime-local wants local wall time without a zone. */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function renderCards(frame: Frame, state: State) {
  const t = words[state.lang];
  const data = state.data;
  const view = state.view;
  if (!data || !view) {
    replace(frame.cards);
    return;
  }
  const cards = cardsOf(data.totals, data.days, view.to);
  replace(
    frame.cards,
    h('h2', { id: 'cards-title', class: 'visually-hidden' }, t.cards),
    h(
      'ul',
      {},
      cards.map((card) => {
        const label = metricLabel(state.catalogue, card.metric, state.lang);
        const unit = unitLabel(state.catalogue, card.metric, state.lang);
        const stock = isStock(state.catalogue, card.metric);
        const changeClass = card.change > 0 ? 'up' : card.change < 0 ? 'down' : '';
        return h(
          'li',
          { class: 'card', role: 'group', 'aria-label': label },
          h('h3', {}, label),
          h(
            'p',
            { class: 'total' },
            h('span', { class: 'caption' }, stock ? t.totalStock : t.total),
            h('strong', {}, formatFigure(card.total)),
            h('span', { class: 'unit' }, unit),
          ),
          h(
            'p',
            { class: 'day' },
            h('span', {}, `${t.lastDay} `, h('b', {}, formatFigure(card.lastDay))),
            h('span', { class: `change ${changeClass}` }, `${t.change} `, h('b', {}, formatChange(card.change))),
          ),
        );
      }),
    ),
  );
}

export function renderTrendHead(frame: Frame, state: State, actions: Actions) {
  const t = words[state.lang];
  const view = state.view;
  if (!view) {
    replace(frame.trendHead);
    return;
  }
  const select = h(
    'select',
    {
      id: 'trend-metric',
      onchange: ((e: Event) => actions.setMetric((e.target as HTMLSelectElement).value as MetricName)) as EventListener,
    },
    chartMetrics.map((m) => h('option', { value: m, selected: m === view.metric }, metricLabel(state.catalogue, m, state.lang))),
  );
  const radio = (value: 'day' | 'week', text: string) =>
    h(
      'label',
      { class: 'radio' },
      h('input', { type: 'radio', name: 'interval', value, checked: view.interval === value, onchange: () => actions.setInterval(value) }),
      text,
    );
  replace(
    frame.trendHead,
    h('h2', { id: 'trend-title' }, view.interval === 'week' ? t.trendWeekly : t.trend),
    h(
      'div',
      { class: 'panel-tools' },
      h('label', { for: 'trend-metric' }, t.metric),
      select,
      h(
        'fieldset',
        { class: 'interval' },
        h('legend', { class: 'visually-hidden' }, t.interval),
        radio('day', t.daily),
        radio('week', t.weekly),
      ),
      h(
        'button',
        { type: 'button', onclick: () => actions.downloadCsv('trend') },
        view.interval === 'week' ? t.csvTrendWeekly : t.csvTrend,
      ),
    ),
  );
  frame.trendChart.setAttribute(
    'aria-label',
    `${view.interval === 'week' ? t.trendWeekly : t.trend}: ${metricLabel(state.catalogue, view.metric, state.lang)}`,
  );
}

export function renderBreakdown(frame: Frame, state: State, actions: Actions) {
  const t = words[state.lang];
  const data = state.data;
  const view = state.view;
  replace(
    frame.breakdownHead,
    h('h2', { id: 'breakdown-title' }, t.breakdown),
    data?.breakdown
      ? h('div', { class: 'panel-tools' }, h('button', { type: 'button', onclick: () => actions.downloadCsv('breakdown') }, t.csvBreakdown))
      : null,
  );
  if (!data || !view) return replace(frame.breakdownTable);
  if (!data.breakdown) {
    frame.breakdownChart.hidden = true;
    return replace(frame.breakdownTable, h('p', { class: 'muted' }, t.breakdownNone));
  }
  const rows = sortRows(breakdownRows(data.breakdown, view.region), state.sort);
  if (rows.length === 0) {
    // Nothing counted below the region in the period: no empty bar chart, no table of headers alone.
    frame.breakdownChart.hidden = true;
    return replace(frame.breakdownTable, h('p', { class: 'muted' }, t.breakdownEmpty));
  }
  frame.breakdownChart.hidden = false;
  frame.breakdownChart.setAttribute('aria-label', `${t.breakdown}: ${metricLabel(state.catalogue, view.metric, state.lang)}`);
  const header = (key: SortKey, text: string) => {
    const sorted = state.sort.key === key;
    return h(
      'th',
      { scope: 'col', 'aria-sort': sorted ? (state.sort.descending ? 'descending' : 'ascending') : 'none' },
      h(
        'button',
        { type: 'button', class: 'sort', onclick: () => actions.setSort(key) },
        text,
        sorted ? (state.sort.descending ? ' ↓' : ' ↑') : '',
      ),
    );
  };
  replace(
    frame.breakdownTable,
    h(
      'table',
      {},
      h('caption', {}, t.breakdown),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          header('name', t.region),
          cardMetrics.map((m) => header(m, metricLabel(state.catalogue, m, state.lang))),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((row) =>
          h(
            'tr',
            {},
            h(
              'th',
              { scope: 'row' },
              row.own
                ? `${row.name}${t.ownRegion}`
                : h('button', { type: 'button', class: 'link', onclick: () => actions.goToRegion(row.code) }, row.name),
            ),
            cardMetrics.map((m) => h('td', {}, formatFigure(row.values[m] ?? 0))),
          ),
        ),
      ),
    ),
  );
}

export function renderCompleteness(frame: Frame, state: State, actions: Actions) {
  const t = words[state.lang];
  if (!state.data) return replace(frame.completeness);
  const c = state.data.completeness;
  if (!c) return replace(frame.completeness, h('h2', { id: 'completeness-title' }, t.completeness), h('p', { class: 'muted' }, t.loading));
  const missing = c.sites.filter((s) => !s.reported);
  replace(
    frame.completeness,
    h('h2', { id: 'completeness-title' }, `${t.completeness}${bracket(state.lang, formatDay(c.date, state.lang))}`),
    h(
      'p',
      { class: 'share' },
      h('strong', {}, formatShare(c.share)),
      ` ${formatFigure(c.reporting)} / ${formatFigure(c.inService)} ${t.inService} ${t.reported}`,
    ),
    c.inService === 0
      ? h('p', { class: 'muted' }, t.noSites)
      : missing.length === 0
        ? h('p', { class: 'muted' }, t.allReported)
        : h(
            'details',
            {},
            h('summary', {}, `${t.notReported}${bracket(state.lang, formatFigure(missing.length))}`),
            h(
              'ul',
              { class: 'site-list', 'aria-label': t.notReported },
              missing.map((s) =>
                h(
                  'li',
                  {},
                  s.name,
                  ' ',
                  h('button', { type: 'button', class: 'link', onclick: () => actions.goToRegion(s.region.code) }, s.region.name),
                ),
              ),
            ),
          ),
  );
}

export function renderQuality(frame: Frame, state: State) {
  const t = words[state.lang];
  if (!state.data) return replace(frame.quality);
  const q = state.data.quality;
  if (!q) return replace(frame.quality, h('h2', { id: 'quality-title' }, t.quality), h('p', { class: 'muted' }, t.loading));
  replace(
    frame.quality,
    h('h2', { id: 'quality-title' }, `${t.quality}${bracket(state.lang, formatDay(q.to, state.lang))}`),
    q.flags.length === 0
      ? h('p', { class: 'muted' }, t.noWarnings)
      : h(
          'ul',
          { class: 'flags', 'aria-label': t.quality },
          q.flags.map((flag: Schemas['QualityFlag']) =>
            h(
              'li',
              { class: `flag ${flag.kind}` },
              h(
                'p',
                {},
                h('b', {}, flag.region.name),
                flag.site ? ` · ${flag.site}` : '',
                ` · ${flagFinding(flag, state.catalogue, state.lang)}`,
              ),
              h(
                'details',
                {},
                h('summary', {}, `${t.eventsBehind}${bracket(state.lang, formatFigure(flag.eventIds.length))}`),
                h(
                  'ul',
                  { class: 'event-ids' },
                  flag.eventIds.map((id) => h('li', {}, h('code', {}, id))),
                ),
              ),
            ),
          ),
        ),
  );
}

export function renderFooter(frame: Frame, state: State, actions: Actions) {
  const t = words[state.lang];
  const data = state.data;
  const view = state.view;
  if (!data || !view) return replace(frame.footer);
  replace(
    frame.footer,
    h(
      'p',
      {},
      view.knownAt
        ? h('span', { class: 'known-at' }, `${t.knownAtNote}: ${formatInstant(view.knownAt, state.lang)}`)
        : h('span', {}, `${t.asOf} ${formatInstant(data.totals.asOf, state.lang)}`),
      ' · ',
      h('span', {}, view.knownAt ? t.liveOff : `${t.live}`),
    ),
    h(
      'div',
      { class: 'bulletins' },
      h(
        'p',
        {},
        h(
          'button',
          { type: 'button', onclick: () => actions.openBulletin() },
          `${t.bulletin}${bracket(state.lang, formatDay(view.to, state.lang))}`,
        ),
        state.bulletinMessage ? h('span', { role: 'status', class: 'muted' }, ` ${state.bulletinMessage}`) : null,
      ),
      bulletinArchive(state, view.region, actions),
    ),
  );
}

/** The region's past bulletins, newest first, each opening in a new tab; nothing when none was written for it. */
function bulletinArchive(state: State, region: string, actions: Actions) {
  const items = state.bulletins?.region === region ? state.bulletins.items : [];
  if (items.length === 0) return null;
  const t = words[state.lang];
  return h(
    'details',
    {},
    h('summary', {}, `${t.archive}${bracket(state.lang, formatFigure(items.length))}`),
    h(
      'ol',
      { class: 'bulletin-list', 'aria-label': t.archive },
      [...items]
        .reverse()
        .map((b) =>
          h(
            'li',
            {},
            h(
              'button',
              { type: 'button', class: 'link', onclick: () => actions.openBulletin(b.date) },
              `${issueLabel(state.lang, b.issue)} · ${formatDay(b.date, state.lang)}`,
              b.latestRevision > 0 ? bracket(state.lang, revisionLabel(state.lang, b.latestRevision)) : '',
            ),
          ),
        ),
    ),
  );
}
