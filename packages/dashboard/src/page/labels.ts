import type { MetricName, Schemas } from '@cordon/sdk';
import type { Lang } from './i18n.ts';

/** A metric's name and unit as GET /v1/metrics gives them in each language: the one catalogue, no second table here. */
export function metricLabel(catalogue: readonly Schemas['Metric'][], name: MetricName, lang: Lang): string {
  return catalogue.find((m) => m.name === name)?.label[lang] ?? name;
}

export function unitLabel(catalogue: readonly Schemas['Metric'][], name: MetricName, lang: Lang): string {
  return catalogue.find((m) => m.name === name)?.unitLabel[lang] ?? '';
}

export function isStock(catalogue: readonly Schemas['Metric'][], name: MetricName): boolean {
  return catalogue.find((m) => m.name === name)?.kind === 'stock';
}
