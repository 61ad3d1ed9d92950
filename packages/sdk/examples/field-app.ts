/**
 * An integrating app (a township's checkpoint): queues the shift's events as
 * they happen and sends them in batches. The queue is a file, so events
 * recorded while the network is down wait there, survive a restart, and are
 * sent once the server answers again, each counted once (ids are fixed when
 * an event is queued).
 *
 *   CORDON_URL=http://127.0.0.1:8787 CORDON_API_KEY=ck_... npx tsx packages/sdk/examples/field-app.ts
 *
 * Optional: CORDON_REGION (410184), CORDON_SITE (xinzheng-north-checkpoint),
 * CORDON_QUEUE (./cordon-queue.ndjson).
 */
import { createClient, createEventSender } from '@cordon/sdk';
import { createFileQueueStore } from '@cordon/sdk/node';

const cordon = createClient({ baseUrl: process.env['CORDON_URL'] ?? 'http://127.0.0.1:8787', apiKey: required('CORDON_API_KEY') });
const region = process.env['CORDON_REGION'] ?? '410184';
const site = process.env['CORDON_SITE'] ?? 'xinzheng-north-checkpoint';

const sender = createEventSender({
  client: cordon,
  store: createFileQueueStore({ path: process.env['CORDON_QUEUE'] ?? 'cordon-queue.ndjson' }),
  flushEvery: 10_000, // send every 10 s…
  maxBatch: 200, //       …or as soon as 200 events wait
  onFlush: (report) => {
    if (report.error) console.error(`not sent yet (${report.error.kind}); ${report.pending} events wait in the queue`);
    for (const { event, errors } of report.rejected)
      console.error(`rejected ${event.id}: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`);
  },
});

// id and occurredAt are filled in (a UUID v7, now); everything else is typed from the API document.
await sender.add([
  { type: 'site.registered', region, site, data: { name: '新郑北卡口', kind: 'road_checkpoint' } },
  { type: 'shift', region, site, data: { staff: 6, partyMembers: 2, volunteers: 3, hours: 8 } },
  { type: 'screening', region, site, data: { vehicles: 120, people: 210, temperatureChecks: 210 } },
  { type: 'turnback', region, site, data: { vehicles: 9, people: 14, reason: 'non-essential travel' } },
]);
const [fever] = await sender.add({ type: 'fever', region, site, data: { people: 1, disposition: 'referred' } });
console.log(`queued; the fever report has id ${fever?.id}`);

// At the end of the shift: send what is queued (anything unsent stays in the file for next time).
const report = await sender.close();
console.log(
  `sent ${report?.sent.length ?? 0}: ${report?.summary.accepted ?? 0} accepted, ${report?.summary.duplicates ?? 0} duplicates, ${report?.summary.rejected ?? 0} rejected; ${report?.pending ?? 0} still queued`,
);

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name}`);
  return value;
}
