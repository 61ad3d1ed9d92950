import { z } from 'zod';
import { donationItems, donationUnits, type EventType } from './events.ts';

/**
 * The metric catalogue (CONTRACT.md "Metrics"): every figure the product
 * shows, where it comes from, and how it adds up over time.
 *
 * - `flow` metrics sum over the period (people screened on those days).
 * - `stock` metrics are read at the end of the period: the running sum of
 *   their +1/-1 contributions from the first event up to that day.
 */
export type MetricKind = 'flow' | 'stock';

export interface MetricDefinition {
  name: string;
  description: string;
  unit: string;
  kind: MetricKind;
  /** The event types that contribute to it. */
  from: readonly EventType[];
  /** What the `dim` of its contributions means, when they carry one. */
  dimension?: string;
}

const fixedMetrics = [
  { name: 'vehicles_screened', description: 'Vehicles checked at sites', unit: 'vehicles', kind: 'flow', from: ['screening'] },
  { name: 'people_screened', description: 'People checked at sites', unit: 'people', kind: 'flow', from: ['screening'] },
  { name: 'temperature_checks', description: 'Body temperature measurements taken', unit: 'checks', kind: 'flow', from: ['screening'] },
  { name: 'vehicles_turned_back', description: 'Vehicles persuaded to turn back (劝返)', unit: 'vehicles', kind: 'flow', from: ['turnback'], dimension: 'reason' },
  { name: 'people_turned_back', description: 'People persuaded to turn back (劝返)', unit: 'people', kind: 'flow', from: ['turnback'], dimension: 'reason' },
  { name: 'fever_cases', description: 'People found with fever', unit: 'people', kind: 'flow', from: ['fever'], dimension: 'disposition' },
  { name: 'quarantine_started', description: 'Home quarantines begun', unit: 'people', kind: 'flow', from: ['quarantine.started'], dimension: 'reason' },
  { name: 'quarantine_ended', description: 'Home quarantines ended', unit: 'people', kind: 'flow', from: ['quarantine.ended'], dimension: 'outcome' },
  { name: 'quarantine_active', description: 'People in home quarantine at the end of the period', unit: 'people', kind: 'stock', from: ['quarantine.started', 'quarantine.ended'] },
  { name: 'households_swept', description: 'Households covered by door-to-door sweeps (排查)', unit: 'households', kind: 'flow', from: ['sweep'] },
  { name: 'people_swept', description: 'People covered by door-to-door sweeps', unit: 'people', kind: 'flow', from: ['sweep'] },
  { name: 'returnees_found', description: 'Returnees found by sweeps', unit: 'people', kind: 'flow', from: ['sweep'], dimension: 'origin' },
  { name: 'donations', description: 'Number of donations', unit: 'donations', kind: 'flow', from: ['donation'], dimension: 'donorType' },
  { name: 'staff_on_duty', description: 'Staff on duty shifts', unit: 'people', kind: 'flow', from: ['shift'], dimension: 'role' },
  { name: 'shifts', description: 'Duty shifts worked', unit: 'shifts', kind: 'flow', from: ['shift'] },
  { name: 'people_deployed', description: 'People sent to the front line', unit: 'people', kind: 'flow', from: ['deployment'], dimension: 'role' },
  { name: 'incidents', description: 'Enforcement incidents', unit: 'incidents', kind: 'flow', from: ['incident'], dimension: 'kind' },
  { name: 'enterprises_resumed', description: 'Enterprises filing to resume business (复工复产)', unit: 'enterprises', kind: 'flow', from: ['resumption'] },
  { name: 'employees_returned', description: 'Employees back at resumed enterprises', unit: 'people', kind: 'flow', from: ['resumption'] },
  { name: 'sites_active', description: 'Sites in service at the end of the period', unit: 'sites', kind: 'stock', from: ['site.registered', 'site.closed'], dimension: 'kind' },
] as const satisfies readonly MetricDefinition[];

const unitNames: Record<(typeof donationUnits)[number], string> = {
  piece: 'pieces', kg: 'kg', barrel: 'barrels', set: 'sets', box: 'boxes', cny: 'CNY',
};

/** One metric per donated item and unit: quantities in different units are never summed. */
const donatedMetrics: MetricDefinition[] = donationItems.flatMap((item) =>
  donationUnits.map((unit) => ({
    name: donatedMetricName(item, unit),
    description: `${item.replace(/_/g, ' ')} donated, in ${unitNames[unit]}`,
    unit: unitNames[unit],
    kind: 'flow' as const,
    from: ['donation'] as const,
    dimension: 'donorType',
  })),
);

export function donatedMetricName(item: (typeof donationItems)[number], unit: (typeof donationUnits)[number]) {
  return `donated:${item}:${unit}` as const;
}

export type FixedMetricName = (typeof fixedMetrics)[number]['name'];
export type DonatedMetricName = ReturnType<typeof donatedMetricName>;
export type MetricName = FixedMetricName | DonatedMetricName;

export const metricCatalogue: ReadonlyMap<string, MetricDefinition> = new Map(
  [...fixedMetrics, ...donatedMetrics].map((m) => [m.name, m]),
);

export const metricNames = [...metricCatalogue.keys()] as MetricName[];

export function isMetricName(name: string): name is MetricName {
  return metricCatalogue.has(name);
}

export const metricNameSchema = z
  .enum(metricNames as [MetricName, ...MetricName[]], { error: 'is not a known metric (see GET /v1/metrics)' })
  .meta({ id: 'MetricName' });
