import type { CordonClient } from '@cordon/sdk';
import { fetchBulletinFigures } from './fetch.ts';
import type { BulletinLang } from './figures.ts';
import { renderBulletin, type RenderedBulletin } from './render.ts';

/**
 * fetch + render for one region and day, in the shape the server's schedule
 * takes (`generator: (client) => ({ region, date, knownAt }) => files`).
 */
export function createBulletinGenerator(client: CordonClient, options: { lang?: BulletinLang } = {}) {
  return async (request: { region: string; date: string; knownAt?: string | undefined }): Promise<RenderedBulletin> =>
    renderBulletin(await fetchBulletinFigures(client, request), { lang: options.lang ?? 'zh' });
}
