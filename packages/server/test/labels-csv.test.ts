import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { donationItems, donationUnits } from '@cordon/schemas';
import { loadDemo } from '../src/demo.ts';
import { liujiDonations } from './demo-donations.ts';
import { startTestCordon, type TestClient } from './harness.ts';

/**
 * Issue 10, item 2: CSV in the office's language and donations by item in
 * one request, on the demo data (the Xinzheng bulletin of 2月13日, the
 * 刘集镇 donations of report 000).
 */
let cordon: TestClient;
beforeAll(async () => {
  cordon = await startTestCordon();
  await loadDemo(cordon.runtime);
});
afterAll(async () => {
  await cordon.close();
});

const xinzheng =
  '/v1/aggregates?metrics=vehicles_screened,people_screened,vehicles_turned_back,people_turned_back,fever_cases&region=410184&to=2020-02-13';

async function csv(path: string, headers: Record<string, string> = {}) {
  const response = await cordon.request(path, { headers: { accept: 'text/csv', ...headers } });
  // The bytes as sent: Response.text() would drop the BOM.
  return { status: response.status, text: Buffer.from(await response.arrayBuffer()).toString('utf8'), headers: response.headers };
}

describe('CSV headers in the office language', () => {
  it('heads the columns with the Chinese labels on lang=zh', async () => {
    const { status, text, headers } = await csv(`${xinzheng}&lang=zh`);
    expect(status).toBe(200);
    expect(text).toBe('\uFEFF卡点排查车辆,卡点排查人员,劝返车辆,劝返人员,发热人员\r\n115814,184735,10899,16966,27\r\n');
    expect(headers.get('vary')).toBe('Accept, Accept-Language, Authorization');
  });

  it('takes the language from Accept-Language when lang is not given, and lang wins over it', async () => {
    expect((await csv(xinzheng, { 'accept-language': 'en-US,en;q=0.9,zh-CN;q=0.8' })).text).toBe(
      '\uFEFFVehicles screened,People screened,Vehicles turned back,People turned back,Fever cases\r\n115814,184735,10899,16966,27\r\n',
    );
    expect((await csv(xinzheng, { 'accept-language': 'fr-FR, zh-CN;q=0.5' })).text).toBe(
      '\uFEFF卡点排查车辆,卡点排查人员,劝返车辆,劝返人员,发热人员\r\n115814,184735,10899,16966,27\r\n',
    );
    expect((await csv(`${xinzheng}&lang=en`, { 'accept-language': 'zh-CN' })).text).toBe(
      '\uFEFFVehicles screened,People screened,Vehicles turned back,People turned back,Fever cases\r\n115814,184735,10899,16966,27\r\n',
    );
  });

  it('keeps the machine headers when neither says, or when Accept-Language names neither zh nor en', async () => {
    const machine =
      '\uFEFFvehicles_screened,people_screened,vehicles_turned_back,people_turned_back,fever_cases\r\n115814,184735,10899,16966,27\r\n';
    expect((await csv(xinzheng)).text).toBe(machine);
    expect((await csv(xinzheng, { 'accept-language': 'fr-FR, de;q=0.5' })).text).toBe(machine);
  });

  it('labels the key columns of a breakdown and the value of a timeseries', async () => {
    expect(
      (
        await csv(
          '/v1/aggregates?metrics=vehicles_turned_back,people_turned_back&region=410184&from=2020-02-12&to=2020-02-13&groupBy=day&lang=zh',
        )
      ).text,
    ).toBe('\uFEFF日期,劝返车辆,劝返人员\r\n2020-02-12,422,661\r\n2020-02-13,468,719\r\n');
    expect((await csv('/v1/timeseries?metric=fever_cases&region=410184&from=2020-02-12&to=2020-02-13&lang=en')).text).toBe(
      '\uFEFFPeriod,Start,End,Fever cases,Cumulative,7-day average,Change,Relative change\r\n' +
        '2020-02-12,2020-02-12,2020-02-12,2,22,1.285714,0,0\r\n' +
        '2020-02-13,2020-02-13,2020-02-13,5,27,1.857143,3,1.5\r\n',
    );
  });

  it('gives a different ETag per language, so a cache never serves Chinese headers to an English reader', async () => {
    const zh = (await csv(`${xinzheng}`, { 'accept-language': 'zh' })).headers.get('etag');
    const en = (await csv(`${xinzheng}`, { 'accept-language': 'en' })).headers.get('etag');
    expect(zh).not.toBe(en);
  });

  it('refuses a language it has no labels in', async () => {
    const { status, body } = await cordon.get(`${xinzheng}&lang=fr`);
    expect(status).toBe(400);
    expect(body.errors).toEqual([expect.objectContaining({ path: 'lang' })]);
  });
});

describe('donations by item in one request (metrics=donated:*)', () => {
  it('answers every donated item and unit of 刘集镇 at once', async () => {
    const { status, body } = await cordon.get('/v1/aggregates?metrics=donated:*&region=410122112&to=2020-03-07');
    expect(status).toBe(200);
    expect(body.metrics).toHaveLength(donationItems.length * donationUnits.length);
    const given = Object.fromEntries(Object.entries(body.totals as Record<string, number>).filter(([, v]) => v !== 0));
    expect(given).toEqual(liujiDonations);
  });

  it('takes a family of one item or one unit, beside plain names', async () => {
    const { body } = await cordon.get('/v1/aggregates?metrics=donations,donated:masks:*,donated:*:kg&region=410122112&to=2020-03-07');
    expect(body.metrics).toEqual(
      [
        'donations',
        ...donationUnits.map((u) => `donated:masks:${u}`),
        ...donationItems.filter((i) => i !== 'masks').map((i) => `donated:${i}:kg`),
      ].sort((a, b) => order(a) - order(b)),
    );
    expect(body.totals).toMatchObject({ 'donated:masks:piece': 18200, 'donated:disinfectant:kg': 4565, 'donated:vegetables:kg': 11000 });
  });

  it('writes them as a labelled CSV', async () => {
    const { text } = await csv('/v1/aggregates?metrics=donated:masks:piece,donated:disinfectant:*&region=410122112&to=2020-03-07&lang=zh');
    expect(text).toBe(
      '\uFEFF口罩（个）,消毒液（个）,消毒液（千克）,消毒液（桶）,消毒液（套）,消毒液（箱）,消毒液（元）\r\n18200,0,4565,90,0,0,0\r\n',
    );
  });

  it('refuses a family that matches nothing, and counts a family as one of the 50', async () => {
    const { status, body } = await cordon.get('/v1/aggregates?metrics=donated:nothing:*&region=410122112');
    expect(status).toBe(400);
    expect(body.errors).toEqual([{ path: 'metrics.0', message: 'matches no metric (see GET /v1/metrics)' }]);
  });
});

function order(name: string): number {
  return ['donations', ...donationItems.flatMap((i) => donationUnits.map((u) => `donated:${i}:${u}`))].indexOf(name);
}
