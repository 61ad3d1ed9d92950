/**
 * answerCache through a tiny app with a real KeyStore (records in an array,
 * as edge's auth tests keep them): what is kept, for how long and how much.
 * The whole server path is packages/server/test/answer-cache.test.ts.
 */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { handleError, KeyStore, requireRole, type AuthEnv } from '@cordon/edge';
import { answerCache, type AnswerCacheOptions } from './answer-cache.ts';

const key = 'unit-admin-key';
const auth = { headers: { authorization: `Bearer ${key}` } };

function tinyApp(options: Partial<AnswerCacheOptions> = {}) {
  const keys = new KeyStore({ append: async () => undefined }, { bootstrapKey: key });
  let epoch = 0;
  let clock = 0;
  let computed = 0;
  const stats = { hit: 0, miss: 0 };
  const cache = answerCache({ keys, position: () => String(epoch), now: () => clock, observe: (result) => stats[result]++, ...options });
  const app = new Hono<AuthEnv>();
  app.onError(handleError(() => undefined));
  app.use('/figure/*', cache);
  app.get('/figure/:size', requireRole(keys, 'read'), (c) => {
    computed++;
    return c.text('x'.repeat(Number(c.req.param('size'))) + `#${computed}`);
  });
  return {
    app,
    stats,
    computed: () => computed,
    write: () => epoch++,
    tick: (ms: number) => (clock += ms),
  };
}

describe('answerCache', () => {
  it('gives a kept answer until the position moves, then computes it again', async () => {
    const t = tinyApp();
    expect(await (await t.app.request('/figure/3', auth)).text()).toBe('xxx#1');
    expect(await (await t.app.request('/figure/3', auth)).text()).toBe('xxx#1');
    t.write();
    expect(await (await t.app.request('/figure/3', auth)).text()).toBe('xxx#2');
    expect(t.stats).toEqual({ hit: 1, miss: 2 });
  });

  it('keeps an answer at most maxAgeMs, even with no write', async () => {
    const t = tinyApp({ maxAgeMs: 1_000 });
    await t.app.request('/figure/1', auth);
    t.tick(1_000);
    expect(await (await t.app.request('/figure/1', auth)).text()).toBe('x#1');
    t.tick(1);
    expect(await (await t.app.request('/figure/1', auth)).text()).toBe('x#2');
  });

  it('keeps no answer larger than maxBodyBytes, and drops the oldest past maxTotalBytes or maxEntries', async () => {
    const t = tinyApp({ maxBodyBytes: 100, maxTotalBytes: 250, maxEntries: 3 });
    await t.app.request('/figure/200', auth);
    await t.app.request('/figure/200', auth);
    expect(t.computed()).toBe(2);
    // 98 + "#n" is 100 bytes: two fit in 250, the third pushes the first out.
    for (const size of [98, 97, 96]) await t.app.request(`/figure/${size}`, auth);
    expect(t.computed()).toBe(5);
    await t.app.request('/figure/97', auth);
    await t.app.request('/figure/96', auth);
    expect(t.computed()).toBe(5);
    await t.app.request('/figure/98', auth);
    expect(t.computed()).toBe(6);
    // Small answers: the entry count bounds them.
    const u = tinyApp({ maxEntries: 2 });
    for (const size of [1, 2, 3, 2, 3, 1]) await u.app.request(`/figure/${size}`, auth);
    expect(u.computed()).toBe(4);
  });

  it('keeps no refusal: an unknown key is refused each time, and nothing is kept for it', async () => {
    const t = tinyApp();
    for (let i = 0; i < 2; i++) {
      expect((await t.app.request('/figure/1', { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    }
    expect(t.stats).toEqual({ hit: 0, miss: 2 });
  });
});
