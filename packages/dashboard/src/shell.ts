/**
 * The dashboard's HTML: a frame the script fills. Chinese first; the page
 * switches `lang` itself. Fonts are the system's (Noto Sans CJK SC on the
 * office's Linux machines): no web font, no CDN.
 */
export function dashboardShell(version: string, chunks: readonly string[]): string {
  // Fetched beside the entry, evaluated only when the entry imports them (ECharts, once the first requests are sent).
  const preloads = chunks.map((name) => `\n  <link rel="modulepreload" href="/dashboard/${name}">`).join('');
  return `<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Cordon 数据看板</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/dashboard/app.css?v=${version}">
  <script type="module" src="/dashboard/app.js?v=${version}"></script>${preloads}
</head>
<body>
  <div id="app" aria-live="polite"></div>
  <noscript>本页需要 JavaScript。This page needs JavaScript.</noscript>
</body>
</html>`;
}
