import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { completeEvent } from './events.ts';
import { createFileQueueStore } from './node.ts';

const path = () => join(mkdtempSync(join(tmpdir(), 'cordon-queue-')), 'sub', 'queue.ndjson');
const event = (people: number) => completeEvent({ type: 'screening', region: '410184', data: { vehicles: 0, people } });

describe('createFileQueueStore', () => {
  it('keeps appended events across reopenings until they are removed, in order', async () => {
    const file = path();
    const [a, b, c] = [event(1), event(2), event(3)];
    const first = createFileQueueStore({ path: file });
    expect(await first.load()).toEqual([]);
    await first.append([a, b]);
    await first.append([c]);
    await first.remove([b.id]);
    await first.close?.();

    const second = createFileQueueStore({ path: file });
    expect(await second.load()).toEqual([a, c]);
    await second.remove([a.id, c.id]);
    expect(readFileSync(file, 'utf8')).toBe('');
    expect(await createFileQueueStore({ path: file }).load()).toEqual([]);
  });

  it('drops a torn last line (an append that never resolved)', async () => {
    const file = path();
    const store = createFileQueueStore({ path: file });
    await store.load();
    const kept = event(5);
    await store.append([kept]);
    await store.close?.();
    appendFileSync(file, '{"add":[{"id":"torn","type":"scr');
    expect(await createFileQueueStore({ path: file }).load()).toEqual([kept]);
    // Loading compacted it away.
    expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify({ add: [kept] })}\n`);
  });

  it('compacts after compactAfter removals', async () => {
    const file = path();
    const store = createFileQueueStore({ path: file, compactAfter: 2 });
    await store.load();
    const events = [event(1), event(2), event(3), event(4)];
    await store.append(events);
    await store.remove([events[0]!.id]);
    await store.remove([events[1]!.id]);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(1);
    expect(await createFileQueueStore({ path: file }).load()).toEqual(events.slice(2));
  });
});
