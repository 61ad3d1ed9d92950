/**
 * Every relative link in the repository's Markdown files must resolve to a
 * file or folder of a plain clone (`.ci/run` runs this; `npm run check:links`).
 * Web links and in-page anchors are not followed; a link's own #anchor is
 * cut before the path is checked.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.md'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((file) => file !== '' && existsSync(join(root, file)))
  // Expected outputs of tests (a bulletin's Markdown) link to files beside
  // where they are written, not beside the fixture: they are documents the
  // product makes, not documentation of the repository.
  .filter((file) => !/\/test\/(?:.+\/)?expected\//.test(file));

// [text](target "title") and reference definitions `[label]: target`, outside code.
const inline = /\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const reference = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/gm;

const dead: string[] = [];
for (const file of files) {
  const text = readFileSync(join(root, file), 'utf8')
    .replace(/^(```|~~~)[\s\S]*?^\1/gm, '') // fenced code
    .replace(/`[^`\n]*`/g, ''); // inline code
  for (const [, target] of [...text.matchAll(inline), ...text.matchAll(reference)]) {
    if (!target || /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
    const path = decodeURIComponent(target.split('#')[0]!.split('?')[0]!);
    const resolved = path.startsWith('/') ? join(root, path) : join(root, dirname(file), path);
    if (!resolved.startsWith(root)) dead.push(`${file}: ${target} (outside the repository)`);
    else if (!existsSync(resolved)) dead.push(`${file}: ${target}`);
  }
}
if (dead.length > 0) {
  console.error(`Dead relative links in Markdown (${dead.length}):\n${dead.map((d) => `  ${d}`).join('\n')}`);
  process.exit(1);
}
console.log(`Markdown links: ${files.length} files, every relative link resolves`);
