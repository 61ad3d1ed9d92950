import { loadavg } from 'node:os';

/** The 1, 5 and 15-minute load averages, as every bench prints them beside its figures ("1.85 5.02 8.18"). */
export function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}
