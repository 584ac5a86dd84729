import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  decideSourceWait,
  decideTransientRetry,
  DEFAULT_RETRY_LIMITS as limits,
} from '../../../src/copy/retry-policy.js';

const low = () => 0;
const high = () => 0.999999;

describe('backoffDelay', () => {
  it('doubles from the base, is capped, and jitters within [d/2, d]', () => {
    expect(backoffDelay(0, 1000, 60_000, high)).toBe(1000);
    expect(backoffDelay(0, 1000, 60_000, low)).toBe(500);
    expect(backoffDelay(3, 1000, 60_000, high)).toBe(8000);
    expect(backoffDelay(20, 1000, 60_000, high)).toBe(60_000);
    expect(backoffDelay(1000, 1000, 60_000, low)).toBe(30_000);
  });
});

describe('decideSourceWait', () => {
  const base = { waits: 0, now: 1_000_000, startDeadlineAt: 1_000_000 + 8 * 3600_000, limits, random: high };
  it('waits while the source is still being made, with growing delays', () => {
    expect(decideSourceWait({ ...base, source: 'in-progress' })).toEqual({
      action: 'retry',
      delayMs: 30_000,
    });
    expect(decideSourceWait({ ...base, source: 'in-progress', waits: 2 })).toEqual({
      action: 'retry',
      delayMs: 120_000,
    });
    expect(decideSourceWait({ ...base, source: 'in-progress', waits: 50 })).toEqual({
      action: 'retry',
      delayMs: 900_000,
    });
  });
  it('never sleeps past the start deadline, and gives up at it', () => {
    expect(decideSourceWait({ ...base, source: 'in-progress', startDeadlineAt: base.now + 5_000 })).toEqual({
      action: 'retry',
      delayMs: 5_000,
    });
    const at = decideSourceWait({ ...base, source: 'in-progress', startDeadlineAt: base.now });
    expect(at).toEqual({ action: 'give-up', reason: expect.stringContaining('start deadline') as string });
  });
  it('gives up on a source that is FAILED, DELETED or gone, naming which', () => {
    expect(decideSourceWait({ ...base, source: 'failed', sourceLifecycle: 'FAILED' })).toEqual({
      action: 'give-up',
      reason: 'the source backup is FAILED',
    });
    expect(decideSourceWait({ ...base, source: 'deleted', sourceLifecycle: 'DELETED' })).toMatchObject({
      action: 'give-up',
    });
    expect(decideSourceWait({ ...base, source: 'gone' })).toEqual({
      action: 'give-up',
      reason: 'the source backup no longer exists',
    });
  });
  it('retries at once when the source became AVAILABLE meanwhile, and backs off if FSx keeps refusing it', () => {
    expect(decideSourceWait({ ...base, source: 'available' })).toEqual({ action: 'retry', delayMs: 0 });
    expect(decideSourceWait({ ...base, source: 'available', waits: 1 })).toEqual({
      action: 'retry',
      delayMs: 60_000,
    });
    expect(
      decideSourceWait({ ...base, source: 'available', waits: 3, startDeadlineAt: base.now }),
    ).toMatchObject({
      action: 'give-up',
    });
  });
});

describe('decideTransientRetry', () => {
  it('retries up to the limit with backoff, then gives up', () => {
    expect(decideTransientRetry({ failures: 1, limits, random: high })).toEqual({
      action: 'retry',
      delayMs: 1000,
    });
    expect(decideTransientRetry({ failures: 4, limits, random: high })).toEqual({
      action: 'retry',
      delayMs: 8000,
    });
    expect(
      decideTransientRetry({ failures: limits.maxTransientFailures, limits, random: high }),
    ).toMatchObject({
      action: 'retry',
    });
    expect(
      decideTransientRetry({ failures: limits.maxTransientFailures + 1, limits, random: high }),
    ).toMatchObject({
      action: 'give-up',
    });
  });
});
