import { z } from 'zod';
import { donationItems, donationUnits, publicityKinds, supplyItems, supplyUnits, type EventType } from './events.ts';

/**
 * The metric catalogue (CONTRACT.md "Metrics"): every figure the product
 * shows, where it comes from, and how it adds up over time.
 *
 * - `flow` metrics sum over the period (people screened on those days).
 * - `stock` metrics are read at the end of the period: the running sum of
 *   their +1/-1 contributions from the first event up to that day.
 */
export type MetricKind = 'flow' | 'stock';

/** The languages labels come in: the offices write Chinese, the API and its guide English. */
export const labelLanguages = ['zh', 'en'] as const;
export type LabelLanguage = (typeof labelLanguages)[number];
/** A display string in each label language. */
export type Localized = Readonly<Record<LabelLanguage, string>>;

export interface MetricDefinition {
  name: string;
  /** What a table heading or chart legend says; for donated:* the item with its unit, 口罩（个）. */
  label: Localized;
  description: string;
  /** The unit as a reader sees it beside a figure: 台/vehicles, 户/households, 元/CNY. */
  unit: Localized;
  kind: MetricKind;
  /** The event types that contribute to it. */
  from: readonly EventType[];
  /** What the `dim` of its contributions means, when they carry one. */
  dimension?: string;
}

const fixedMetrics = [
  {
    name: 'vehicles_screened',
    label: { zh: '卡点排查车辆', en: 'Vehicles screened' },
    description: 'Vehicles checked at sites',
    unit: { zh: '台', en: 'vehicles' },
    kind: 'flow',
    from: ['screening'],
  },
  {
    name: 'people_screened',
    label: { zh: '卡点排查人员', en: 'People screened' },
    description: 'People checked at sites',
    unit: { zh: '人', en: 'people' },
    kind: 'flow',
    from: ['screening'],
  },
  {
    name: 'temperature_checks',
    label: { zh: '体温检测', en: 'Temperature checks' },
    description: 'Body temperature measurements taken',
    unit: { zh: '人次', en: 'checks' },
    kind: 'flow',
    from: ['screening'],
  },
  {
    name: 'vehicles_turned_back',
    label: { zh: '劝返车辆', en: 'Vehicles turned back' },
    description: 'Vehicles persuaded to turn back (劝返)',
    unit: { zh: '台', en: 'vehicles' },
    kind: 'flow',
    from: ['turnback'],
    dimension: 'reason',
  },
  {
    name: 'people_turned_back',
    label: { zh: '劝返人员', en: 'People turned back' },
    description: 'People persuaded to turn back (劝返)',
    unit: { zh: '人', en: 'people' },
    kind: 'flow',
    from: ['turnback'],
    dimension: 'reason',
  },
  {
    name: 'fever_cases',
    label: { zh: '发热人员', en: 'Fever cases' },
    description: 'People found with fever',
    unit: { zh: '名', en: 'people' },
    kind: 'flow',
    from: ['fever'],
    dimension: 'disposition',
  },
  {
    name: 'quarantine_started',
    label: { zh: '新增居家隔离', en: 'Home quarantines started' },
    description: 'Home quarantines begun',
    unit: { zh: '人', en: 'people' },
    kind: 'flow',
    from: ['quarantine.started'],
    dimension: 'reason',
  },
  {
    name: 'quarantine_ended',
    label: { zh: '解除居家隔离', en: 'Home quarantines ended' },
    description: 'Home quarantines ended',
    unit: { zh: '人', en: 'people' },
    kind: 'flow',
    from: ['quarantine.ended'],
    dimension: 'outcome',
  },
  {
    name: 'quarantine_active',
    label: { zh: '居家隔离人员', en: 'People in home quarantine' },
    description: 'People in home quarantine at the end of the period',
    unit: { zh: '人', en: 'people' },
    kind: 'stock',
    from: ['quarantine.started', 'quarantine.ended'],
  },
  {
    name: 'households_swept',
    label: { zh: '入户排查户数', en: 'Households swept' },
    description: 'Households covered by door-to-door sweeps (排查)',
    unit: { zh: '户', en: 'households' },
    kind: 'flow',
    from: ['sweep'],
  },
  {
    name: 'people_swept',
    label: { zh: '入户排查人员', en: 'People swept' },
    description: 'People covered by door-to-door sweeps',
    unit: { zh: '人', en: 'people' },
    kind: 'flow',
    from: ['sweep'],
  },
  {
    name: 'returnees_found',
    label: { zh: '排查返乡人员', en: 'Returnees found' },
    description: 'Returnees found by sweeps',
    unit: { zh: '人', en: 'people' },
    kind: 'flow',
    from: ['sweep'],
    dimension: 'origin',
  },
  {
    name: 'donations',
    label: { zh: '捐赠次数', en: 'Donations' },
    description: 'Number of donations',
    unit: { zh: '次', en: 'donations' },
    kind: 'flow',
    from: ['donation'],
    dimension: 'donorType',
  },
  {
    name: 'staff_on_duty',
    label: { zh: '值守人员', en: 'Staff on duty' },
    description: 'Staff on duty shifts',
    unit: { zh: '人次', en: 'person-shifts' },
    kind: 'flow',
    from: ['shift'],
    dimension: 'role',
  },
  {
    name: 'shifts',
    label: { zh: '值守班次', en: 'Shifts worked' },
    description: 'Duty shifts worked',
    unit: { zh: '班次', en: 'shifts' },
    kind: 'flow',
    from: ['shift'],
  },
  {
    name: 'people_deployed',
    label: { zh: '下沉一线人员', en: 'People deployed' },
    description: 'People sent to the front line',
    unit: { zh: '名', en: 'people' },
    kind: 'flow',
    from: ['deployment'],
    dimension: 'role',
  },
  {
    name: 'incidents',
    label: { zh: '违规事件', en: 'Incidents' },
    description: 'Enforcement incidents',
    unit: { zh: '起', en: 'incidents' },
    kind: 'flow',
    from: ['incident'],
    dimension: 'kind',
  },
  {
    name: 'enterprises_resumed',
    label: { zh: '复工复产企业', en: 'Enterprises resumed' },
    description: 'Enterprises filing to resume business (复工复产)',
    unit: { zh: '家', en: 'enterprises' },
    kind: 'flow',
    from: ['resumption'],
  },
  {
    name: 'employees_returned',
    label: { zh: '返岗员工', en: 'Employees returned' },
    description: 'Employees back at resumed enterprises',
    unit: { zh: '人', en: 'people' },
    kind: 'flow',
    from: ['resumption'],
  },
  {
    name: 'gatherings_stopped',
    label: { zh: '制止聚集性活动', en: 'Gatherings stopped' },
    description: 'Gatherings stopped (制止红白喜事聚众操办)',
    unit: { zh: '起', en: 'gatherings' },
    kind: 'flow',
    from: ['gathering.stopped'],
    dimension: 'kind',
  },
  {
    name: 'talks_organizations',
    label: { zh: '约谈党组织', en: 'Party organisations talked to' },
    description: 'Village party organisations called to a disciplinary talk (约谈村党组织)',
    unit: { zh: '个', en: 'organisations' },
    kind: 'flow',
    from: ['discipline.talk'],
  },
  {
    name: 'talks_people',
    label: { zh: '约谈人员', en: 'People talked to' },
    description: 'Village leaders, town cadres and others called to a disciplinary talk (约谈村主干、镇干部)',
    unit: { zh: '人', en: 'people' },
    kind: 'flow',
    from: ['discipline.talk'],
    dimension: 'subject',
  },
  {
    name: 'sites_active',
    label: { zh: '在用卡点', en: 'Active sites' },
    description: 'Sites in service at the end of the period',
    unit: { zh: '个', en: 'sites' },
    kind: 'stock',
    from: ['site.registered', 'site.closed'],
    dimension: 'kind',
  },
] as const satisfies readonly MetricDefinition[];

/** Display names of donated items and units; the donated:* labels are built from them. */
export const donationItemLabels: Record<(typeof donationItems)[number], Localized> = {
  masks: { zh: '口罩', en: 'Masks' },
  disinfectant: { zh: '消毒液', en: 'Disinfectant' },
  sprayers: { zh: '喷雾器', en: 'Sprayers' },
  protective_suits: { zh: '防护服', en: 'Protective suits' },
  goggles: { zh: '护目镜', en: 'Goggles' },
  thermometers: { zh: '体温计', en: 'Thermometers' },
  soap: { zh: '肥皂', en: 'Soap' },
  food: { zh: '食品', en: 'Food' },
  vegetables: { zh: '蔬菜', en: 'Vegetables' },
  cash: { zh: '现金', en: 'Cash' },
  other: { zh: '其他物资', en: 'Other supplies' },
};

export const donationUnitLabels: Record<(typeof donationUnits)[number], Localized> = {
  piece: { zh: '个', en: 'pieces' },
  kg: { zh: '千克', en: 'kg' },
  barrel: { zh: '桶', en: 'barrels' },
  set: { zh: '套', en: 'sets' },
  box: { zh: '箱', en: 'boxes' },
  cny: { zh: '元', en: 'CNY' },
};

/** One metric per donated item and unit: quantities in different units are never summed. */
const donatedMetrics: MetricDefinition[] = donationItems.flatMap((item) =>
  donationUnits.map((unit) => {
    const itemLabel = donationItemLabels[item];
    const unitLabel = donationUnitLabels[unit];
    return {
      name: donatedMetricName(item, unit),
      // The unit belongs in the label: 口罩（个） and 口罩（箱） are two metrics side by side.
      label: { zh: `${itemLabel.zh}（${unitLabel.zh}）`, en: `${itemLabel.en} (${unitLabel.en})` },
      description: `${item.replace(/_/g, ' ')} donated, in ${unitLabel.en}`,
      unit: unitLabel,
      kind: 'flow' as const,
      from: ['donation'] as const,
      dimension: 'donorType',
    };
  }),
);

/** Display names of issued supplies; units are the donation units'. */
export const supplyItemLabels: Record<(typeof supplyItems)[number], Localized> = {
  masks: { zh: '口罩', en: 'Masks' },
  thermometers: { zh: '温度计', en: 'Thermometers' },
  disinfectant: { zh: '消毒液', en: 'Disinfectant' },
  protective_suits: { zh: '防护服', en: 'Protective suits' },
  goggles: { zh: '护目镜', en: 'Goggles' },
  sprayers: { zh: '喷雾器', en: 'Sprayers' },
  soap: { zh: '肥皂', en: 'Soap' },
  clothing: { zh: '防寒衣物', en: 'Cold-weather clothing' },
  food: { zh: '食品', en: 'Food' },
  other: { zh: '其他物资', en: 'Other supplies' },
};

/** One metric per issued item and unit, as for donations: never summed across units. */
const issuedMetrics: MetricDefinition[] = supplyItems.flatMap((item) =>
  supplyUnits.map((unit) => {
    const itemLabel = supplyItemLabels[item];
    const unitLabel = donationUnitLabels[unit];
    return {
      name: issuedMetricName(item, unit),
      label: { zh: `发放${itemLabel.zh}（${unitLabel.zh}）`, en: `${itemLabel.en} issued (${unitLabel.en})` },
      description: `${item.replace(/_/g, ' ')} issued to people and units (发放, not donations), in ${unitLabel.en}`,
      unit: unitLabel,
      kind: 'flow' as const,
      from: ['supplies.issued'] as const,
    };
  }),
);

/** What each kind of publicity is counted in, as the reports write it (出黑板报50期、悬挂宣传横幅350条). */
export const publicityLabels: Record<(typeof publicityKinds)[number], { label: Localized; unit: Localized; description: string }> = {
  blackboard: {
    label: { zh: '出黑板报', en: 'Blackboard bulletins' },
    unit: { zh: '期', en: 'issues' },
    description: 'Blackboard bulletins put up (出黑板报)',
  },
  banner: {
    label: { zh: '悬挂宣传横幅', en: 'Banners hung' },
    unit: { zh: '条', en: 'banners' },
    description: 'Publicity banners hung (悬挂宣传横幅)',
  },
  notice: {
    label: { zh: '张贴告知书', en: 'Notices posted' },
    unit: { zh: '份', en: 'copies' },
    description: 'Notices posted (张贴告知书)',
  },
  initiative_letter: {
    label: { zh: '发放倡议书', en: 'Letters of appeal handed out' },
    unit: { zh: '份', en: 'copies' },
    description: 'Letters of appeal handed out (发放倡议书)',
  },
  brochure: {
    label: { zh: '发放宣传册', en: 'Brochures handed out' },
    unit: { zh: '份', en: 'copies' },
    description: 'Brochures handed out (发放宣传册)',
  },
  leaflet: {
    label: { zh: '发放传单', en: 'Leaflets handed out' },
    unit: { zh: '份', en: 'copies' },
    description: 'Leaflets handed out (发放传单)',
  },
  vehicle: {
    label: { zh: '出动宣传车', en: 'Publicity vehicles sent out' },
    unit: { zh: '辆次', en: 'vehicle trips' },
    description: 'Publicity vehicles sent out (出动宣传车)',
  },
  other: { label: { zh: '其他宣传品', en: 'Other publicity' }, unit: { zh: '件', en: 'items' }, description: 'Other publicity output' },
};

/** One metric per kind of publicity: 期, 条 and 份 are not summed. */
const publicityMetrics: MetricDefinition[] = publicityKinds.map((kind) => ({
  name: publicityMetricName(kind),
  label: publicityLabels[kind].label,
  description: publicityLabels[kind].description,
  unit: publicityLabels[kind].unit,
  kind: 'flow' as const,
  from: ['publicity'] as const,
}));

export function issuedMetricName(item: (typeof supplyItems)[number], unit: (typeof supplyUnits)[number]) {
  return `issued:${item}:${unit}` as const;
}

export function publicityMetricName(kind: (typeof publicityKinds)[number]) {
  return `publicity:${kind}` as const;
}

export function donatedMetricName(item: (typeof donationItems)[number], unit: (typeof donationUnits)[number]) {
  return `donated:${item}:${unit}` as const;
}

export type FixedMetricName = (typeof fixedMetrics)[number]['name'];
export type DonatedMetricName = ReturnType<typeof donatedMetricName>;
export type IssuedMetricName = ReturnType<typeof issuedMetricName>;
export type PublicityMetricName = ReturnType<typeof publicityMetricName>;
export type MetricName = FixedMetricName | DonatedMetricName | IssuedMetricName | PublicityMetricName;

export const metricCatalogue: ReadonlyMap<string, MetricDefinition> = new Map(
  [...fixedMetrics, ...donatedMetrics, ...issuedMetrics, ...publicityMetrics].map((m) => [m.name, m]),
);

export const metricNames = [...metricCatalogue.keys()] as MetricName[];

export function isMetricName(name: string): name is MetricName {
  return metricCatalogue.has(name);
}

/**
 * A metric family selector: `*` stands for any run of characters, so
 * `donated:*` is every donated item and unit, `donated:masks:*` masks in
 * every unit and `donated:*:kg` everything counted in kg. Answers the names
 * in catalogue order; none when nothing matches.
 */
export function expandMetricSelector(selector: string): MetricName[] {
  if (!selector.includes('*')) return isMetricName(selector) ? [selector] : [];
  const pattern = new RegExp(
    `^${selector
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return metricNames.filter((name) => pattern.test(name));
}

export const metricNameSchema = z
  .enum(metricNames as [MetricName, ...MetricName[]], { error: 'is not a known metric (see GET /v1/metrics)' })
  .meta({ id: 'MetricName' });
