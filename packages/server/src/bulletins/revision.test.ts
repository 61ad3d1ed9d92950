import { describe, expect, it } from 'vitest';
import { figureChanges, markRevision } from './revision.ts';
import { parseTimeOfDay } from './schedule.ts';

describe('figureChanges', () => {
  it('ignores when a bulletin was made, and finds every figure that moved', () => {
    const published = {
      knownAt: '2020-02-14T00:00:00Z',
      asOf: 'x',
      total: { people: 10, fever: null },
      towns: [
        { code: '410184001', people: 3 },
        { code: '410184002', people: 7 },
      ],
    };
    const regenerated = {
      knownAt: '2020-02-15T00:00:00Z',
      asOf: 'y',
      total: { people: 12, fever: 1 },
      towns: [
        { code: '410184001', people: 3 },
        { code: '410184002', people: 9 },
      ],
    };
    expect(figureChanges(published, regenerated)).toEqual([
      { path: 'total.people', from: 10, to: 12 },
      { path: 'total.fever', from: null, to: 1 },
      { path: 'towns[410184002].people', from: 7, to: 9 },
    ]);
    expect(figureChanges(published, { ...published, knownAt: 'later' })).toEqual([]);
  });

  it('addresses list items by their code, so a new town changes only itself', () => {
    const before = { towns: [{ code: 'b', n: 1 }] };
    const after = {
      towns: [
        { code: 'a', n: 5 },
        { code: 'b', n: 1 },
      ],
    };
    expect(figureChanges(before, after)).toEqual([
      { path: 'towns[a].code', from: null, to: 'a' },
      { path: 'towns[a].n', from: null, to: 5 },
    ]);
    expect(figureChanges(after, before)).toEqual([
      { path: 'towns[a].code', from: 'a', to: null },
      { path: 'towns[a].n', from: 5, to: null },
    ]);
  });
});

describe('markRevision', () => {
  const note = {
    number: 2,
    date: '2020-02-13',
    replaces: { revision: 1, knownAt: '2020-02-14T00:00:00Z' },
    knownAt: '2020-02-15T00:00:00Z',
    changes: [{ path: 'total.people', from: 10, to: 12 }],
  };

  it('puts 修订 in the title and the changes right under it', () => {
    const marked = markRevision(
      {
        markdown: '# 日报\n\n正文\n',
        html: '<html><head><title>日报</title></head><body><h1 id="t">日报</h1><p>正文</p></body></html>',
        json: { total: { people: 12 } },
      },
      note,
    );
    expect(marked.markdown).toBe(
      '# 日报（修订2）\n\n## 修订说明\n\n本期为第2次修订：第1次修订发布后收到迟报数据，下列数字有变化（数据截至 2020-02-15T00:00:00Z）。\n\n| 项目 | 原数 | 现数 |\n|---|---:|---:|\n| total.people | 10 | 12 |\n\n正文\n',
    );
    expect(marked.html).toContain('<title>日报（修订2）</title>');
    expect(marked.html).toContain('<h1 id="t">日报（修订2）</h1>\n<section class="revision"><h2>修订说明</h2>');
    expect(marked.json).toEqual({ total: { people: 12 }, revision: { number: 2, replaces: note.replaces, changes: note.changes } });
  });
});

describe('parseTimeOfDay', () => {
  it('takes HH:MM on a 24-hour clock and refuses anything else', () => {
    expect(parseTimeOfDay('07:00')).toEqual({ hour: 7, minute: 0 });
    expect(parseTimeOfDay('23:59')).toEqual({ hour: 23, minute: 59 });
    for (const bad of ['7:00', '24:00', '07:60', '0700', '', '07:00:00']) expect(() => parseTimeOfDay(bad)).toThrow(/HH:MM/);
  });
});
