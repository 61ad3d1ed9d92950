import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, startTestCordon, type TestClient } from './harness.ts';

/**
 * Issue 7, item 1: an event whose `source` held a lone surrogate was accepted,
 * then refused by ClickHouse, and the consumer retried it forever. Whatever
 * ClickHouse cannot store is now refused at ingest, per event, and the good
 * events of the same request still land and are counted.
 */
let cordon: TestClient;
beforeAll(async () => {
  cordon = await startTestCordon();
});
afterAll(async () => {
  await cordon.close();
});

/** Every free-text field of every event type, as [type, data, field path to poison]. */
const freeText: [string, object, string, { site?: string }][] = [
  ['screening', { vehicles: 1, people: 1 }, 'source', {}],
  ['screening', { vehicles: 1, people: 1 }, 'site', {}],
  ['site.registered', { name: '卡点', kind: 'road_checkpoint' }, 'data.name', { site: 'cp-x' }],
  ['site.closed', { reason: '解除' }, 'data.reason', { site: 'cp-x' }],
  ['turnback', { vehicles: 1, people: 1, reason: '非必要' }, 'data.reason', {}],
  ['quarantine.started', { subject: 'p-1', reason: 'returnee_hubei' }, 'data.subject', {}],
  ['quarantine.ended', { subject: 'p-1', outcome: 'released' }, 'data.subject', {}],
  ['donation', { donorType: 'resident', donor: '某', item: 'masks', quantity: 1, unit: 'piece' }, 'data.donor', {}],
  ['donation', { donorType: 'resident', item: 'masks', quantity: 1, unit: 'piece', label: '口罩' }, 'data.label', {}],
  ['void', { target: '0190d8a0-0000-7000-8000-00000000ffff', reason: '错报' }, 'data.reason', {}],
];

function poisoned(type: string, data: object, path: string, extra: { site?: string }, value: string) {
  const e = structuredClone(event(type, data, { region: '410184003', ...extra })) as unknown as Record<string, Record<string, unknown>>;
  const [first, second] = path.split('.') as [string, string | undefined];
  if (second === undefined) (e as unknown as Record<string, unknown>)[first] = value;
  else e[first]![second] = value;
  return e;
}

describe('storable text at ingest (regression: lone surrogate in source stalled the consumer)', () => {
  it('rejects "x\\ud800", NUL and control characters in every free-text field of every type, per event; the good events land and are counted', async () => {
    const bad = freeText.flatMap(([type, data, path, extra]) =>
      ['x\ud800', 'a\u0000b', 'a\u001bb', 'a\u0085'].map((v) => poisoned(type, data, path, extra, v)),
    );
    const good = [
      event('screening', { vehicles: 2, people: 5 }, { region: '410184003', source: '新烟 app 😷' }),
      event('screening', { vehicles: 3, people: 7 }, { region: '410184003', site: 'cp-1' }),
    ];
    const { status, body } = await cordon.send([good[0], ...bad, good[1]]);
    expect(status).toBe(200);
    expect(body.accepted).toBe(2);
    expect(body.rejected).toBe(bad.length);
    const expected = bad.map((e, i) => ({ index: i + 1, id: e['id'] as unknown as string, path: freeText[Math.floor(i / 4)]![2] }));
    expect(body.errors.map((e) => ({ index: e.index, id: e.id, path: e.errors[0]!.path }))).toEqual(expected);
    expect(body.errors[0]!.errors[0]!.message).toBe('holds a lone surrogate U+D800 at character 1: not Unicode text, it cannot be stored');
    expect(body.errors[1]!.errors[0]!.message).toBe(
      'holds NUL (U+0000) at character 1: control characters, tabs and line breaks are not allowed here',
    );
    expect(await cordon.totals(['vehicles_screened', 'people_screened'])).toEqual({ vehicles_screened: 5, people_screened: 12 });
  });

  it('rejects an NDJSON line that is not UTF-8 on its own, and the lines around it land', async () => {
    const enc = new TextEncoder();
    const a = event('screening', { vehicles: 10, people: 100 }, { region: '410184003' });
    const b = event('screening', { vehicles: 20, people: 200 }, { region: '410184003' });
    const broken = JSON.stringify(event('screening', { vehicles: 1, people: 1 }, { region: '410184003', source: 'SRC' }));
    const [before, after] = broken.split('SRC') as [string, string];
    // 0xC3 0x28: a lead byte followed by a non-continuation byte; 0xFF never occurs in UTF-8.
    const body = Buffer.concat([
      enc.encode(JSON.stringify(a) + '\n'),
      enc.encode(before),
      Buffer.from([0xc3, 0x28, 0xff]),
      enc.encode(after + '\n'),
      enc.encode(JSON.stringify(b) + '\n'),
    ]);
    const response = await cordon.request('/v1/events', { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: 1,
      errors: [{ index: 1, id: null, errors: [{ path: '(line)', message: 'line is not valid UTF-8' }] }],
    });
    expect(await cordon.totals(['vehicles_screened'], 'region=410184003&from=2020-01-01&to=2020-12-31')).toEqual({ vehicles_screened: 35 });
  });

  it('answers a JSON body that is not UTF-8 with a problem+json 400, and writes nothing', async () => {
    const text = JSON.stringify([event('screening', { vehicles: 1000, people: 1000 }, { region: '410184003', source: 'SRC' })]);
    const [before, after] = text.split('SRC') as [string, string];
    const body = Buffer.concat([Buffer.from(before), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(after)]); // CESU-style encoded surrogate: not UTF-8
    const response = await cordon.request('/v1/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(await response.json()).toMatchObject({
      type: '/problems/validation',
      status: 400,
      detail: 'The body is not valid UTF-8: send JSON encoded as UTF-8',
      errors: [{ path: '(body)', message: 'is not valid UTF-8' }],
    });
    expect(await cordon.totals(['vehicles_screened'], 'region=410184003&from=2020-01-01&to=2020-12-31')).toEqual({ vehicles_screened: 35 });
  });

  it('keeps line breaks in prose (a void reason) and a byte-order mark does not break the first NDJSON line', async () => {
    const target = event('screening', { vehicles: 4, people: 4 }, { region: '410184003' });
    const voiding = event('void', { target: target.id, reason: '重复上报\r\n第二行\t备注' }, { region: '410184003' });
    const body = '\ufeff' + JSON.stringify(target) + '\n' + JSON.stringify(voiding) + '\n';
    const { status, body: summary } = await cordon.send(body, { contentType: 'application/x-ndjson' });
    expect(status).toBe(200);
    expect(summary).toEqual({ accepted: 2, duplicates: 0, rejected: 0, errors: [] });
    expect(await cordon.totals(['vehicles_screened'], 'region=410184003&from=2020-01-01&to=2020-12-31')).toEqual({ vehicles_screened: 35 });
  });
});
