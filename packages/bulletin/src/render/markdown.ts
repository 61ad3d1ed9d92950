import type { Block } from './document.ts';

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** The blocks as Markdown; the chart is an image link to `chartFile` (written beside the .md). */
export function toMarkdown(blocks: readonly Block[], chartFile: string): string {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'title':
        out.push(`# ${b.text}`);
        break;
      case 'meta':
        out.push(b.parts.join(' | '));
        break;
      case 'heading':
        out.push(`## ${b.text}`);
        break;
      case 'paragraph':
        out.push(b.text);
        break;
      case 'list':
        out.push(b.items.map((i) => `- ${i}`).join('\n'));
        break;
      case 'table':
        out.push(
          [
            `| ${b.head.map(cell).join(' | ')} |`,
            `|${b.numeric.map((n) => (n ? ' ---: ' : ' --- ')).join('|')}|`,
            ...b.rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
          ].join('\n'),
        );
        break;
      case 'chart':
        out.push(`![${b.title}](${chartFile})`);
        break;
      default: {
        const unreachable: never = b;
        throw new Error(`unknown block ${JSON.stringify(unreachable)}`);
      }
    }
  }
  return out.join('\n\n') + '\n';
}
