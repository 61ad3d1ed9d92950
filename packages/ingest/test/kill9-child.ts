/**
 * Child process of the kill -9 test: appends in a loop from a few concurrent
 * callers and prints each record id to stdout only after its append
 * resolved (stdout to a pipe is synchronous on Linux, so a printed id was
 * acknowledged before the line left the process).
 *
 *   node --import tsx kill9-child.ts <dir> <segmentBytes> <tag>
 */
import { openEmbeddedLog } from '../src/log/embedded/embedded-log.ts';

const [dir, segmentBytes, tag] = process.argv.slice(2);
if (dir === undefined || segmentBytes === undefined || tag === undefined) {
  process.stderr.write('usage: kill9-child.ts <dir> <segmentBytes> <tag>\n');
  process.exit(2);
}

const log = await openEmbeddedLog({ dir, segmentBytes: Number(segmentBytes) });
process.stdout.write('ready\n');

let seq = 0;
async function caller(worker: number): Promise<void> {
  for (;;) {
    const ids: string[] = [];
    const size = 1 + ((seq * 7 + worker) % 23);
    for (let i = 0; i < size; i++) ids.push(`${tag}-${worker}-${seq++}`);
    await log.append(ids.map((id) => ({ key: `w${worker}`, value: Buffer.from(JSON.stringify({ id, pad: 'x'.repeat(seq % 50) })) })));
    process.stdout.write(`${ids.join('\n')}\n`);
  }
}

await Promise.all([0, 1, 2, 3].map((worker) => caller(worker)));
