/**
 * Colours that stay apart in print and in grey: one hue per series, its
 * 7-day average a darker shade of it.
 */
export const palette = [
  { daily: '#c23531', average: '#7a1512' },
  { daily: '#2f6fb0', average: '#143a66' },
  { daily: '#d9892b', average: '#8a4f0c' },
  { daily: '#4c9a5f', average: '#22582f' },
] as const;

/**
 * Where a chart is drawn. 'print': the bulletin's SVG, a fixed frame of known
 * size. 'screen': the dashboard, any width from a phone to a wall screen:
 * the legend on top (it wraps there instead of into the axis), the axis
 * labels measured into the grid (a county's figures run to millions, a
 * village's to tens), category labels that collide thinned out.
 */
export type ChartLayout = 'print' | 'screen';

interface ScreenFrame {
  grid: { left: number; right: number; top: number; bottom: number; containLabel: true };
}

const screenFrame: ScreenFrame = { grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true } };

/** The screen frame, or null for print (whose frame each builder keeps as it always was: the bulletin's bytes stay the same). */
export function layoutOf(layout: ChartLayout | undefined): ScreenFrame | null {
  return layout === 'screen' ? screenFrame : null;
}
