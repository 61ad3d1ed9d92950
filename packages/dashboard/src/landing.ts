export type Lang = 'zh' | 'en';

const text = {
  zh: {
    lang: 'zh-CN',
    title: 'Cordon 疫情防控数据平台',
    lead: '卡点、监测点和村组上报的排查、劝返、发热、居家隔离等数据，按日汇总到县、乡镇、村。',
    dashboard: '数据看板',
    dashboardNote: '用 API 密钥登录，查看本地区的累计数、逐日趋势、各乡镇分布和报送情况。',
    docs: 'API 文档',
    docsNote: '所有接口、参数和返回格式（OpenAPI 3.1），可在页面上直接试用。',
    bulletins: '每日简报',
    bulletinsNote: '按日生成的疫情防控工作简报：在看板中打开当日简报，或在“往期简报”中查看历次（接口 GET /v1/bulletins）。',
    switchTo: 'English',
    switchHref: '/?lang=en',
  },
  en: {
    lang: 'en',
    title: 'Cordon public-health field data',
    lead: 'Screenings, people turned back, fever cases and home quarantine reported by checkpoints, monitoring points and villages, counted per day for the county, its towns and villages.',
    dashboard: 'Dashboard',
    dashboardNote: 'Sign in with an API key to see your region: totals, daily trend, the towns, who has not reported.',
    docs: 'API reference',
    docsNote: 'Every route, parameter and answer (OpenAPI 3.1), with "Try it out".',
    bulletins: 'Daily bulletins',
    bulletinsNote:
      'The daily bulletin written from the figures: open the day’s bulletin from the dashboard, or any earlier one under Past bulletins (API: GET /v1/bulletins).',
    switchTo: '中文',
    switchHref: '/',
  },
} as const;

/** GET /: what this server offers, in Chinese or (?lang=en) English. Plain HTML, no script. */
export function landingPage(lang: Lang): string {
  const t = text[lang];
  return `<!doctype html>
<html lang="${t.lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${t.title}</title>
  <link rel="icon" href="data:,">
  <style>
    body { margin: 0; font-family: system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: #1f2933; background: #f4f6f8; line-height: 1.6; }
    header { background: #8b1c1c; color: #fff; padding: 24px 20px; }
    header div, main { max-width: 960px; margin: 0 auto; }
    h1 { margin: 0 0 8px; font-size: 1.6rem; }
    header p { margin: 0; opacity: .9; }
    nav.lang { float: right; }
    nav.lang a { color: #fff; }
    main { padding: 20px; display: grid; gap: 16px; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); }
    section { background: #fff; border-radius: 8px; padding: 16px 20px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
    section h2 { margin: 0 0 8px; font-size: 1.2rem; }
    section a { color: #8b1c1c; font-weight: 600; }
  </style>
</head>
<body>
  <header><div>
    <nav class="lang" aria-label="Language"><a href="${t.switchHref}" lang="${lang === 'zh' ? 'en' : 'zh-CN'}">${t.switchTo}</a></nav>
    <h1>${t.title}</h1>
    <p>${t.lead}</p>
  </div></header>
  <main>
    <section><h2><a href="/dashboard">${t.dashboard}</a></h2><p>${t.dashboardNote}</p></section>
    <section><h2><a href="/docs">${t.docs}</a></h2><p>${t.docsNote}</p></section>
    <section><h2><a href="/dashboard">${t.bulletins}</a></h2><p>${t.bulletinsNote}</p></section>
  </main>
</body>
</html>`;
}
