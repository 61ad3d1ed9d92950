import { readFileSync, writeFileSync } from 'node:fs';

/**
 * A process's resident memory from /proc/<pid>/status (Linux): its peak
 * (VmHWM, the high-water mark since it started or since {@link resetPeak})
 * and now (VmRSS), in KiB. Undefined where /proc is not there.
 */
export function memoryOf(pid: number | 'self' = 'self'): { peakKiB: number; nowKiB: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    const peakKiB = field('VmHWM');
    const nowKiB = field('VmRSS');
    return Number.isFinite(peakKiB) && Number.isFinite(nowKiB) ? { peakKiB, nowKiB } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Sets the process's VmHWM back to its current RSS (writing 5 to
 * /proc/<pid>/clear_refs), so the next reading is the peak of what ran in
 * between. False where that is not allowed.
 */
export function resetPeak(pid: number | 'self' = 'self'): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** KiB as GiB with two decimals ("1.23 GiB"), or "n/a". */
export function gib(kib: number | null | undefined): string {
  return kib === null || kib === undefined || !Number.isFinite(kib) ? 'n/a' : `${(kib / 2 ** 20).toFixed(2)} GiB`;
}
