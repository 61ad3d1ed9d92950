import { bodyLimit } from 'hono/body-limit';
import { eventsRoute, eventTypes, fieldErrorsOf, type CordonEvent, type ImportSummary, type LogEnvelope } from '@cordon/schemas';
import { createRouter, ProblemError, requireRole, validationProblem, type AuthEnv, type KeyStore } from '@cordon/edge';
import { LogUnavailableError, type EventLog } from '../log/event-log.ts';
import { encodeEnvelope } from '../log/envelope.ts';
import type { IdIndex } from '../id-index.ts';
import { noIngestMetrics, type IngestMetrics } from '../metrics.ts';
import { maxBodyBytes, parseEventsBody, type BodyItem } from './parse-body.ts';
import { validateEvents, type RegionLookup } from './validate-events.ts';
import type { VoidScopeCheck } from './void-scope.ts';

export interface EventsRouteDeps {
  log: EventLog;
  keys: KeyStore;
  regions: RegionLookup;
  ids: IdIndex;
  now?: () => Date;
  metrics?: IngestMetrics;
  /** Refuses voids of counted events outside the key's subtree (absent: not checked). */
  voidScope?: VoidScopeCheck;
}

/** Seconds a client should wait before retrying while the log is down. */
const retryAfterSeconds = 5;

/**
 * A void and its target go to the same partition, so the consumer sees them
 * in order within one partition and never decides them in two places at once.
 */
export function partitionKey(event: CordonEvent): string {
  return event.type === 'void' ? event.data.target : event.id;
}

export function createEventsRoute(deps: EventsRouteDeps) {
  const now = deps.now ?? (() => new Date());
  const metrics = deps.metrics ?? noIngestMetrics;
  const app = createRouter<AuthEnv>();
  // Documented from `eventsRoute`, but not validated by it as a whole: each
  // event is validated on its own so that one bad event never rejects the batch.
  app.openAPIRegistry.registerPath(eventsRoute);
  app.post(
    eventsRoute.path,
    requireRole(deps.keys, 'ingest'),
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: () => {
        throw new ProblemError('payload_too_large', `The body is larger than ${maxBodyBytes} bytes (5 MiB). Split it.`);
      },
    }),
    async (c) => {
      // The query is checked against the route's schema before the body is read:
      // a misspelt dryRun must never write what was meant as a trial.
      const query = eventsRoute.request.query.safeParse(c.req.query());
      if (!query.success) throw validationProblem(fieldErrorsOf(query.error.issues));
      const dryRun = query.data.dryRun === 'true';
      const items = parseEventsBody(new Uint8Array(await c.req.arrayBuffer()), c.req.header('content-type') ?? '');
      const checked = validateEvents(items, deps.regions, c.get('principal'));
      const scoped = deps.voidScope ? await deps.voidScope(checked.valid, c.get('principal')) : { valid: checked.valid, errors: [] };
      const valid = scoped.valid;
      const errors = [...checked.errors, ...scoped.errors];

      // The first occurrence of an id in the request is the one that counts.
      const firstIndex = new Map<string, number>();
      for (const { index, event } of valid) if (!firstIndex.has(event.id)) firstIndex.set(event.id, index);
      const unique = valid.filter(({ index, event }) => firstIndex.get(event.id) === index);

      const reservation = await deps.ids.reserve(unique.map(({ event }) => event.id));
      const fresh = new Set(reservation.fresh);
      const toWrite = unique.filter(({ event }) => fresh.has(event.id));
      let written = false;
      try {
        if (!dryRun && toWrite.length > 0) {
          const receivedAt = now().toISOString();
          // The key's scope travels with every event: the consumer judges a
          // void whose target arrives later by it (consumer/void-scope.ts).
          const region = c.get('principal').region;
          const scope = region === null ? {} : { scope: region };
          const started = performance.now();
          const seconds = () => (performance.now() - started) / 1000;
          await deps.log
            .append(
              toWrite.map(({ event }) => {
                const envelope: LogEnvelope = { v: 1, receivedAt, ...scope, event };
                return { key: partitionKey(event), value: encodeEnvelope(envelope) };
              }),
            )
            .then(
              () => metrics.logAppend(seconds(), true),
              (error: unknown) => {
                metrics.logAppend(seconds(), false);
                throw error;
              },
            );
          written = true;
        }
      } catch (error) {
        if (error instanceof LogUnavailableError) {
          throw new ProblemError(
            'unavailable',
            `The event log cannot take writes right now (${error.message}); nothing of this request was written. Retry later.`,
            {
              headers: { 'retry-after': String(retryAfterSeconds) },
            },
          );
        }
        throw error;
      } finally {
        reservation.settle(written);
      }

      if (!dryRun) {
        countByType(
          metrics,
          'accepted',
          toWrite.map(({ event }) => event.type),
        );
        const writtenIndexes = new Set(toWrite.map(({ index }) => index));
        countByType(
          metrics,
          'duplicate',
          valid.filter(({ index }) => !writtenIndexes.has(index)).map(({ event }) => event.type),
        );
        countByType(
          metrics,
          'rejected',
          errors.map(({ index }) => typeOf(items[index])),
        );
      }
      const summary: ImportSummary = {
        accepted: toWrite.length,
        duplicates: valid.length - toWrite.length,
        rejected: errors.length,
        errors: errors.sort((a, b) => a.index - b.index),
        ...(dryRun ? { dryRun: true } : {}),
      };
      return c.json(summary, 200);
    },
  );
  return app;
}

const knownTypes = new Set<string>(eventTypes);

/** The event type of a raw body item, if it names a known one: metric labels never take a client's value. */
function typeOf(item: BodyItem | undefined): string {
  const type = item?.ok && typeof item.value === 'object' && item.value !== null ? (item.value as { type?: unknown }).type : undefined;
  return typeof type === 'string' && knownTypes.has(type) ? type : 'invalid';
}

function countByType(metrics: IngestMetrics, outcome: 'accepted' | 'duplicate' | 'rejected', types: string[]) {
  const counts = new Map<string, number>();
  for (const type of types) counts.set(type, (counts.get(type) ?? 0) + 1);
  for (const [type, count] of counts) metrics.events(outcome, type, count);
}
