/**
 * The address bar's fragment: `#key=<key>&region=410184&to=2020-02-13`.
 * The fragment never reaches the server, so a wall screen can be set up
 * with one link; the page reads the key, keeps it in sessionStorage and
 * writes the fragment back without it.
 */
export interface Fragment {
  key: string | null;
  region: string | null;
  from: string | null;
  to: string | null;
  metric: string | null;
  interval: 'day' | 'week' | null;
  knownAt: string | null;
  lang: 'zh' | 'en' | null;
  /** Seconds between checks for new figures (a wall screen may want it slower). */
  refresh: number | null;
}

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;
const regionPattern = /^(\d{6}|\d{9}|\d{12})$/;

export function parseFragment(hash: string): Fragment {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const get = (name: string) => {
    const value = params.get(name);
    return value === null || value.trim() === '' ? null : value.trim();
  };
  const day = (name: string) => {
    const value = get(name);
    return value !== null && dayPattern.test(value) ? value : null;
  };
  const region = get('region');
  const interval = get('interval');
  const lang = get('lang');
  const refresh = Number(get('refresh'));
  const knownAt = get('knownAt');
  return {
    key: get('key'),
    region: region !== null && regionPattern.test(region) ? region : null,
    from: day('from'),
    to: day('to'),
    metric: get('metric'),
    interval: interval === 'day' || interval === 'week' ? interval : null,
    knownAt: knownAt !== null && !Number.isNaN(Date.parse(knownAt)) ? knownAt : null,
    lang: lang === 'zh' || lang === 'en' ? lang : null,
    refresh: Number.isFinite(refresh) && refresh >= 1 ? refresh : null,
  };
}

/** The fragment for a view, never with a key: what the address bar shows after sign-in. */
export function formatFragment(view: Omit<Fragment, 'key'>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(view)) if (value !== null && value !== undefined) params.set(name, String(value));
  const text = params.toString();
  return text === '' ? '' : `#${text}`;
}
