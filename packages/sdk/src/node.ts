/**
 * `@cordon/sdk/node`: what only Node has. The browser entry (`@cordon/sdk`)
 * never imports this file.
 */
import { mkdir, open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { QueueStore } from './sender.ts';
import type { CordonEvent } from './types.ts';

export interface FileQueueStoreOptions {
  /** The journal file; its folder is created when missing. */
  path: string;
  /** Rewrite the journal once it holds this many removal lines. Default 1,000. */
  compactAfter?: number;
}

type Line = { add: CordonEvent[] } | { del: string[] };

/**
 * A queue that survives restarts: an append-only journal of NDJSON lines,
 * `{"add":[events]}` and `{"del":[ids]}`, each written with one write and
 * fdatasync'd before `append`/`remove` resolve. A crash can only tear the
 * last line, which loading drops (its `append` never resolved, so nobody
 * counted on it). Loading rewrites the journal compactly (temporary file,
 * fsync, rename); so does a removal that empties the queue or passes
 * `compactAfter`. One process at a time: the journal takes no lock.
 */
export function createFileQueueStore(options: FileQueueStoreOptions): QueueStore {
  const { path } = options;
  const compactAfter = options.compactAfter ?? 1_000;
  const events = new Map<string, CordonEvent>();
  let handle: FileHandle | undefined;
  let removals = 0;
  // Writes go one after the other, so lines never interleave.
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work);
    tail = run.catch(() => undefined);
    return run;
  };

  async function writeLine(line: Line) {
    handle ??= await open(path, 'a');
    await handle.write(`${JSON.stringify(line)}\n`);
    await handle.datasync();
  }

  async function compact() {
    await handle?.close();
    handle = undefined;
    const tmp = `${path}.tmp`;
    const out = await open(tmp, 'w');
    try {
      if (events.size > 0) await out.write(`${JSON.stringify({ add: [...events.values()] } satisfies Line)}\n`);
      await out.sync();
    } finally {
      await out.close();
    }
    await rename(tmp, path);
    await syncDir(dirname(path));
    removals = 0;
  }

  return {
    load: () =>
      serial(async () => {
        await mkdir(dirname(path), { recursive: true });
        events.clear();
        let text = '';
        try {
          text = await readFile(path, 'utf8');
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
        for (const raw of text.split('\n')) {
          if (raw.trim() === '') continue;
          let line: Line;
          try {
            line = JSON.parse(raw) as Line;
          } catch {
            continue; // a torn last line: its append never resolved
          }
          if ('add' in line) for (const event of line.add) events.set(event.id, event);
          else for (const id of line.del) events.delete(id);
        }
        await compact();
        return [...events.values()];
      }),
    append: (added) =>
      serial(async () => {
        if (added.length === 0) return;
        await writeLine({ add: [...added] });
        for (const event of added) events.set(event.id, event);
      }),
    remove: (ids) =>
      serial(async () => {
        const present = ids.filter((id) => events.has(id));
        if (present.length === 0) return;
        for (const id of present) events.delete(id);
        removals++;
        if (events.size === 0 || removals >= compactAfter) await compact();
        else await writeLine({ del: present });
      }),
    close: () =>
      serial(async () => {
        await handle?.close();
        handle = undefined;
      }),
  };
}

/** A rename is durable once its folder is synced (where the platform allows opening one). */
async function syncDir(dir: string) {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // Windows cannot open a folder; the rename is still atomic there.
  } finally {
    await fh?.close();
  }
}

export type { QueueStore } from './sender.ts';
