import { chartFontFamily } from '@cordon/charts';
import type { BulletinLang } from '../figures.ts';
import type { Block } from './document.ts';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Printable, self-contained and well-formed (it parses as XML too): inline
 * CSS, system fonts only, the chart's SVG inline. Laid out like a county
 * office's 红头 bulletin: red title, red rule, issue line, numbered sections.
 */
const css = `
@page { size: A4; margin: 18mm 16mm; }
* { box-sizing: border-box; }
body { margin: 0; background: #f3f1ec; color: #1a1a1a; font-family: ${chartFontFamily}; font-size: 15px; line-height: 1.75; }
main { max-width: 210mm; margin: 16px auto; background: #fff; padding: 18mm 16mm 20mm; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
h1 { color: #c00000; text-align: center; font-size: 30px; letter-spacing: 2px; margin: 0 0 6px; font-weight: 700; }
.meta { display: flex; justify-content: space-between; flex-wrap: wrap; gap: 4px 16px; font-size: 14px; padding-bottom: 8px; border-bottom: 3px double #c00000; margin-bottom: 18px; }
h2 { font-size: 17px; margin: 22px 0 8px; font-weight: 700; }
p { margin: 6px 0; text-indent: 2em; }
ul { margin: 6px 0 6px 2em; padding: 0; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 4px; font-size: 13px; line-height: 1.5; }
th, td { border: 1px solid #777; padding: 3px 6px; }
th { background: #f4e9e9; font-weight: 700; text-align: center; }
tbody th { text-align: left; white-space: nowrap; background: #faf5f5; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 8px 0; text-align: center; }
figure svg { max-width: 100%; height: auto; }
@media print { body { background: #fff; } main { box-shadow: none; margin: 0; padding: 0; max-width: none; } h2, table, figure { break-inside: avoid; } }
`;

export function toHtml(blocks: readonly Block[], svg: string, lang: BulletinLang): string {
  const title = blocks.find((b) => b.kind === 'title');
  const body: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'title':
        body.push(`<h1>${escape(b.text)}</h1>`);
        break;
      case 'meta':
        body.push(`<div class="meta">${b.parts.map((p) => `<span>${escape(p)}</span>`).join('')}</div>`);
        break;
      case 'heading':
        body.push(`<h2>${escape(b.text)}</h2>`);
        break;
      case 'paragraph':
        body.push(`<p>${escape(b.text)}</p>`);
        break;
      case 'list':
        body.push(`<ul>${b.items.map((i) => `<li>${escape(i)}</li>`).join('')}</ul>`);
        break;
      case 'table':
        body.push(
          `<table><thead><tr>${b.head.map((h) => `<th scope="col">${escape(h)}</th>`).join('')}</tr></thead><tbody>${b.rows
            .map(
              (r) =>
                `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${escape(c)}</th>` : `<td${b.numeric[i] ? ' class="n"' : ''}>${escape(c)}</td>`)).join('')}</tr>`,
            )
            .join('\n')}</tbody></table>`,
        );
        break;
      case 'chart':
        body.push(`<figure role="img" aria-label="${escape(b.title)}">${svg}</figure>`);
        break;
      default: {
        const unreachable: never = b;
        throw new Error(`unknown block ${JSON.stringify(unreachable)}`);
      }
    }
  }
  return `<!DOCTYPE html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}" xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>${escape(title?.kind === 'title' ? title.text : '')}</title>
<style>${css}</style>
</head>
<body>
<main>
${body.join('\n')}
</main>
</body>
</html>
`;
}
