import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricCatalogue } from '@cordon/schemas';
import { event, startTestCordon, waitFor, type TestClient } from './harness.ts';

/**
 * The user paths of the contract on the all-in-one server (embedded log +
 * chDB), through HTTP requests to the real app: send, count, query.
 */
let cordon: TestClient;
beforeAll(async () => {
  cordon = await startTestCordon();
});
afterAll(async () => {
  await cordon.close();
});

const xinyan = '410184003'; // 新烟街道
const lihe = '410184104'; // 梨河镇
const day = (d: string, hour = '08') => `2020-02-${d}T${hour}:00:00+08:00`;

describe('POST /v1/events', () => {
  it('takes a JSON array, {"events": [...]} and NDJSON, and answers an import summary', async () => {
    const a = event('screening', { vehicles: 1, people: 2 }, { region: xinyan });
    const b = event('screening', { vehicles: 3, people: 4 }, { region: xinyan });
    const c = event('screening', { vehicles: 5, people: 6 }, { region: xinyan });
    expect(await cordon.send([a])).toEqual({ status: 200, body: { accepted: 1, duplicates: 0, rejected: 0, errors: [] } });
    expect((await cordon.send({ events: [b] })).body.accepted).toBe(1);
    const ndjson = `${JSON.stringify(c)}\n{"broken\n`;
    expect((await cordon.send(ndjson, { contentType: 'application/x-ndjson' })).body).toMatchObject({
      accepted: 1,
      rejected: 1,
      errors: [{ index: 1, id: null, errors: [{ path: '(line)' }] }],
    });
    expect(await cordon.totals(['vehicles_screened', 'people_screened'], `region=${xinyan}&from=2020-02-13&to=2020-02-13`)).toEqual({
      vehicles_screened: 9,
      people_screened: 12,
    });
  });

  it('reports the same id sent twice, in one batch or in two, as a duplicate and counts it once', async () => {
    const e = event('fever', { people: 2, disposition: 'isolated' }, { region: lihe });
    expect((await cordon.send([e, e])).body).toMatchObject({ accepted: 1, duplicates: 1 });
    expect((await cordon.send([e])).body).toMatchObject({ accepted: 0, duplicates: 1 });
    await cordon.settled();
    // Once counted, the duplicate is found in ClickHouse too.
    expect((await cordon.send([{ ...e, id: e.id.toUpperCase() }])).body).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(await cordon.totals(['fever_cases'], `region=${lihe}&from=2020-02-13&to=2020-02-13`)).toEqual({ fever_cases: 2 });
  });

  it('?dryRun=true validates and reports without writing', async () => {
    const e = event('turnback', { vehicles: 100, people: 100 }, { region: '410184105' });
    const bad = event('turnback', { vehicles: -1, people: 1 }, { region: '410184105' });
    expect((await cordon.send([e, bad], { query: '?dryRun=true' })).body).toMatchObject({ accepted: 1, rejected: 1, dryRun: true });
    expect(await cordon.totals(['vehicles_turned_back'], 'region=410184105&from=2020-02-13&to=2020-02-13')).toEqual({
      vehicles_turned_back: 0,
    });
    expect((await cordon.send([e])).body.accepted).toBe(1);
  });
});

describe('bad input gets a clear error and harms nothing', () => {
  const region = '410184106'; // 薛店镇, used only here

  it('rejects each bad event with the path of the field, and the good events of the batch land', async () => {
    const good = [
      event('screening', { vehicles: 10, people: 20 }, { region }),
      // SQL-looking text is data: stored as sent, never executed.
      event('turnback', { vehicles: 1, people: 2, reason: "x'); DROP TABLE events; --" }, { region }),
    ];
    const bad = [
      { ...event('screening', { vehicles: '10', people: 1 }, { region }) }, // wrong type
      event('lockdown', { people: 1 }, { region }), // unknown type
      event('screening', { vehicles: -5, people: 1 }, { region }), // negative count
      event('screening', { vehicles: 1, people: 1 }, { region, occurredAt: '2020-02-30T08:00:00+08:00' }), // bad date
      event('screening', { vehicles: 1, people: 1 }, { region: '999999' }), // unknown region
      event('screening', { vehicles: 1, people: 1 }, { region: "410184' OR '1'='1" }), // SQL-looking region
      { ...event('screening', { vehicles: 1, people: 1 }, { region }), id: "1'; DROP TABLE events;--" }, // bad id
      'not an object',
    ];
    const { status, body } = await cordon.send([good[0], ...bad, good[1]]);
    expect(status).toBe(200);
    expect(body.accepted).toBe(2);
    expect(body.rejected).toBe(8);
    expect(body.errors.map((e) => [e.index, e.errors.map((x) => x.path).join(',')])).toEqual([
      [1, 'data.vehicles'],
      [2, 'type'],
      [3, 'data.vehicles'],
      [4, 'occurredAt'],
      [5, 'region'],
      [6, 'region'],
      [7, 'id'],
      [8, '(root)'],
    ]);
    expect(body.errors[4]?.errors[0]?.message).toMatch(/not in the region registry/);
    expect(await cordon.totals(['vehicles_screened', 'people_turned_back'], `region=${region}&from=2020-02-13&to=2020-02-13`)).toEqual({
      vehicles_screened: 10,
      people_turned_back: 2,
    });
  });

  it('answers malformed JSON, a wrong body shape and a wrong content type with problem+json', async () => {
    const cases: [string, string, number, string][] = [
      ['{"events": [', 'application/json', 400, '(body)'],
      ['{"events": 5}', 'application/json', 400, 'events'],
      ['42', 'application/json', 400, '(body)'],
    ];
    for (const [body, contentType, status, path] of cases) {
      const response = await cordon.request('/v1/events', { method: 'POST', headers: { 'content-type': contentType }, body });
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = (await response.json()) as {
        type: string;
        title: string;
        status: number;
        detail: string;
        errors: { path: string }[];
      };
      expect(problem).toMatchObject({ type: '/problems/validation', status });
      expect(problem.errors[0]?.path).toBe(path);
    }
    const xml = await cordon.request('/v1/events', { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<e/>' });
    expect(xml.status).toBe(415);
  });

  it('answers 413 to a 50 MiB body and to more than 5,000 events', async () => {
    const huge = `[${'"x",'.repeat((50 * 1024 * 1024) / 4)}"x"]`;
    const response = await cordon.request('/v1/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: huge });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ type: '/problems/payload_too_large', status: 413 });
    const many = Array.from({ length: 5001 }, () => event('screening', { vehicles: 1, people: 1 }, { region }));
    const tooMany = await cordon.send(many);
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.detail).toMatch(/5000/);
  });
});

describe('auth', () => {
  it('401 without a key or with a wrong one, 403 for a key without the right role; /v1/health needs none', async () => {
    expect((await cordon.request('/v1/aggregates?metrics=fever_cases&region=410184', { key: null })).status).toBe(401);
    expect(
      (await cordon.request('/v1/aggregates?metrics=fever_cases&region=410184', { key: 'ck_0000000000000000_' + 'a'.repeat(43) })).status,
    ).toBe(401);
    expect((await cordon.request('/v1/health', { key: null })).status).toBe(200);
    const created = await cordon.request('/v1/keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'office', role: 'read' }),
    });
    expect(created.status).toBe(201);
    const { key } = (await created.json()) as { key: string };
    expect((await cordon.send([event('screening', { vehicles: 1, people: 1 })], { key })).status).toBe(403);
    expect((await cordon.get('/v1/aggregates?metrics=fever_cases&region=410184', key)).status).toBe(200);
  });

  it('a region-scoped key writes and reads only inside its subtree', async () => {
    const create = async (role: string, region: string) => {
      const r = await cordon.request('/v1/keys', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `${role}-${region}`, role, region }),
      });
      return ((await r.json()) as { key: string }).key;
    };
    const town = '410184107'; // 孟庄镇
    const ingestKey = await create('ingest', town);
    const readKey = await create('read', town);
    const inside = event('screening', { vehicles: 2, people: 3 }, { region: town });
    const outside = event('screening', { vehicles: 50, people: 50 }, { region: '410184108' });
    const { body } = await cordon.send([inside, outside], { key: ingestKey });
    expect(body).toMatchObject({ accepted: 1, rejected: 1, errors: [{ index: 1, errors: [{ path: 'region' }] }] });
    expect(body.errors[0]?.errors[0]?.message).toMatch(/outside this key's region 410184107/);
    await cordon.settled();
    expect(
      (await cordon.get(`/v1/aggregates?metrics=people_screened&region=${town}&from=2020-02-13&to=2020-02-13`, readKey)).body.totals,
    ).toEqual({ people_screened: 3 });
    // A wider region is refused, never answered with a silently partial figure.
    const wider = await cordon.get('/v1/aggregates?metrics=people_screened&region=410184', readKey);
    expect(wider.status).toBe(403);
  });

  it('a revoked key stops working', async () => {
    const { key, keyId } = await cordon.newKey('temp', 'read');
    expect((await cordon.get('/v1/metrics', key)).status).toBe(200);
    expect((await cordon.request(`/v1/keys/${keyId}`, { method: 'DELETE' })).status).toBe(204);
    expect((await cordon.get('/v1/metrics', key)).status).toBe(401);
    const list = await cordon.get<{ keys: { keyId: string; revokedAt: string | null }[] }>('/v1/keys');
    expect(list.body.keys.find((k) => k.keyId === keyId)?.revokedAt).not.toBeNull();
  });
});

describe('regions', () => {
  it('rejects a code outside the registry until an admin adds it', async () => {
    const zone = '410184901'; // a development zone the registry lacks
    const e = event('screening', { vehicles: 4, people: 4 }, { region: zone });
    expect((await cordon.send([e])).body.rejected).toBe(1);
    const added = await cordon.request('/v1/regions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: zone, name: '新郑测试园区' }),
    });
    expect(added.status).toBe(201);
    expect(await added.json()).toMatchObject({ code: zone, name: '新郑测试园区', parent: '410184', level: 'town' });
    expect((await cordon.send([e])).body.accepted).toBe(1);
    expect(await cordon.totals(['people_screened'], `region=${zone}&from=2020-02-13&to=2020-02-13`)).toEqual({ people_screened: 4 });
  });

  it('a province, city, county, town or village code counts its whole subtree; groupBy=region breaks it down', async () => {
    const from = 'from=2020-03-01&to=2020-03-01';
    const at = (region: string, people: number) =>
      event('deployment', { role: 'militia', people }, { region, occurredAt: '2020-03-01T09:00:00+08:00' });
    const village = '410184001001'; // 北街社区 in 新建路街道
    await cordon.send([
      at(village, 1),
      at('410184001', 10),
      at('410184002', 100),
      at('410184', 1000),
      at('410100', 10000),
      at('410102', 100000),
    ]);
    const t = (region: string) => cordon.totals(['people_deployed'], `region=${region}&${from}`).then((x) => x['people_deployed']);
    expect(await t(village)).toBe(1);
    expect(await t('410184001')).toBe(11);
    expect(await t('410184')).toBe(1111);
    expect(await t('410100')).toBe(111111);
    expect(await t('410000')).toBe(111111);
    const { body } = await cordon.get(`/v1/aggregates?metrics=people_deployed&region=410184&${from}&groupBy=region&level=town`);
    expect(body.rows).toEqual([
      { key: { region: '410184', name: '新郑市' }, values: { people_deployed: 1000 } },
      { key: { region: '410184001', name: '新建路街道' }, values: { people_deployed: 11 } },
      { key: { region: '410184002', name: '新华路街道' }, values: { people_deployed: 100 } },
    ]);
    expect(body.totals).toEqual({ people_deployed: 1111 });
  });
});

describe('GET /v1/aggregates', () => {
  const region = '410184109'; // 龙湖镇, used only here
  beforeAll(async () => {
    await cordon.send([
      event('site.registered', { name: '龙湖卡点1', kind: 'road_checkpoint' }, { region, site: 'lh-1', occurredAt: day('01') }),
      event('site.registered', { name: '龙湖卡点2', kind: 'community_gate' }, { region, site: 'lh-2', occurredAt: day('03') }),
      event('site.closed', {}, { region, site: 'lh-1', occurredAt: day('05') }),
      event('screening', { vehicles: 10, people: 30 }, { region, site: 'lh-1', occurredAt: day('01') }),
      event('screening', { vehicles: 20, people: 40 }, { region, site: 'lh-2', occurredAt: day('03') }),
      event('screening', { vehicles: 5, people: 5 }, { region, site: 'lh-2', occurredAt: day('10') }),
      event('quarantine.started', { subject: 'lh-q1', reason: 'returnee_hubei' }, { region, occurredAt: day('02') }),
      event('quarantine.started', { subject: 'lh-q2', reason: 'returnee_other' }, { region, occurredAt: day('02') }),
      event('quarantine.ended', { subject: 'lh-q1', outcome: 'released' }, { region, occurredAt: day('09') }),
    ]);
    await cordon.settled();
  });
  const q = (params: string) => cordon.get(`/v1/aggregates?region=${region}&${params}`);

  it('groups by day with stock metrics read at the end of each day', async () => {
    const { body } = await q('metrics=vehicles_screened,sites_active,quarantine_active&from=2020-02-02&to=2020-02-05&groupBy=day');
    expect(body.rows).toEqual([
      { key: { day: '2020-02-02' }, values: { vehicles_screened: 0, sites_active: 1, quarantine_active: 2 } },
      { key: { day: '2020-02-03' }, values: { vehicles_screened: 20, sites_active: 2, quarantine_active: 2 } },
      { key: { day: '2020-02-04' }, values: { vehicles_screened: 0, sites_active: 2, quarantine_active: 2 } },
      { key: { day: '2020-02-05' }, values: { vehicles_screened: 0, sites_active: 1, quarantine_active: 2 } },
    ]);
    expect(body.totals).toEqual({ vehicles_screened: 20, sites_active: 1, quarantine_active: 2 });
    expect(body).toMatchObject({ region: { code: region, name: '龙湖镇' }, from: '2020-02-02', to: '2020-02-05' });
    expect(Date.parse(body.asOf)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('groups by ISO week, by site, and defaults from to the first event', async () => {
    const weeks = await q('metrics=people_screened,quarantine_active&to=2020-02-10&groupBy=week');
    expect(weeks.body.from).toBe('2020-02-01');
    expect(weeks.body.rows).toEqual([
      { key: { week: '2020-W05' }, values: { people_screened: 30, quarantine_active: 2 } },
      { key: { week: '2020-W06' }, values: { people_screened: 40, quarantine_active: 1 } },
      { key: { week: '2020-W07' }, values: { people_screened: 5, quarantine_active: 1 } },
    ]);
    const sites = await q('metrics=people_screened,sites_active&from=2020-02-01&to=2020-02-10&groupBy=site');
    expect(sites.body.rows).toEqual([
      { key: { site: 'lh-1', region }, values: { people_screened: 30, sites_active: 0 } },
      { key: { site: 'lh-2', region }, values: { people_screened: 45, sites_active: 1 } },
    ]);
  });

  it('answers bad parameters with a 400 naming the parameter', async () => {
    const cases: [string, string][] = [
      ['metrics=nope', 'metrics.0'],
      ['metrics=fever_cases&from=2020-02-10&to=2020-02-01', 'from'],
      ['metrics=fever_cases&from=2020-13-01', 'from'],
      ['metrics=fever_cases&groupBy=month', 'groupBy'],
      ['metrics=fever_cases&groupBy=region', 'level'],
      ['metrics=fever_cases&groupBy=region&level=county', 'level'],
      ["metrics=fever_cases') OR 1=1 --", 'metrics.0'],
    ];
    for (const [params, path] of cases) {
      const { status, body } = await q(params);
      expect([params, status]).toEqual([params, 400]);
      expect(body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const unknownRegion = await cordon.get('/v1/aggregates?metrics=fever_cases&region=999999');
    expect(unknownRegion.status).toBe(400);
  });
});

describe('every metric of the catalogue', () => {
  it('comes out exactly as the events put it in', async () => {
    const region = '410184102'; // 辛店镇, used only here
    const at = { region, occurredAt: '2020-02-20T10:00:00+08:00' };
    const events = [
      event('site.registered', { name: '辛店卡点', kind: 'road_checkpoint' }, { ...at, site: 'xd-1' }),
      event('shift', { staff: 6, partyMembers: 2, militia: 1, volunteers: 2, hours: 24 }, { ...at, site: 'xd-1' }),
      event('shift', { staff: 4 }, { ...at, site: 'xd-1' }),
      event('screening', { vehicles: 11, people: 23, temperatureChecks: 23 }, at),
      event('turnback', { vehicles: 2, people: 5, reason: 'no pass' }, at),
      event('fever', { people: 1, disposition: 'referred' }, at),
      event('quarantine.started', { subject: 'xd-q1', reason: 'returnee_hubei', plannedDays: 14 }, at),
      event('quarantine.started', { subject: 'xd-q2', reason: 'close_contact' }, at),
      event('quarantine.ended', { subject: 'xd-q1', outcome: 'released' }, at),
      event('sweep', { households: 120, people: 410, returnees: 7, returneesFromHubei: 2 }, at),
      event('donation', { donorType: 'company', item: 'masks', quantity: 5000, unit: 'piece' }, at),
      event('donation', { donorType: 'resident', item: 'disinfectant', quantity: 12.5, unit: 'kg' }, at),
      event('donation', { donorType: 'party_member', donor: '党员', item: 'cash', quantity: 140000, unit: 'cny' }, at),
      event('deployment', { role: 'volunteer', people: 9 }, at),
      event('incident', { kind: 'checkpoint_breach', outcome: 'detained' }, at),
      event('resumption', { enterprises: 3, employees: 150 }, at),
    ];
    const target = events[4]!;
    events.push(event('void', { target: target.id, reason: 'entered twice' }, at));
    expect((await cordon.send(events)).body).toMatchObject({ accepted: 17, rejected: 0 });
    // Every metric outside the item families (donated:*, issued:*, …: more than the 50 a request takes), zero where no event here feeds it.
    const fixed = [...metricCatalogue.values()].filter((m) => !m.name.includes(':')).map((m) => m.name);
    const totals = await cordon.totals(
      [...fixed, 'donated:masks:piece', 'donated:disinfectant:kg', 'donated:cash:cny'],
      `region=${region}&from=2020-02-20&to=2020-02-20`,
    );
    expect(totals).toEqual({
      ...Object.fromEntries(fixed.map((name) => [name, 0])),
      vehicles_screened: 11,
      people_screened: 23,
      temperature_checks: 23,
      vehicles_turned_back: 0,
      people_turned_back: 0,
      fever_cases: 1,
      quarantine_started: 2,
      quarantine_ended: 1,
      quarantine_active: 1,
      households_swept: 120,
      people_swept: 410,
      returnees_found: 7,
      donations: 3,
      staff_on_duty: 10,
      shifts: 2,
      people_deployed: 9,
      incidents: 1,
      enterprises_resumed: 3,
      employees_returned: 150,
      sites_active: 1,
      'donated:masks:piece': 5000,
      'donated:disinfectant:kg': 12.5,
      'donated:cash:cny': 140000,
    });
  });
});

describe('metrics, status, health', () => {
  it('lists every metric with a description, unit and its labels in Chinese and English', async () => {
    const { body } = await cordon.get<{ metrics: { name: string; description: string; unit: string }[] }>('/v1/metrics');
    expect(body.metrics.map((m) => m.name)).toEqual([...metricCatalogue.keys()]);
    expect(body.metrics.find((m) => m.name === 'donated:cash:cny')).toEqual({
      name: 'donated:cash:cny',
      label: { zh: '现金（元）', en: 'Cash (CNY)' },
      description: 'cash donated, in CNY',
      unit: 'CNY',
      unitLabel: { zh: '元', en: 'CNY' },
      kind: 'flow',
      from: ['donation'],
      dimension: 'donorType',
    });
    expect(body.metrics.find((m) => m.name === 'vehicles_turned_back')).toEqual({
      name: 'vehicles_turned_back',
      label: { zh: '劝返车辆', en: 'Vehicles turned back' },
      description: 'Vehicles persuaded to turn back (劝返)',
      unit: 'vehicles',
      unitLabel: { zh: '台', en: 'vehicles' },
      kind: 'flow',
      from: ['turnback'],
      dimension: 'reason',
    });
  });

  it('status reports the lag reaching 0 once ingest stops', async () => {
    const sentAt = new Date().toISOString();
    await cordon.send(Array.from({ length: 50 }, () => event('screening', { vehicles: 1, people: 1 }, { region: '410184103' })));
    // Watched through the route itself: lag falls to 0, and asOf then covers the events just sent.
    let status: { lag: number; asOf: string; log: string; clickhouse: string } | undefined;
    await waitFor(async () => (status = (await cordon.get('/v1/status')).body).lag === 0, { what: 'GET /v1/status to say lag 0' });
    expect(status).toMatchObject({ lag: 0, log: 'embedded', clickhouse: 'chdb' });
    expect(status!.asOf >= sentAt).toBe(true);
    const { body } = await cordon.get(
      `/v1/aggregates?metrics=people_screened&region=410184103&from=2020-02-13&to=2020-02-13&knownAt=${encodeURIComponent(status!.asOf)}`,
    );
    expect(body.totals).toEqual({ people_screened: 50 });
  });

  it('unknown routes answer problem+json 404', async () => {
    const response = await cordon.request('/v1/nope');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/problem\+json/);
  });
});

describe('GET /openapi.json and /docs', () => {
  it('serve the committed OpenAPI document, which documents every route the server answers', async () => {
    const { readFileSync } = await import('node:fs');
    const committed = JSON.parse(readFileSync(new URL('../../query-api/openapi.json', import.meta.url), 'utf8'));
    const { status, body } = await cordon.get('/openapi.json');
    expect(status).toBe(200);
    expect(body).toEqual(committed);
    const served = cordon.runtime
      .app!.routes.filter((r) => r.path.startsWith('/v1/') && r.method !== 'ALL')
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    const documented = Object.entries(committed.paths as Record<string, object>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m} ${path}`),
    );
    expect([...new Set(served)].sort()).toEqual(documented.sort());
  });

  it('render a browsable reference without reaching the internet', async () => {
    const page = await cordon.request('/docs', { key: null });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("url: '/openapi.json'");
    const script = await cordon.request('/docs/swagger-ui-bundle.js', { key: null });
    expect(script.status).toBe(200);
    const { readFileSync } = await import('node:fs');
    const { createRequire } = await import('node:module');
    const shippedBundle = readFileSync(createRequire(import.meta.url).resolve('swagger-ui-dist/swagger-ui-bundle.js'));
    expect(Buffer.from(await script.arrayBuffer()).equals(shippedBundle)).toBe(true);
  });
});
