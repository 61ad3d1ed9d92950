import { readDemoEvents, demoRegions } from '@cordon/demo';
import type { ImportSummary } from '@cordon/schemas';
import type { CordonRuntime } from './runtime.ts';

/**
 * Loads the demo data set through the ingest route, exactly as a field app
 * would send it, then waits until it is all counted. Event ids are fixed, so
 * loading twice reports duplicates and changes no figure.
 */
export async function loadDemo(runtime: CordonRuntime, options: { waitForCounted?: boolean } = {}) {
  const app = runtime.app;
  if (!app) throw new Error('the demo needs a process that serves ingest');
  let regions = 0;
  for (const region of demoRegions()) {
    if (!runtime.regions.has(region.code)) {
      await runtime.customRegions.save(runtime.regions.add(region));
      regions++;
    }
  }
  const { key } = await runtime.keys.create({ name: 'demo loader', role: 'admin' });
  const total = { accepted: 0, duplicates: 0, rejected: 0 };
  let chunk: unknown[] = [];
  const flush = async () => {
    if (chunk.length === 0) return;
    const response = await app.request('/v1/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(chunk),
    });
    if (response.status !== 200) throw new Error(`loading the demo failed: ${response.status} ${await response.text()}`);
    const summary = (await response.json()) as ImportSummary;
    total.accepted += summary.accepted;
    total.duplicates += summary.duplicates;
    total.rejected += summary.rejected;
    chunk = [];
  };
  for await (const event of readDemoEvents()) {
    chunk.push(event);
    if (chunk.length === 5000) await flush();
  }
  await flush();
  await runtime.keys.revoke(key.split('_')[1] ?? '');
  if (options.waitForCounted !== false) await runtime.settled();
  return { ...total, regions };
}
