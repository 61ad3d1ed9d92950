import * as echarts from 'echarts';
import type { EChartsOption } from 'echarts';

export interface SvgSize {
  width: number;
  height: number;
}

/**
 * Renders an option to an SVG string without a browser (ECharts' server-side
 * SVG renderer). The chart instance is disposed before returning, so nothing
 * is left behind between calls.
 *
 * zrender names the CSS classes it writes after process-wide counters
 * (`zr0-cls-14`, clip paths `zr3-c0`, …); they are renumbered in order of first
 * appearance (`chart-cls-0`, …) so the same option gives the same bytes
 * however many charts the process drew before (a bulletin regenerated at the
 * same knownAt must be identical).
 */
export function renderSvg(option: EChartsOption, size: SvgSize): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption(option);
    return stableClassNames(chart.renderToSVGString());
  } finally {
    chart.dispose();
  }
}

function stableClassNames(svg: string): string {
  const names = new Map<string, string>();
  return svg.replace(/\bzr\d+-([a-z]+)-?\d+\b/g, (name, kind: string) => {
    let stable = names.get(name);
    if (stable === undefined) {
      stable = `chart-${kind}-${names.size}`;
      names.set(name, stable);
    }
    return stable;
  });
}
