import { describe, expect, it } from 'vitest';
import { MAX_POLL_STRETCH, nextPollDelay, withSample } from '../../../src/copy/next-poll-delay.js';

const I = 1_000;
const START = 1_000_000;

describe('nextPollDelay', () => {
  // A copy of 100 s at a steady 1 % a second unless a row says otherwise; delays in ms.
  it.each([
    {
      why: 'no progress reported yet',
      now: START + 10_000,
      progressPercent: undefined,
      history: [],
      want: I,
    },
    { why: 'progress still 0', now: START + 10_000, progressPercent: 0, history: [], want: I },
    {
      why: 'at 100 % but not yet AVAILABLE',
      now: START + 99_000,
      progressPercent: 100,
      history: [],
      want: I,
    },
    { why: 'no time has passed since the start', now: START, progressPercent: 5, history: [], want: I },
    {
      why: 'far from done: capped at MAX_POLL_STRETCH intervals',
      now: START + 5_000,
      progressPercent: 5,
      history: [],
      want: MAX_POLL_STRETCH * I,
    },
    {
      why: 'half-way: half the 50 s left is past the cap too',
      now: START + 50_000,
      progressPercent: 50,
      history: [],
      want: MAX_POLL_STRETCH * I,
    },
    // A reading of 90 % may be 90.99 %: the estimate takes 91 % (8.9 s left at 91 % in 90 s) and waits half.
    { why: 'about 9 s left: half of it', now: START + 90_000, progressPercent: 90, history: [], want: 4_451 },
    { why: 'about 3 s left: half of it', now: START + 96_000, progressPercent: 96, history: [], want: 1_485 },
    {
      why: 'under two intervals left: every interval',
      now: START + 99_000,
      progressPercent: 99,
      history: [],
      want: I,
    },
    {
      why: 'speeding up: the recent rate (21 % in 4 s) wins over the overall one',
      now: START + 80_000,
      progressPercent: 60,
      history: [{ at: START + 76_000, progressPercent: 40 }],
      want: 3_714,
    },
    {
      why: 'slowing down: the faster overall rate wins (an early look, never a late one)',
      now: START + 90_000,
      progressPercent: 90,
      history: [{ at: START + 85_000, progressPercent: 89 }],
      want: 4_451,
    },
    {
      why: 'a reading that went backwards is ignored',
      now: START + 90_000,
      progressPercent: 90,
      history: [{ at: START + 89_000, progressPercent: 95 }],
      want: 4_451,
    },
  ])('$why: $want ms', ({ now, progressPercent, history, want }) => {
    expect(
      nextPollDelay({
        startedAt: START,
        now,
        ...(progressPercent !== undefined ? { progressPercent } : {}),
        history,
        pollIntervalMs: I,
      }),
    ).toBe(want);
  });

  it('is never later than a poll interval after the estimated end, and never sooner than an interval', () => {
    for (let p = 1; p < 100; p += 1) {
      const now = START + p * 1_000;
      const delay = nextPollDelay({
        startedAt: START,
        now,
        progressPercent: p,
        history: [],
        pollIntervalMs: I,
      });
      const estimatedEnd = START + 100_000;
      expect(delay).toBeGreaterThanOrEqual(I);
      expect(now + delay).toBeLessThanOrEqual(estimatedEnd + I);
    }
  });

  it('follows a steady copy to its end in far fewer polls than one per interval, seeing its end within one', () => {
    const durationMs = 600_000; // 600 intervals
    let now = START;
    let history: { at: number; progressPercent: number }[] = [];
    let polls = 0;
    for (;;) {
      polls += 1;
      if (now >= START + durationMs) break;
      const progressPercent = Math.floor(((now - START) / durationMs) * 100);
      const delay = nextPollDelay({ startedAt: START, now, progressPercent, history, pollIntervalMs: I });
      history = withSample(history, { at: now, progressPercent });
      now += delay;
    }
    expect(now - (START + durationMs)).toBeLessThanOrEqual(I);
    expect(polls).toBeLessThan(600 / 4);
  });
});

describe('withSample', () => {
  it('keeps the last three readings', () => {
    const h = [1, 2, 3, 4].reduce<{ at: number; progressPercent: number }[]>(
      (acc, n) => withSample(acc, { at: n, progressPercent: n }),
      [],
    );
    expect(h.map((s) => s.at)).toEqual([2, 3, 4]);
  });
});
