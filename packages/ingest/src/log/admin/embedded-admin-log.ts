/**
 * The admin log on the embedded segment log, in `<data dir>/admin/`. The
 * process that first appends becomes its writer (it takes the folder's lock
 * and keeps it); every process tails the files, polling every `pollMs`.
 */
import { mkdir } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { adminRecordKey, adminRecordSchema, type AdminRecord } from '@cordon/schemas';
import type { Logger } from '../../logger.ts';
import { openEmbeddedLog, type EmbeddedEventLog } from '../embedded/embedded-log.ts';
import { SEGMENT_HEADER_BYTES } from '../embedded/format.ts';
import { listSegments, openSegmentForRead, readCommitted, segmentPath } from '../embedded/segment-reader.ts';
import type { AdminLog } from './admin-log.ts';

export async function createEmbeddedAdminLog(options: { dir: string; logger: Logger; pollMs: number }): Promise<AdminLog> {
  const { dir, logger, pollMs } = options;
  const segmentsDir = join(dir, 'segments');
  await mkdir(segmentsDir, { recursive: true });
  let writer: Promise<EmbeddedEventLog> | undefined;
  let cursor: { fh: FileHandle; base: bigint; pos: number; offset: bigint } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let reading: Promise<void> = Promise.resolve();

  /** Reads what was committed since the last read, across segments. */
  async function readNew(apply: (record: AdminRecord) => void): Promise<void> {
    for (;;) {
      const bases = await listSegments(segmentsDir);
      if (cursor === undefined) {
        const first = bases[0];
        if (first === undefined) return;
        cursor = { fh: await openSegmentForRead(segmentPath(segmentsDir, first)), base: first, pos: SEGMENT_HEADER_BYTES, offset: first };
      }
      const read = await readCommitted(cursor.fh, cursor, { maxRecords: Infinity, collect: true });
      for (const record of read.records) {
        const parsed = adminRecordSchema.safeParse(JSON.parse(record.value.toString('utf8')));
        if (parsed.success) apply(parsed.data);
        else logger.error({ offset: String(record.offset) }, 'admin log: unreadable record skipped');
      }
      cursor.pos = read.next.pos;
      cursor.offset = read.next.offset;
      const following = bases.find((b) => b > cursor!.base);
      if (following === undefined || read.records.length > 0) {
        if (following === undefined) return;
        continue;
      }
      await cursor.fh.close();
      cursor = {
        fh: await openSegmentForRead(segmentPath(segmentsDir, following)),
        base: following,
        pos: SEGMENT_HEADER_BYTES,
        offset: following,
      };
    }
  }

  return {
    kind: 'embedded',
    async append(record) {
      writer ??= openEmbeddedLog({ dir, logger });
      const log = await writer.catch((error: unknown) => {
        writer = undefined;
        throw error;
      });
      await log.append([{ key: adminRecordKey(record), value: Buffer.from(JSON.stringify(record)) }]);
    },
    async start(apply) {
      reading = readNew(apply);
      await reading;
      const tick = () => {
        if (closed) return;
        reading = readNew(apply)
          .catch((error: unknown) => logger.warn({ err: error }, 'admin log: reading failed; trying again'))
          .finally(() => {
            if (!closed) timer = setTimeout(tick, pollMs);
          });
      };
      timer = setTimeout(tick, pollMs);
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await reading.catch(() => undefined);
      await cursor?.fh.close().catch(() => undefined);
      cursor = undefined;
      const log = await writer?.catch(() => undefined);
      await log?.close();
    },
  };
}
