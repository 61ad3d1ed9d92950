import { eventSchema, fieldErrorsOf, type CordonEvent, type FieldError, type ImportSummary } from '@cordon/schemas';
import type { Principal } from '@cordon/edge';
import type { BodyItem } from './parse-body.ts';

export interface RegionLookup {
  has(code: string): boolean;
  isWithin(code: string, ancestor: string): boolean;
}

export interface ValidatedBatch {
  /** Valid events with their position in the request. */
  valid: { index: number; event: CordonEvent }[];
  errors: ImportSummary['errors'];
}

/**
 * Validates each event on its own (partial success): schema, region in the
 * registry, region inside the key's subtree. A bad event never stops the good
 * ones of the same batch.
 */
export function validateEvents(items: readonly BodyItem[], regions: RegionLookup, principal: Principal): ValidatedBatch {
  const valid: ValidatedBatch['valid'] = [];
  const errors: ImportSummary['errors'] = [];
  items.forEach((item, index) => {
    if (!item.ok) {
      errors.push({ index, id: null, errors: [{ path: '(line)', message: item.message }] });
      return;
    }
    const id = readId(item.value);
    const parsed = eventSchema.safeParse(item.value);
    if (!parsed.success) {
      errors.push({ index, id, errors: fieldErrorsOf(parsed.error.issues) });
      return;
    }
    const event = parsed.data;
    const problems: FieldError[] = [];
    if (!regions.has(event.region)) {
      problems.push({ path: 'region', message: `${event.region} is not in the region registry (an admin can add it: POST /v1/regions)` });
    } else if (principal.region && !regions.isWithin(event.region, principal.region)) {
      problems.push({ path: 'region', message: `${event.region} is outside this key's region ${principal.region}` });
    }
    if (problems.length > 0) errors.push({ index, id: event.id, errors: problems });
    else valid.push({ index, event });
  });
  return { valid, errors };
}

function readId(value: unknown): string | null {
  const id = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id.slice(0, 100) : null;
}
