import type { MetricName, Schemas } from '@cordon/sdk';
import { formatFigure } from './format.ts';
import type { Lang } from './i18n.ts';
import { metricLabel } from './labels.ts';

type Flag = Pick<Schemas['QualityFlag'], 'check' | 'metric' | 'values' | 'detail'>;

/**
 * A quality flag's finding in the page's language, built from its check and
 * figures: the API's `detail` is English only. A check the page does not
 * know yet keeps the API's words.
 */
export function flagFinding(flag: Flag, catalogue: readonly Schemas['Metric'][], lang: Lang): string {
  const label = (metric: string) => metricLabel(catalogue, metric as MetricName, lang);
  const n = (key: string) => formatFigure(flag.values[key] ?? 0);
  const zh = lang === 'zh';
  switch (flag.check) {
    case 'people_turned_back_exceeds_screened':
    case 'vehicles_turned_back_exceeds_screened':
    case 'fever_exceeds_screened': {
      // The two figures compared; the flagged one is the larger (the rule is that it never exceeds the other).
      const [over, under] = Object.keys(flag.values).sort((a, b) => flag.values[b]! - flag.values[a]!);
      if (!over || !under) return flag.detail;
      return zh
        ? `${label(over)}（${n(over)}）多于${label(under)}（${n(under)}）`
        : `${label(over)} (${n(over)}) exceed ${label(under).toLowerCase()} (${n(under)})`;
    }
    case 'quarantine_end_without_start':
      return zh
        ? `${n('quarantine_ended')} 条解除隔离记录没有对应的开始隔离记录`
        : `${n('quarantine_ended')} quarantine end(s) with no open quarantine`;
    case 'outlier': {
      if (!flag.metric) return flag.detail;
      const median = flag.values['median'] ?? 0;
      const times = median > 0 ? formatFigure(Math.round(((flag.values['value'] ?? 0) / median) * 100) / 100) : null;
      return zh
        ? `${label(flag.metric)} ${n('value')}，此前 ${n('baselineDays')} 天的中位数为 ${n('median')}${times ? `（${times} 倍）` : ''}`
        : `${label(flag.metric)} ${n('value')} against a median of ${n('median')} over the previous ${n('baselineDays')} days${times ? ` (${times}×)` : ''}`;
    }
    case 'void_outside_scope':
      return zh ? '一条作废请求超出其密钥的地区范围，未执行（已转入死信）' : 'a void outside its key’s region: not applied (dead-lettered)';
    default:
      return flag.detail;
  }
}
