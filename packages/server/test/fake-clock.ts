import type { Timer } from '../src/bulletins/schedule.ts';

/** A clock and a timer that move only when the test says so. */
export function fakeClock(start: string) {
  let t = Date.parse(start);
  const pending = new Set<{ at: number; callback: () => void }>();
  const timer: Timer = {
    set(callback, ms) {
      const entry = { at: t + ms, callback };
      pending.add(entry);
      return entry;
    },
    clear(handle) {
      pending.delete(handle as { at: number; callback: () => void });
    },
  };
  return {
    now: () => new Date(t),
    timer,
    /** Timers armed and not yet fired. */
    get pending() {
      return [...pending].map((p) => new Date(p.at).toISOString());
    },
    /** Moves the clock to `instant`, firing every timer due by then (in time order). */
    advanceTo(instant: string) {
      t = Date.parse(instant);
      for (const entry of [...pending].sort((a, b) => a.at - b.at)) {
        if (entry.at > t) break;
        pending.delete(entry);
        entry.callback();
      }
    },
  };
}
