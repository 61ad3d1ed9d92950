import { z } from 'zod';
import { storableText } from './text.ts';

/**
 * The event contract (CONTRACT.md "Events"). Every event type's `data` is a
 * strict object: an unknown field is an error, so a typo in a field app never
 * silently drops a figure.
 */

const count = z.number().int('must be a whole number').nonnegative('must not be negative').max(100_000_000);
const quantity = z.number().nonnegative('must not be negative').finite().max(1e12);
/** Names and labels: one line (they become breakdown keys, CSV cells, bulletin lines). */
const label = storableText({ max: 200 });
/** Prose a person types (why a site closed, why an event is withdrawn): line breaks allowed. */
const prose = storableText({ max: 1000, multiline: true });
/**
 * A pseudonymous id. Its ASCII pattern is stricter than storable text (no
 * surrogate or control character can pass it), and it is the one pattern the
 * OpenAPI document can show for the field.
 */
const subject = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._:-]+$/, 'must be a pseudonymous id (letters, digits, . _ : -), never a name');

export const siteKinds = ['road_checkpoint', 'community_gate', 'highway_service_area', 'monitoring_point', 'grid_cell', 'other'] as const;
export const feverDispositions = ['referred', 'isolated', 'released', 'other'] as const;
export const quarantineReasons = ['returnee_hubei', 'returnee_other', 'close_contact', 'other'] as const;
export const quarantineOutcomes = ['released', 'hospitalized', 'transferred', 'other'] as const;
export const donorTypes = ['party_member', 'resident', 'company', 'organization', 'government', 'anonymous'] as const;
export const donationItems = [
  'masks',
  'disinfectant',
  'sprayers',
  'protective_suits',
  'goggles',
  'thermometers',
  'soap',
  'food',
  'vegetables',
  'cash',
  'other',
] as const;
export const donationUnits = ['piece', 'kg', 'barrel', 'set', 'box', 'cny'] as const;
export const deploymentRoles = ['party_member', 'cadre', 'militia', 'volunteer', 'medical', 'police'] as const;
export const incidentKinds = ['checkpoint_breach', 'refused_check', 'assault', 'other'] as const;
export const incidentOutcomes = ['warned', 'detained', 'fined', 'referred', 'other'] as const;
/**
 * Supplies the town or village hands out to people and units (累计发放口罩7000个),
 * kept apart from donations received: the same mask is counted once coming
 * in (donation) and once going out (supplies.issued), never summed together.
 */
export const supplyItems = [
  'masks',
  'thermometers',
  'disinfectant',
  'protective_suits',
  'goggles',
  'sprayers',
  'soap',
  'clothing',
  'food',
  'other',
] as const;
export const supplyUnits = ['piece', 'kg', 'barrel', 'set', 'box'] as const;
/** Publicity output (出黑板报50期、悬挂宣传横幅350条…); each kind has its own unit, so kinds are never summed. */
export const publicityKinds = ['blackboard', 'banner', 'notice', 'initiative_letter', 'brochure', 'leaflet', 'vehicle', 'other'] as const;
/** Gatherings stopped (制止红白喜事聚众操办); family_ceremony is 红白喜事, a wedding or a funeral. */
export const gatheringKinds = ['family_ceremony', 'banquet', 'market', 'religious', 'other'] as const;
/** Who a disciplinary talk (约谈) was held with: a village party organisation, or people. */
export const talkSubjects = ['party_organization', 'village_leader', 'town_cadre', 'other'] as const;

export const eventDataSchemas = {
  'site.registered': z.strictObject({ name: label, kind: z.enum(siteKinds) }),
  'site.closed': z.strictObject({ reason: prose.optional() }),
  shift: z
    .strictObject({
      staff: count,
      partyMembers: count.optional(),
      militia: count.optional(),
      volunteers: count.optional(),
      hours: z
        .number()
        .positive()
        .max(24 * 7)
        .optional(),
    })
    .refine((d) => (d.partyMembers ?? 0) + (d.militia ?? 0) + (d.volunteers ?? 0) <= d.staff, {
      message: 'partyMembers + militia + volunteers must not exceed staff',
      path: ['staff'],
    }),
  screening: z.strictObject({ vehicles: count, people: count, temperatureChecks: count.optional() }),
  turnback: z.strictObject({ vehicles: count, people: count, reason: label.optional() }),
  fever: z.strictObject({ people: count, disposition: z.enum(feverDispositions) }),
  'quarantine.started': z.strictObject({
    subject,
    reason: z.enum(quarantineReasons),
    plannedDays: z.number().int().positive().max(365).optional(),
  }),
  'quarantine.ended': z.strictObject({
    subject,
    outcome: z.enum(quarantineOutcomes),
  }),
  sweep: z
    .strictObject({ households: count, people: count, returnees: count, returneesFromHubei: count.optional() })
    .refine((d) => (d.returneesFromHubei ?? 0) <= d.returnees, {
      message: 'returneesFromHubei must not exceed returnees',
      path: ['returneesFromHubei'],
    }),
  donation: z.strictObject({
    donorType: z.enum(donorTypes),
    donor: label.optional(),
    item: z.enum(donationItems),
    quantity,
    unit: z.enum(donationUnits),
    label: label.optional(),
  }),
  deployment: z.strictObject({ role: z.enum(deploymentRoles), people: count }),
  incident: z.strictObject({ kind: z.enum(incidentKinds), outcome: z.enum(incidentOutcomes) }),
  resumption: z.strictObject({ enterprises: count, employees: count }),
  'supplies.issued': z
    .strictObject({
      item: z.enum(supplyItems),
      quantity,
      unit: z.enum(supplyUnits),
      recipient: label.optional(),
      label: label.optional(),
    })
    .describe(
      `Beyond CONTRACT.md's table (an extension, issue 8): supplies handed out to people and units (累计发放口罩7000个), not donations received; metrics issued:<item>:<unit>`,
    ),
  publicity: z
    .strictObject({ kind: z.enum(publicityKinds), quantity: count, label: label.optional() })
    .describe(
      `Beyond CONTRACT.md's table (an extension, issue 8): publicity output (出黑板报50期、悬挂宣传横幅350条); one metric per kind, publicity:<kind>, each in its own unit`,
    ),
  'gathering.stopped': z
    .strictObject({ kind: z.enum(gatheringKinds), people: count.optional() })
    .describe(
      `Beyond CONTRACT.md's table (an extension, issue 8): a gathering stopped (制止红白喜事聚众操办; family_ceremony is a wedding or funeral); metric gatherings_stopped`,
    ),
  'discipline.talk': z
    .strictObject({ subject: z.enum(talkSubjects), count: count.min(1, 'must be at least 1') })
    .describe(
      `Beyond CONTRACT.md's table (an extension, issue 8): disciplinary talks (约谈) with \`count\` party organisations or people of one kind; metrics talks_organizations and talks_people`,
    ),
  void: z.strictObject({ target: z.uuid().transform((s) => s.toLowerCase()), reason: prose }),
} as const;

export type EventType = keyof typeof eventDataSchemas;
export const eventTypes = Object.keys(eventDataSchemas) as EventType[];

/** Site events need a site: they are what makes a site exist. */
const siteRequired: ReadonlySet<EventType> = new Set(['site.registered', 'site.closed']);

/**
 * Six digits (county and above), nine (town) or twelve (village), in the
 * syntax parseRegionCode (@cordon/regions) accepts, so that the document
 * promises no code the registry would refuse by its form: a province part
 * other than 00, and a city part other than 00 except in a province's own
 * PP0000 (a county part 00 is a city, or the county of a town in 东莞市 441900003).
 */
export const regionCodeSchema = z
  .string()
  .regex(/^(?:0[1-9]|[1-9]\d)(?:0000|(?:0[1-9]|[1-9]\d)\d{2}(?:\d{3}|\d{6})?)$/, 'must be a 6, 9 or 12 digit region code');

export const siteIdSchema = storableText({ max: 128 });

/** An instant with an explicit offset, on a real calendar date (no 2月30日). */
export const instantSchema = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time with an offset, e.g. 2020-02-13T08:00:00+08:00' })
  // The format already rejects impossible dates (2020-02-30); these bound the range.
  .refine((s) => !(Date.parse(s) < Date.UTC(2000, 0, 1)), 'must not be before 2000')
  .refine((s) => !(Date.parse(s) > Date.now() + 24 * 3600_000), 'must not be more than a day in the future');

const envelopeFields = {
  id: z.uuid('must be a UUID').transform((s) => s.toLowerCase()),
  occurredAt: instantSchema,
  region: regionCodeSchema,
  site: siteIdSchema.optional(),
  source: storableText({ min: 0, max: 128 }).optional(),
};

function eventSchemaOf<T extends EventType>(type: T) {
  return z.strictObject({ ...envelopeFields, type: z.literal(type), data: eventDataSchemas[type] }).meta({
    id: `${type
      .split('.')
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join('')}Event`,
  });
}

// The union of each type's schema (not the schema of a generic type), so
// that what the union infers is discriminated on `type`.
type EventSchemaOf = { [T in EventType]: ReturnType<typeof eventSchemaOf<T>> }[EventType];
const eventSchemas = eventTypes.map((t) => eventSchemaOf(t)) as EventSchemaOf[];

/**
 * One event as sent by a field app. Validated on its own: a bad event is
 * rejected with its paths, the rest of the batch still lands.
 */
export const eventSchema = z
  .discriminatedUnion('type', eventSchemas as [EventSchemaOf, ...EventSchemaOf[]], {
    error: (issue) => (issue.code === 'invalid_union' ? `must be one of: ${eventTypes.join(', ')}` : undefined),
  })
  .superRefine((e, ctx) => {
    if (siteRequired.has(e.type) && e.site === undefined) {
      ctx.addIssue({ code: 'custom', path: ['site'], message: `is required for ${e.type}` });
    }
  })
  .meta({ id: 'Event', description: 'One event as a field app sends it; `type` decides the shape of `data`' });

/** A validated event, discriminated on `type`. */
export type CordonEvent = z.output<typeof eventSchema>;
export type EventOf<T extends EventType> = Extract<CordonEvent, { type: T }>;
/** What a sender writes (before defaults and normalisation). */
export type CordonEventInput = z.input<typeof eventSchema>;

/**
 * What travels through the event log: the validated event plus when ingest
 * acknowledged it (the basis of `asOf` and of `knownAt`), and the region the
 * sending key was limited to. The consumer needs the scope where a void meets
 * a target that arrived after it (ingest could not judge it then). Absent:
 * an unscoped key, or an envelope written before the field existed; both
 * void anywhere, as they always did.
 */
export const logEnvelopeSchema = z.object({
  v: z.literal(1),
  receivedAt: z.iso.datetime(),
  scope: regionCodeSchema.optional(),
  event: eventSchema,
});
export type LogEnvelope = z.output<typeof logEnvelopeSchema>;
