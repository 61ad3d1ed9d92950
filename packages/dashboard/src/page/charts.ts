import { init, use, type ECharts, type EChartsCoreOption } from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

// Only what the page draws: keeps the bundle small. SVG, as the bulletin's
// charts, so text stays sharp on a wall screen and in screenshots.
use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

const charts = new Map<HTMLElement, ECharts>();
let observer: ResizeObserver | undefined;

function chartIn(element: HTMLElement): ECharts {
  let chart = charts.get(element);
  if (!chart) {
    chart = init(element, undefined, { renderer: 'svg' });
    charts.set(element, chart);
    observer ??= new ResizeObserver((entries) => {
      for (const entry of entries) charts.get(entry.target as HTMLElement)?.resize();
    });
    observer.observe(element);
  }
  return chart;
}

/**
 * Sets an option and resolves once ECharts says the chart is drawn
 * ('finished': rendered, no animation left), which is what "the last
 * chart drawn" in the bench measures.
 */
export function draw(
  element: HTMLElement,
  option: EChartsCoreOption,
  onClick?: (params: { data?: unknown; dataIndex: number }) => void,
): Promise<void> {
  const chart = chartIn(element);
  chart.off('click');
  if (onClick) chart.on('click', (params) => onClick(params as { data?: unknown; dataIndex: number }));
  return new Promise((resolve) => {
    chart.off('finished');
    chart.on('finished', () => {
      chart.off('finished');
      resolve();
    });
    chart.setOption(option, { notMerge: true });
  });
}

export function disposeCharts() {
  for (const [element, chart] of charts) {
    observer?.unobserve(element);
    chart.dispose();
  }
  charts.clear();
}
