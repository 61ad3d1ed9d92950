/**
 * The types other packages use are the schemas' outputs, not copies kept
 * beside them (issue 11, item 6): these fail to compile when one drifts.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import {
  aggregateRowKeySchema,
  aggregatesAnswerSchema,
  eventSchema,
  logEnvelopeSchema,
  timeseriesAnswerSchema,
  type AggregateRow,
  type AggregatesAnswer,
  type CordonEvent,
  type EventOf,
  type Interval,
  type LogEnvelope,
  type MetricName,
  type TimeseriesAnswer,
} from './index.ts';

describe('types from the schemas', () => {
  it('CordonEvent is what eventSchema parses to, discriminated on type', () => {
    expectTypeOf<CordonEvent>().toEqualTypeOf<z.output<typeof eventSchema>>();
    expectTypeOf<EventOf<'screening'>['data']>().toEqualTypeOf<{
      vehicles: number;
      people: number;
      temperatureChecks?: number | undefined;
    }>();
    expectTypeOf<EventOf<'fever'>['type']>().toEqualTypeOf<'fever'>();
  });

  it('LogEnvelope is what logEnvelopeSchema parses to, and carries a CordonEvent', () => {
    expectTypeOf<LogEnvelope>().toEqualTypeOf<z.output<typeof logEnvelopeSchema>>();
    expectTypeOf<LogEnvelope['event']>().toEqualTypeOf<CordonEvent>();
  });

  it("AggregatesAnswer's row key is the schema's union, not any record of strings", () => {
    expectTypeOf<AggregatesAnswer>().toEqualTypeOf<z.output<typeof aggregatesAnswerSchema>>();
    expectTypeOf<AggregateRow['key']>().toEqualTypeOf<z.output<typeof aggregateRowKeySchema>>();
    expectTypeOf<{ day: string }>().toExtend<AggregateRow['key']>();
    expectTypeOf<{ dimension: string }>().not.toExtend<AggregateRow['key']>();
    expectTypeOf<AggregatesAnswer['metrics']>().toEqualTypeOf<MetricName[]>();
  });

  it('TimeseriesAnswer is what timeseriesAnswerSchema parses to', () => {
    expectTypeOf<TimeseriesAnswer>().toEqualTypeOf<z.output<typeof timeseriesAnswerSchema>>();
    expectTypeOf<TimeseriesAnswer['metric']>().toEqualTypeOf<MetricName>();
    expectTypeOf<TimeseriesAnswer['interval']>().toEqualTypeOf<Interval>();
  });
});
