/** The consumer's health as `/v1/status` shows it, on an injected clock. */
import { describe, expect, it } from 'vitest';
import { createHealthTracker } from './health.ts';

const at = (ms: number) => new Date(ms).toISOString();

describe('createHealthTracker', () => {
  it('goes ok → retrying at the first failure → stuck after stuckAfterMs → ok at the next success', () => {
    let now = 1_000;
    const health = createHealthTracker({ stuckAfterMs: 30_000, now: () => now });
    expect(health.read()).toEqual({ state: 'ok', since: at(1_000), lastError: null });
    now = 5_000;
    health.failed(0, 'ECONNREFUSED');
    now = 20_000;
    health.failed(0, 'still refused');
    expect(health.read()).toEqual({ state: 'retrying', since: at(5_000), lastError: 'still refused' });
    now = 35_000;
    expect(health.read()).toEqual({ state: 'stuck', since: at(35_000), lastError: 'still refused' });
    now = 40_000;
    health.succeeded(0);
    // The last error stays visible after recovery: it says what happened.
    expect(health.read()).toEqual({ state: 'ok', since: at(40_000), lastError: 'still refused' });
  });

  it('is stuck when one partition is, though another goes on, and ok only once every one succeeded', () => {
    let now = 0;
    const health = createHealthTracker({ stuckAfterMs: 10_000, now: () => now });
    health.failed(1, 'partition 1');
    now = 4_000;
    health.failed(0, 'partition 0');
    now = 10_000;
    health.succeeded(0);
    expect(health.read()).toEqual({ state: 'stuck', since: at(10_000), lastError: 'partition 0' });
    now = 12_000;
    health.succeeded(1);
    expect(health.read()).toEqual({ state: 'ok', since: at(12_000), lastError: 'partition 0' });
  });

  it('keeps the ok since of a success that ends no failure', () => {
    let now = 7;
    const health = createHealthTracker({ stuckAfterMs: 10, now: () => now });
    now = 50;
    health.succeeded(3);
    expect(health.read().since).toBe(at(7));
  });
});
