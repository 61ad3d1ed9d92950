import type { EChartsCoreOption } from 'echarts/core';

type Charts = typeof import('./charts.ts');

let loading: Promise<Charts> | undefined;
let loaded: Charts | undefined;

/**
 * ECharts is most of the page's code, so it comes in a chunk of its own
 * (the bundle splits at this import). `loadCharts()` is called as soon as a
 * view starts loading: the chunk is evaluated while the figures are on
 * their way, not before the first request is sent.
 */
export function loadCharts(): Promise<Charts> {
  loading ??= import('./charts.ts').then(
    (charts) => (loaded = charts),
    (error: unknown) => {
      // Not kept: the next view tries to fetch the chunk again.
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** Draws once the chunk is in; resolves when ECharts says the chart is drawn. */
export async function draw(
  element: HTMLElement,
  option: EChartsCoreOption,
  onClick?: (params: { data?: unknown; dataIndex: number }) => void,
): Promise<void> {
  return (await loadCharts()).draw(element, option, onClick);
}

/** Nothing to dispose before the chunk has drawn anything. */
export function disposeCharts() {
  loaded?.disposeCharts();
}
