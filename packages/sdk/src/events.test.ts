import { describe, expect, it } from 'vitest';
import { completeEvent, localTimestamp, mergeSummaries, splitIntoBatches } from './events.ts';
import type { CordonEvent } from './types.ts';

const bytes = (events: CordonEvent[]) => new TextEncoder().encode(JSON.stringify(events)).length;

function event(i: number, source = ''): CordonEvent {
  return completeEvent({ type: 'screening', region: '410184', source: `${source}${i}`, data: { vehicles: i, people: i } });
}

describe('splitIntoBatches', () => {
  it('keeps every body within maxBytes, packs greedily, and keeps order', () => {
    const events = Array.from({ length: 300 }, (_, i) => event(i, i % 3 === 0 ? '检查站' : 'x'.repeat(i % 50)));
    for (const maxBytes of [400, 1_000, 4_096, 50_000]) {
      const batches = splitIntoBatches(events, { maxEvents: 5000, maxBytes });
      expect(batches.flatMap((b) => b.events)).toEqual(events);
      for (const [i, batch] of batches.entries()) {
        expect(bytes(batch.events)).toBeLessThanOrEqual(maxBytes);
        const next = batches[i + 1]?.events[0];
        if (next) expect(bytes([...batch.events, next])).toBeGreaterThan(maxBytes);
        expect(batch.start).toBe(events.indexOf(batch.events[0]!));
      }
    }
  });

  it('keeps every request within maxEvents', () => {
    const events = Array.from({ length: 11 }, (_, i) => event(i));
    expect(splitIntoBatches(events, { maxEvents: 5, maxBytes: 1e9 }).map((b) => [b.start, b.events.length])).toEqual([
      [0, 5],
      [5, 5],
      [10, 1],
    ]);
    expect(splitIntoBatches([], { maxEvents: 5, maxBytes: 1e9 })).toEqual([]);
  });

  it('sends an event larger than the limit alone', () => {
    const events = [event(1), event(2, 'x'.repeat(500)), event(3)];
    expect(splitIntoBatches(events, { maxEvents: 5000, maxBytes: 300 }).map((b) => b.events.length)).toEqual([1, 1, 1]);
  });
});

describe('mergeSummaries', () => {
  it('adds the counts and re-bases each error index to the caller array', () => {
    const error = (index: number) => ({ index, id: `id-${index}`, errors: [{ path: 'region', message: 'unknown' }] });
    expect(
      mergeSummaries([
        { start: 0, summary: { accepted: 4, duplicates: 0, rejected: 1, errors: [error(2)] } },
        { start: 5, summary: { accepted: 1, duplicates: 2, rejected: 2, errors: [error(0), error(4)] } },
      ]),
    ).toEqual({ accepted: 5, duplicates: 2, rejected: 3, errors: [error(2), { ...error(0), index: 5 }, { ...error(4), index: 9 }] });
  });
});

describe('completeEvent', () => {
  it('keeps a given id and time, fills missing ones, never mutates the input', () => {
    const input = { type: 'fever' as const, region: '410184', data: { people: 1, disposition: 'isolated' as const } };
    const filled = completeEvent(input, () => new Date('2020-02-13T00:00:00Z'));
    expect(input).not.toHaveProperty('id');
    expect(filled.id).toMatch(/^[0-9a-f-]{8}-[0-9a-f]{4}-7/);
    expect(Date.parse(filled.occurredAt)).toBe(Date.parse('2020-02-13T00:00:00Z'));
    expect(completeEvent({ ...input, id: 'mine', occurredAt: '2020-02-13T08:00:00+08:00' })).toMatchObject({
      id: 'mine',
      occurredAt: '2020-02-13T08:00:00+08:00',
    });
    expect(completeEvent({ ...input, id: undefined }).id).toEqual(expect.any(String));
  });

  it('writes the local time with its offset', () => {
    const at = new Date('2020-02-13T00:30:00Z');
    expect(Date.parse(localTimestamp(at))).toBe(at.getTime());
    expect(localTimestamp(at)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/);
  });
});
