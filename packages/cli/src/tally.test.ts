import { describe, expect, it } from 'vitest';
import { createContentIds } from './content-ids.ts';
import { readTallyHeader } from './tally-columns.ts';
import { readTallyRow, tallyEvents } from './tally-rows.ts';

const header = (names: string[]) => {
  const read = readTallyHeader(names);
  if ('error' in read) throw new Error(read.error);
  return read.header;
};

describe('tally columns', () => {
  it('reads Chinese and English headers, a unit in brackets, catalogue labels and machine names', () => {
    expect(header(['日期', '乡镇', '卡点', '排查车辆（台）', '排查人数(人)', '劝返车辆', '劝返人数', '发热人数']).columns).toEqual({
      date: 0,
      town: 1,
      site: 2,
      'screening.vehicles': 3,
      'screening.people': 4,
      'turnback.vehicles': 5,
      'turnback.people': 6,
      'fever.people': 7,
    });
    expect(header(['Date', 'Region', 'Vehicles screened', 'people_turned_back', '备注']).columns).toEqual({
      date: 0,
      region: 1,
      'screening.vehicles': 2,
      'turnback.people': 3,
    });
  });

  it('names an unknown or doubled column, and says what is missing', () => {
    expect(readTallyHeader(['日期', '区划代码', '排查车俩'])).toEqual({
      error: 'unknown column 排查车俩 (see cordon import --help for the columns)',
    });
    expect(readTallyHeader(['日期', '区划代码', '排查车辆', 'vehicles_screened'])).toEqual({
      error: 'unknown column vehicles_screened (a second screening.vehicles column) (see cordon import --help for the columns)',
    });
    expect(readTallyHeader(['区划代码', '排查车辆'])).toEqual({ error: 'no date column (日期 or date)' });
    expect(readTallyHeader(['日期', '排查车辆'])).toEqual({ error: 'no region column (区划代码/region, or 乡镇/town)' });
    expect(readTallyHeader(['日期', '区划代码'])).toEqual({
      error: 'no figure column (排查车辆, 排查人数, 劝返车辆, 劝返人数, 发热人数, …)',
    });
  });
});

describe('tally rows', () => {
  const h = header(['日期', '时间', '区划代码', '卡点', '排查车辆', '排查人数', '劝返车辆', '劝返人数', '发热人数']);

  it('reads the day in the forms offices write it, and makes the events of the filled groups', () => {
    for (const day of ['2020-02-13', '2020/2/13', '2020年2月13日', '2020.02.13', new Date('2020-02-13T00:00:00Z')]) {
      const read = readTallyRow([day, '', '410184001', 'xz-1', '1,200', 30, '', '', ''], h);
      expect(read).toEqual({
        row: { day: '2020-02-13', time: '12:00', region: '410184001', site: 'xz-1', screening: { vehicles: 1200, people: 30 } },
      });
    }
    const read = readTallyRow(['2020-02-13', '8:30', '410184001', '', '', '', '3', '', '0'], h);
    if (!('row' in read)) throw new Error('expected a row');
    expect(tallyEvents(read.row, '410184001', '+08:00')).toEqual([
      { occurredAt: '2020-02-13T08:30:00+08:00', region: '410184001', type: 'turnback', data: { vehicles: 3, people: 0 } },
      { occurredAt: '2020-02-13T08:30:00+08:00', region: '410184001', type: 'fever', data: { people: 0, disposition: 'other' } },
    ]);
  });

  it('gives every unreadable cell its reason, and skips an empty row', () => {
    expect(readTallyRow(['2020-13-01', '25:00', '410184001', '', '-3', '2.5', '', '', ''], h)).toEqual({
      reason:
        'date: is not a calendar day: "2020-13-01"; time: must be a time such as 08:30, not "25:00"; screening.vehicles: must be a whole number, not "-3"; screening.people: must be a whole number, not "2.5"',
    });
    expect(readTallyRow(['2020-02-13', '', '410184001', 'xz-1', '', '', '', '', ''], h)).toEqual({ reason: 'no figure in the row' });
    expect(readTallyRow(['', '', '', '', '', '', '', '', ''], h)).toEqual({ empty: true });
  });
});

describe('content-derived ids', () => {
  it('are the same for the same event whatever its key order, and tell identical rows apart by their order', () => {
    const event = { type: 'screening', occurredAt: '2020-02-13T12:00:00+08:00', region: '410184001', data: { vehicles: 1, people: 2 } };
    const first = createContentIds();
    const second = createContentIds();
    const a = first(event);
    const b = first({ data: { people: 2, vehicles: 1 }, region: '410184001', occurredAt: '2020-02-13T12:00:00+08:00', type: 'screening' });
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(b).not.toBe(a); // the second identical row of a file
    expect(second(event)).toBe(a); // the same file imported again
    expect(second({ ...event, data: { vehicles: 1, people: 3 } })).not.toBe(a);
  });
});
