import { describe, expect, it } from 'vitest';
import {
  breachSummary,
  deadlineOrder,
  listSchedule,
  orderBreachMs,
  type DeadlineJob,
} from '../src/breach-accounting.js';

describe('RPO breach accounting', () => {
  it('counts a pair whose copy lands after its deadline, and how late, not one that lands on it', () => {
    expect(breachSummary([100, 250, 300, 90], [100, 200, 350, 50])).toEqual({
      pairs: 4,
      breaches: 2,
      totalBreachMs: 50 + 40,
      maxLatenessMs: 50,
    });
  });

  it('leaves a copy that never landed out of the breaches (it is counted apart)', () => {
    expect(breachSummary([Number.NaN, 10], [0, 5])).toMatchObject({ breaches: 1, totalBreachMs: 5 });
  });

  it('starts each copy of the order on the slot that frees first, at the moment it frees', () => {
    const jobs: DeadlineJob[] = [300, 100, 100, 50].map((durationMs) => ({ durationMs, deadlineMs: 0 }));
    // Two slots: 0 and 1 start at 0; 2 takes the slot 1 frees at 100; 3 the one 2 frees at 200.
    expect(listSchedule(jobs, [0, 1, 2, 3], 2)).toEqual([300, 100, 200, 250]);
    // Reversed: 3 and 2 start at 0, 1 takes 3's slot at 50, 0 takes 2's at 100; reported by job, not by position.
    expect(listSchedule(jobs, [3, 2, 1, 0], 2)).toEqual([400, 150, 100, 50]);
  });

  it('orders by deadline, ties in plan order', () => {
    const jobs: DeadlineJob[] = [
      { durationMs: 1, deadlineMs: 30 },
      { durationMs: 1, deadlineMs: 10 },
      { durationMs: 1, deadlineMs: 30 },
      { durationMs: 1, deadlineMs: -5 },
    ];
    expect(deadlineOrder(jobs)).toEqual([3, 1, 0, 2]);
  });

  it('prices an order as its zero-hand-over schedule', () => {
    const jobs: DeadlineJob[] = [
      { durationMs: 100, deadlineMs: 300 },
      { durationMs: 100, deadlineMs: 100 },
    ];
    expect(orderBreachMs(jobs, [0, 1], 1)).toBe(100);
    expect(orderBreachMs(jobs, [1, 0], 1)).toBe(0);
  });
});
