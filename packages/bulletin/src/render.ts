import { dailyTrendOption, renderSvg } from '@cordon/charts';
import type { BulletinFigures, BulletinLang } from './figures.ts';
import { bulletinDocument } from './render/document.ts';
import { toHtml } from './render/html.ts';
import { toMarkdown } from './render/markdown.ts';

export interface RenderedBulletin {
  markdown: string;
  html: string;
  /** The figures, as the `.json` file holds them. */
  json: BulletinFigures;
  /** The 14-day chart, written beside the Markdown as `<date>.svg` and linked from it. */
  svg: string;
}

/** Pure: figures → documents. No clock, no I/O; the same figures give the same bytes. */
export function renderBulletin(figures: BulletinFigures, options: { lang?: BulletinLang | undefined } = {}): RenderedBulletin {
  const lang = options.lang ?? 'zh';
  const blocks = bulletinDocument(figures, lang);
  const label = (m: string) => figures.catalogue[m]?.label[lang] ?? m;
  const option = dailyTrendOption({
    lang,
    series: figures.trend.series.map((s) => ({ name: label(s.metric), points: s.points })),
    unit: figures.catalogue['people_screened']?.unit[lang],
  });
  const svg = renderSvg(option, { width: 720, height: 320 });
  return { markdown: toMarkdown(blocks, `${figures.date}.svg`), html: toHtml(blocks, svg, lang), json: figures, svg };
}
