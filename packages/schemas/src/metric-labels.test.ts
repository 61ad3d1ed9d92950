import { describe, expect, it } from 'vitest';
import { donationItems, donationUnits, metricCatalogue } from './index.ts';

describe('metric labels', () => {
  it('gives every fixed metric its Chinese and English label and unit', () => {
    const fixed = [...metricCatalogue.values()].filter((m) => !m.name.startsWith('donated:'));
    // toMatchObject: metrics added later bring their own labels (the type requires them).
    expect(Object.fromEntries(fixed.map((m) => [m.name, `${m.label.zh}（${m.unit.zh}） / ${m.label.en} (${m.unit.en})`]))).toMatchObject({
      vehicles_screened: '卡点排查车辆（台） / Vehicles screened (vehicles)',
      people_screened: '卡点排查人员（人） / People screened (people)',
      temperature_checks: '体温检测（人次） / Temperature checks (checks)',
      vehicles_turned_back: '劝返车辆（台） / Vehicles turned back (vehicles)',
      people_turned_back: '劝返人员（人） / People turned back (people)',
      fever_cases: '发热人员（名） / Fever cases (people)',
      quarantine_started: '新增居家隔离（人） / Home quarantines started (people)',
      quarantine_ended: '解除居家隔离（人） / Home quarantines ended (people)',
      quarantine_active: '居家隔离人员（人） / People in home quarantine (people)',
      households_swept: '入户排查户数（户） / Households swept (households)',
      people_swept: '入户排查人员（人） / People swept (people)',
      returnees_found: '排查返乡人员（人） / Returnees found (people)',
      donations: '捐赠次数（次） / Donations (donations)',
      staff_on_duty: '值守人员（人次） / Staff on duty (person-shifts)',
      shifts: '值守班次（班次） / Shifts worked (shifts)',
      people_deployed: '下沉一线人员（名） / People deployed (people)',
      incidents: '违规事件（起） / Incidents (incidents)',
      enterprises_resumed: '复工复产企业（家） / Enterprises resumed (enterprises)',
      employees_returned: '返岗员工（人） / Employees returned (people)',
      sites_active: '在用卡点（个） / Active sites (sites)',
    });
  });

  it('builds each donated:<item>:<unit> label from the item and unit labels', () => {
    expect(metricCatalogue.get('donated:masks:piece')).toMatchObject({
      label: { zh: '口罩（个）', en: 'Masks (pieces)' },
      unit: { zh: '个', en: 'pieces' },
    });
    expect(metricCatalogue.get('donated:disinfectant:kg')).toMatchObject({
      label: { zh: '消毒液（千克）', en: 'Disinfectant (kg)' },
      unit: { zh: '千克', en: 'kg' },
    });
    expect(metricCatalogue.get('donated:cash:cny')).toMatchObject({
      label: { zh: '现金（元）', en: 'Cash (CNY)' },
      unit: { zh: '元', en: 'CNY' },
    });
    expect(metricCatalogue.get('donated:other:box')).toMatchObject({ label: { zh: '其他物资（箱）', en: 'Other supplies (boxes)' } });
  });

  it('never gives two metrics the same label, so labelled CSV columns stay apart', () => {
    const all = [...metricCatalogue.values()];
    expect(all.filter((m) => m.name.startsWith('donated:'))).toHaveLength(donationItems.length * donationUnits.length);
    expect(new Set(all.map((m) => m.label.zh)).size).toBe(all.length);
    expect(new Set(all.map((m) => m.label.en)).size).toBe(all.length);
  });
});
