import { describe, expect, it } from 'vitest';
import { IDS_PER_QUERY, inIdChunks } from './id-chunks.ts';

describe('inIdChunks (a 20,000-event batch must not put 860 KB of ids in one URL)', () => {
  it('asks in pieces of at most IDS_PER_QUERY, in order, and joins the answers', async () => {
    const ids = Array.from({ length: 2 * IDS_PER_QUERY + 3 }, (_, i) => `id-${i}`);
    const asked: number[] = [];
    const answer = await inIdChunks(ids, async (chunk) => {
      asked.push(chunk.length);
      return chunk.filter((id) => id.endsWith('7'));
    });
    expect(asked).toEqual([IDS_PER_QUERY, IDS_PER_QUERY, 3]);
    expect(answer).toEqual(ids.filter((id) => id.endsWith('7')));
  });

  it('asks nothing for no ids', async () => {
    let calls = 0;
    expect(await inIdChunks([], async () => (calls++, ['x']))).toEqual([]);
    expect(calls).toBe(0);
  });
});
