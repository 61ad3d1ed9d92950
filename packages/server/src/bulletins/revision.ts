import type { BulletinFiles } from './store.ts';

/**
 * What makes a revision (修订): the figures of a bulletin regenerated now
 * against those of its latest published revision. Pure functions, so the
 * schedule's rule "a revision only when a figure changed" is tested as data.
 */

export interface FigureChange {
  /** Where the figure sits in the bulletin's JSON, e.g. `headline.people_screened.cumulative`. */
  path: string;
  from: FigureValue;
  to: FigureValue;
}
/** null is 无数据 (a metric with no events at all), as the bulletin writes it. */
export type FigureValue = number | string | boolean | null;

/**
 * Keys that say when a bulletin was made rather than what it says: they
 * differ at every regeneration and are no reason for a revision.
 */
const provenanceKeys = new Set(['asOf', 'knownAt', 'generatedAt', 'revision', 'revisionOf', 'revisions']);

export function flattenFigures(value: unknown, prefix = '', out = new Map<string, FigureValue>()): Map<string, FigureValue> {
  if (value === null || typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') {
    out.set(prefix, value);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => flattenFigures(item, `${prefix}[${keyOf(item) ?? i}]`, out));
  } else if (typeof value === 'object' && value !== undefined) {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      if (provenanceKeys.has(key)) continue;
      flattenFigures(child, prefix ? `${prefix}.${key}` : key, out);
    }
  }
  return out;
}

/**
 * Array items with an identity (a town's code, a site id, a metric name) are
 * addressed by it, so a town that appears in the list does not make every
 * town after it look changed.
 */
function keyOf(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const record = item as Record<string, unknown>;
  for (const key of ['code', 'site', 'id', 'metric', 'name', 'day', 'date']) {
    const v = record[key];
    if (typeof v === 'string' || typeof v === 'number') return String(v);
  }
  return undefined;
}

/** Every figure that differs between two bulletin JSON documents, in the order of the newer one (then the removed ones). */
export function figureChanges(published: unknown, regenerated: unknown): FigureChange[] {
  const before = flattenFigures(published);
  const after = flattenFigures(regenerated);
  const changes: FigureChange[] = [];
  for (const [path, to] of after) {
    const from = before.has(path) ? before.get(path)! : null;
    if (!before.has(path) || from !== to) changes.push({ path, from, to });
  }
  for (const [path, from] of before) if (!after.has(path)) changes.push({ path, from, to: null });
  return changes;
}

export interface RevisionNote {
  /** 1 for the first revision. */
  number: number;
  date: string;
  /** The revision this one replaces (0: the original) and the knownAt it was made at. */
  replaces: { revision: number; knownAt: string | null };
  knownAt: string;
  changes: FigureChange[];
}

/**
 * A regenerated bulletin marked as a revision: 修订 in the title, and a
 * section right under it listing each changed figure, from what to what.
 * The generator renders the bulletin itself; this only adds the revision
 * note, so an original and its revision differ exactly there and in the
 * figures.
 */
export function markRevision(files: BulletinFiles, note: RevisionNote): BulletinFiles {
  const title = `（修订${note.number}）`;
  const md = revisionMarkdown(note);
  const markdown = /^# .*$/m.test(files.markdown)
    ? files.markdown.replace(/^(# .*)$/m, (line) => `${line}${title}\n\n${md.trimEnd()}`)
    : `${md}\n${files.markdown}`;
  let html = files.html.replace(/<title>([^<]*)<\/title>/, (_, t: string) => `<title>${t}${title}</title>`);
  const section = revisionHtml(note);
  html = /<h1[^>]*>[\s\S]*?<\/h1>/.test(html)
    ? html.replace(
        /(<h1[^>]*>)([\s\S]*?)(<\/h1>)/,
        (_, open: string, text: string, close: string) => `${open}${text}${title}${close}\n${section}`,
      )
    : html.replace(/<body[^>]*>/, (body) => `${body}\n${section}`);
  const json =
    typeof files.json === 'object' && files.json !== null && !Array.isArray(files.json)
      ? { ...(files.json as Record<string, unknown>), revision: { number: note.number, replaces: note.replaces, changes: note.changes } }
      : { bulletin: files.json, revision: { number: note.number, replaces: note.replaces, changes: note.changes } };
  return { ...files, markdown, html, json };
}

const shown = (v: FigureValue) => (v === null ? '无数据' : String(v));

function revisionMarkdown(note: RevisionNote): string {
  const rows = note.changes.map((c) => `| ${c.path} | ${shown(c.from)} | ${shown(c.to)} |`).join('\n');
  return (
    `## 修订说明\n\n` +
    `本期为第${note.number}次修订：${note.replaces.revision === 0 ? '原版' : `第${note.replaces.revision}次修订`}发布后收到迟报数据，下列数字有变化（数据截至 ${note.knownAt}）。\n\n` +
    `| 项目 | 原数 | 现数 |\n|---|---:|---:|\n${rows}\n`
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function revisionHtml(note: RevisionNote): string {
  const rows = note.changes
    .map((c) => `<tr><td>${escapeHtml(c.path)}</td><td>${escapeHtml(shown(c.from))}</td><td>${escapeHtml(shown(c.to))}</td></tr>`)
    .join('');
  return (
    `<section class="revision"><h2>修订说明</h2>` +
    `<p>本期为第${note.number}次修订：${note.replaces.revision === 0 ? '原版' : `第${note.replaces.revision}次修订`}发布后收到迟报数据，下列数字有变化（数据截至 ${escapeHtml(note.knownAt)}）。</p>` +
    `<table><thead><tr><th>项目</th><th>原数</th><th>现数</th></tr></thead><tbody>${rows}</tbody></table></section>`
  );
}
