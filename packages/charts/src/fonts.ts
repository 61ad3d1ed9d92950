/**
 * Fonts that are on the machine, never fetched: offices may be offline, and
 * the bulletin's SVG is read by whatever renders it. Noto Sans CJK SC is
 * Debian's fonts-noto-cjk; the others are what Windows, macOS and older
 * Linux desktops ship. Single quotes, because the list ends up inside SVG
 * and HTML attributes written with double quotes.
 */
export const chartFontFamily =
  "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif";
