import type { MiddlewareHandler } from 'hono';
import { csvHeadingsOf, csvLanguageOf, csvRowsOf, toCsv } from '@cordon/schemas';

/**
 * Every figure route answers CSV on `Accept: text/csv`, in the shape
 * @cordon/schemas `toCsv` defines (the one `cordon export` writes too). UTF-8
 * with a BOM, so Excel opens Chinese names right. With `?lang=zh|en` or an
 * `Accept-Language` naming zh or en, aggregates and timeseries columns are
 * headed by the metric labels (`csvHeadingsOf`); without either, by the
 * machine names, as before.
 */
export function csvExport(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const wantsCsv = /\btext\/csv\b/i.test(c.req.header('accept') ?? '');
    if (!wantsCsv || c.res.status !== 200 || !c.res.headers.get('content-type')?.startsWith('application/json')) return;
    const body = (await c.res.clone().json()) as Record<string, unknown>;
    const rows = csvRowsOf(body);
    if (!rows) return;
    const url = new URL(c.req.url);
    const name = url.pathname.split('/').pop() || 'export';
    const lang = csvLanguageOf(url.searchParams.get('lang'), c.req.header('accept-language'));
    const headings = lang ? csvHeadingsOf(body, lang) : undefined;
    c.res = new Response(`\uFEFF${toCsv(rows, headings)}`, {
      status: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `inline; filename="${name}.csv"`,
        ...Object.fromEntries([...c.res.headers].filter(([h]) => h === 'etag' || h === 'vary')),
      },
    });
    c.res.headers.append('vary', 'Accept, Accept-Language');
  };
}
