import type { CordonEvent } from './events.ts';
import { donatedMetricName, issuedMetricName, publicityMetricName, type MetricName } from './metrics.ts';

/**
 * What one event adds to each metric: the single place where events become
 * figures. The consumer stores these beside the raw event, roll-ups sum them,
 * and a `void` stores them again negated.
 *
 * `dim` is the value of the metric's breakdown dimension (the catalogue's
 * `dimension`), '' where the event does not say.
 */
export interface Contribution {
  metric: MetricName;
  dim: string;
  value: number;
}

export function contributionsOf(event: CordonEvent): Contribution[] {
  const out: Contribution[] = [];
  const add = (metric: MetricName, value: number, dim = '') => {
    // A zero adds nothing to any figure; skipping it keeps roll-ups small.
    if (value !== 0) out.push({ metric, dim, value });
  };
  switch (event.type) {
    case 'site.registered':
      add('sites_active', 1, event.data.kind);
      break;
    case 'site.closed':
      add('sites_active', -1);
      break;
    case 'shift': {
      const { staff, partyMembers = 0, militia = 0, volunteers = 0 } = event.data;
      add('shifts', 1);
      add('staff_on_duty', partyMembers, 'party_member');
      add('staff_on_duty', militia, 'militia');
      add('staff_on_duty', volunteers, 'volunteer');
      add('staff_on_duty', staff - partyMembers - militia - volunteers, 'other');
      break;
    }
    case 'screening':
      add('vehicles_screened', event.data.vehicles);
      add('people_screened', event.data.people);
      add('temperature_checks', event.data.temperatureChecks ?? 0);
      break;
    case 'turnback':
      add('vehicles_turned_back', event.data.vehicles, event.data.reason ?? '');
      add('people_turned_back', event.data.people, event.data.reason ?? '');
      break;
    case 'fever':
      add('fever_cases', event.data.people, event.data.disposition);
      break;
    case 'quarantine.started':
      add('quarantine_started', 1, event.data.reason);
      add('quarantine_active', 1);
      break;
    case 'quarantine.ended':
      add('quarantine_ended', 1, event.data.outcome);
      add('quarantine_active', -1);
      break;
    case 'sweep': {
      const hubei = event.data.returneesFromHubei ?? 0;
      add('households_swept', event.data.households);
      add('people_swept', event.data.people);
      add('returnees_found', hubei, 'hubei');
      add('returnees_found', event.data.returnees - hubei, event.data.returneesFromHubei === undefined ? '' : 'other');
      break;
    }
    case 'donation':
      add('donations', 1, event.data.donorType);
      add(donatedMetricName(event.data.item, event.data.unit), event.data.quantity, event.data.donorType);
      break;
    case 'deployment':
      add('people_deployed', event.data.people, event.data.role);
      break;
    case 'incident':
      add('incidents', 1, event.data.kind);
      break;
    case 'resumption':
      add('enterprises_resumed', event.data.enterprises);
      add('employees_returned', event.data.employees);
      break;
    case 'supplies.issued':
      add(issuedMetricName(event.data.item, event.data.unit), event.data.quantity);
      break;
    case 'publicity':
      add(publicityMetricName(event.data.kind), event.data.quantity);
      break;
    case 'gathering.stopped':
      add('gatherings_stopped', 1, event.data.kind);
      break;
    case 'discipline.talk':
      if (event.data.subject === 'party_organization') add('talks_organizations', event.data.count);
      else add('talks_people', event.data.count, event.data.subject);
      break;
    case 'void':
      // A void adds nothing itself; the consumer retracts its target's contributions.
      break;
    default: {
      const unreachable: never = event;
      throw new Error(`no contributions defined for ${(unreachable as { type: string }).type}`);
    }
  }
  return out;
}
