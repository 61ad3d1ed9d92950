/**
 * 刘集镇 (410122112)'s donations up to 3月7日 (2020-03-07) in the demo data,
 * by item and unit: its 70 gifts summed over events.ndjson apart from Cordon.
 * Report 000's own figures are among them: 8200 masks from 徐庄村 and 10000
 * from 河南宏达路桥; 80 + 10 barrels of 84 disinfectant and 3500 + 105 + 750
 * + 60 + 150 kg of it; cash 鲁庙 140000 + 徐庄 70000 + 崔庄 15000; soap 1500;
 * 特殊党费 3800 (other:cny). The bulletin and the aggregates route must both
 * give exactly these.
 */
export const liujiRegion = '410122112';
export const liujiDonationsTo = '2020-03-07';
export const liujiGifts = 70;
export const liujiDonations: Readonly<Record<string, number>> = {
  'donated:masks:piece': 18200,
  'donated:disinfectant:kg': 4565,
  'donated:disinfectant:barrel': 90,
  'donated:sprayers:piece': 730,
  'donated:soap:piece': 1500,
  'donated:vegetables:kg': 11000,
  'donated:cash:cny': 225000,
  'donated:other:cny': 3800,
};
