import { describe, expect, it } from 'vitest';
import { foreignTargets, targetAt } from '../src/foreign-copy-driver.js';

describe('what the other tool wants in progress', () => {
  const input = { seed: 7, maxForeign: 4, meanSpanMs: 1_000, totalMs: 200_000 };

  it('is seeded: the same seed, the same spans for every behaviour compared', () => {
    expect(foreignTargets(input)).toEqual(foreignTargets(input));
    expect(foreignTargets({ ...input, seed: 8 })).not.toEqual(foreignTargets(input));
  });

  it('holds 0 to maxForeign slots, every level drawn, for spans of about the mean', () => {
    const targets = foreignTargets(input);
    const counts = new Set(targets.map((t) => t.count));
    expect([...counts].sort()).toEqual([0, 1, 2, 3, 4]);
    const meanSpan = (targets.at(-1)?.fromMs ?? 0) / (targets.length - 1);
    expect(meanSpan).toBeGreaterThan(800);
    expect(meanSpan).toBeLessThan(1_250);
  });

  it('is read as a step function, 0 before the first and after it is over', () => {
    const targets = [
      { fromMs: 0, count: 2 },
      { fromMs: 100, count: 4 },
    ];
    expect(targetAt(targets, 0)).toBe(2);
    expect(targetAt(targets, 99)).toBe(2);
    expect(targetAt(targets, 100)).toBe(4);
    expect(targetAt([], 5)).toBe(0);
  });
});
