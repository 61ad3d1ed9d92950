/**
 * A strict reader of the Prometheus text exposition format (0.0.4), for
 * tests: every line must be a HELP, a TYPE or a sample; every sample must
 * belong to a family declared by TYPE before it; label values must be
 * properly quoted and escaped; values must be Go-style floats. It throws on
 * the first line that breaks a rule.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  types: Map<string, string>;
  help: Map<string, string>;
  samples: Sample[];
  /** The value of the one sample with this name and exactly these labels. */
  value(name: string, labels?: Record<string, string>): number | undefined;
}

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// Prometheus reads values with Go's strconv.ParseFloat, which takes Inf and NaN in any case (prom-client writes "Nan").
const number = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?inf|nan)$/i;
const kinds = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const suffixes: Record<string, string[]> = { histogram: ['_bucket', '_sum', '_count'], summary: ['', '_sum', '_count'] };

export function parsePrometheusText(text: string): Exposition {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  const samples: Sample[] = [];
  const lines = text.slice(0, -1).split('\n');
  lines.forEach((line, i) => {
    const where = `line ${i + 1} ${JSON.stringify(line)}`;
    if (line === '') return;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
      if (!m) throw new Error(`${where}: a comment must be "# HELP name text" or "# TYPE name type"`);
      const [, what, name, rest] = m as unknown as [string, string, string, string];
      if (!metricName.test(name)) throw new Error(`${where}: bad metric name`);
      if (what === 'TYPE') {
        if (!kinds.has(rest)) throw new Error(`${where}: unknown type`);
        if (types.has(name)) throw new Error(`${where}: TYPE given twice`);
        types.set(name, rest);
      } else help.set(name, rest);
      return;
    }
    const sample = parseSample(line, where);
    const family = familyOf(sample.name, types);
    if (!family) throw new Error(`${where}: sample of a family without TYPE`);
    samples.push(sample);
  });
  return {
    types,
    help,
    samples,
    value(name, labels = {}) {
      const wanted = JSON.stringify(Object.entries(labels).sort());
      const found = samples.filter((s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === wanted);
      if (found.length > 1) throw new Error(`${name} ${wanted} appears ${found.length} times`);
      return found[0]?.value;
    },
  };
}

function familyOf(name: string, types: Map<string, string>): string | undefined {
  if (types.has(name)) return name;
  for (const [family, kind] of types) {
    if ((suffixes[kind] ?? []).some((suffix) => suffix !== '' && name === family + suffix)) return family;
  }
  return undefined;
}

function parseSample(line: string, where: string): Sample {
  const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
  if (!nameMatch) throw new Error(`${where}: a sample must start with a metric name`);
  const name = nameMatch[0];
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    rest = rest.slice(1);
    while (!rest.startsWith('}')) {
      const l = /^([^=]+)="/.exec(rest);
      if (!l || !labelName.test(l[1]!)) throw new Error(`${where}: bad label`);
      rest = rest.slice(l[0].length);
      let value = '';
      for (;;) {
        const ch = rest[0];
        if (ch === undefined) throw new Error(`${where}: unterminated label value`);
        if (ch === '"') break;
        if (ch === '\\') {
          const escaped = rest[1];
          if (escaped === 'n') value += '\n';
          else if (escaped === '\\' || escaped === '"') value += escaped;
          else throw new Error(`${where}: bad escape in a label value`);
          rest = rest.slice(2);
        } else {
          value += ch;
          rest = rest.slice(1);
        }
      }
      rest = rest.slice(1);
      if (l[1]! in labels) throw new Error(`${where}: label given twice`);
      labels[l[1]!] = value;
      if (rest.startsWith(',')) rest = rest.slice(1);
      else if (!rest.startsWith('}')) throw new Error(`${where}: labels must be separated by commas`);
    }
    rest = rest.slice(1);
  }
  const parts = rest.split(' ');
  if (parts[0] !== '' || parts.length < 2 || parts.length > 3) throw new Error(`${where}: expected " value [timestamp]" after the name`);
  const raw = parts[1]!;
  if (!number.test(raw)) throw new Error(`${where}: bad value`);
  if (parts[2] !== undefined && !/^-?\d+$/.test(parts[2])) throw new Error(`${where}: bad timestamp`);
  const lower = raw.toLowerCase();
  const value = lower.endsWith('inf') ? (lower.startsWith('-') ? -Infinity : Infinity) : lower === 'nan' ? NaN : Number(raw);
  return { name, labels, value };
}
