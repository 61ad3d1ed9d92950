import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The bulletins folder, `<CORDON_DATA_DIR>/bulletins/<region>/`:
 *
 *   2020-02-13.md  .html  .json  (.svg)       the bulletin as published
 *   2020-02-13.r1.md  .r1.html  .r1.json ...   revision 1 (修订), beside it
 *
 * The `.json` of a revision is its commit mark: it is written last, and only
 * with `link()`, which fails when the name exists. So a revision exists once
 * its JSON does; a crash before that leaves files nobody lists or serves,
 * which the next run writes over; and a published file is never replaced.
 */

/** The files of one bulletin (or of one revision of it). */
export interface BulletinFiles {
  markdown: string;
  html: string;
  /** The bulletin's figures document, written as formatted JSON. */
  json: unknown;
  /** The chart, when the generator draws one. */
  svg?: string | undefined;
}

export const bulletinFormats = { markdown: 'md', html: 'html', json: 'json', svg: 'svg' } as const;
export type BulletinFormat = keyof typeof bulletinFormats;

export interface StoredBulletin {
  region: string;
  date: string;
  /** 0 for the original, then 1, 2, ... in order. */
  revisions: number[];
  /** Formats written for each revision (svg only when the generator drew a chart). */
  formats: Record<number, BulletinFormat[]>;
}

const jsonName = /^(\d{4}-\d{2}-\d{2})(?:\.r([1-9]\d*))?\.json$/;
const regionName = /^\d{6}(?:\d{3}(?:\d{3})?)?$/;

export function bulletinFileName(date: string, revision: number, format: BulletinFormat): string {
  return `${date}${revision === 0 ? '' : `.r${revision}`}.${bulletinFormats[format]}`;
}

export class BulletinExistsError extends Error {
  constructor(readonly path: string) {
    super(`${path} is already published; a bulletin is never rewritten`);
  }
}

export interface BulletinStore {
  readonly root: string;
  /** Regions that have a folder, in code order. */
  regions(): Promise<string[]>;
  /** Every committed bulletin of a region, by date. */
  list(region: string): Promise<StoredBulletin[]>;
  /** One file of one revision, or null when it is not there (or not committed). */
  read(region: string, date: string, revision: number, format: BulletinFormat): Promise<string | null>;
  /** The stored time a revision was committed (its JSON's modification time). */
  committedAt(region: string, date: string, revision: number): Promise<Date | null>;
  /**
   * Writes one revision: every file to a temporary name, fsync'd, renamed
   * into place, the JSON last (with link(): EEXIST when it exists). Throws
   * BulletinExistsError when that revision is already published.
   */
  write(region: string, date: string, revision: number, files: BulletinFiles): Promise<void>;
}

export function createBulletinStore(root: string): BulletinStore {
  const folder = (region: string) => {
    // Paths are built from validated codes only; this guards the folder layout itself.
    if (!regionName.test(region)) throw new Error(`not a region code: ${region}`);
    return join(root, region);
  };

  async function list(region: string): Promise<StoredBulletin[]> {
    let names: string[];
    try {
      names = await readdir(folder(region));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const present = new Set(names);
    const byDate = new Map<string, StoredBulletin>();
    for (const name of names) {
      const match = jsonName.exec(name);
      if (!match) continue;
      const date = match[1]!;
      const revision = Number(match[2] ?? 0);
      const entry = byDate.get(date) ?? { region, date, revisions: [], formats: {} };
      entry.revisions.push(revision);
      entry.formats[revision] = (Object.keys(bulletinFormats) as BulletinFormat[]).filter((f) =>
        present.has(bulletinFileName(date, revision, f)),
      );
      byDate.set(date, entry);
    }
    const out = [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
    for (const entry of out) entry.revisions.sort((a, b) => a - b);
    return out;
  }

  async function read(region: string, date: string, revision: number, format: BulletinFormat): Promise<string | null> {
    const dir = folder(region);
    try {
      // Uncommitted files (no JSON yet) are not a bulletin.
      if (format !== 'json') await stat(join(dir, bulletinFileName(date, revision, 'json')));
      return await readFile(join(dir, bulletinFileName(date, revision, format)), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async function committedAt(region: string, date: string, revision: number): Promise<Date | null> {
    try {
      return (await stat(join(folder(region), bulletinFileName(date, revision, 'json')))).mtime;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async function write(region: string, date: string, revision: number, files: BulletinFiles): Promise<void> {
    const dir = folder(region);
    await mkdir(dir, { recursive: true });
    const commit = join(dir, bulletinFileName(date, revision, 'json'));
    if (await exists(commit)) throw new BulletinExistsError(commit);
    const parts: [BulletinFormat, string][] = [
      ['markdown', files.markdown],
      ['html', files.html],
      ...(files.svg === undefined ? [] : [['svg', files.svg] as [BulletinFormat, string]]),
    ];
    for (const [format, text] of parts) {
      const tmp = await writeTemp(dir, text);
      await rename(tmp, join(dir, bulletinFileName(date, revision, format)));
    }
    const tmp = await writeTemp(dir, `${JSON.stringify(files.json, null, 2)}\n`);
    try {
      await link(tmp, commit);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new BulletinExistsError(commit);
      throw error;
    } finally {
      await unlink(tmp);
    }
    await fsyncDir(dir);
  }

  async function regions(): Promise<string[]> {
    try {
      return (await readdir(root)).filter((name) => regionName.test(name)).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  return { root, regions, list, read, committedAt, write };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** A file with the text, flushed to disk, under a name no reader looks at. */
async function writeTemp(dir: string, text: string): Promise<string> {
  const path = join(dir, `.tmp-${randomBytes(6).toString('hex')}`);
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  return path;
}

/** Makes the renames themselves durable. */
async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
