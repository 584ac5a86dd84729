import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../simulator/src/seeded-random.js';
import { orderBreachMs, type DeadlineJob } from '../src/breach-accounting.js';
import { breachOracle } from '../src/breach-oracle.js';

/** Every order, for the exhaustive check (n! of them: small n only). */
function bestByExhaustion(jobs: readonly DeadlineJob[], slots: number): number {
  let best = Number.POSITIVE_INFINITY;
  const walk = (order: number[], left: number[]): void => {
    if (left.length === 0) {
      best = Math.min(best, orderBreachMs(jobs, order, slots));
      return;
    }
    left.forEach((j, i) => walk([...order, j], [...left.slice(0, i), ...left.slice(i + 1)]));
  };
  walk(
    [],
    jobs.map((_, i) => i),
  );
  return best;
}

function randomJobs(seed: number, n: number): DeadlineJob[] {
  const r = createSeededRandom(seed);
  return Array.from({ length: n }, () => ({
    durationMs: 1 + Math.floor(r.next() * (r.next() < 0.3 ? 2_000 : 400)),
    deadlineMs: Math.floor(r.next() * 1_500),
  }));
}

describe('the breach oracle', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'finds the least total breach time of every order (seed %i, 8 copies, 3 slots)',
    (seed) => {
      const jobs = randomJobs(seed, 8);
      const oracle = breachOracle(jobs, 3);
      expect(oracle.exact).toBe(true);
      expect(oracle.totalBreachMs).toBe(bestByExhaustion(jobs, 3));
      // What it reports is what its order costs, and its order is a permutation of the copies.
      expect(orderBreachMs(jobs, oracle.order, 3)).toBe(oracle.totalBreachMs);
      expect([...oracle.order].sort((a, b) => a - b)).toEqual(jobs.map((_, i) => i));
    },
  );

  it('beats earliest-deadline-first where a long hopeless copy should wait', () => {
    // One slot: the long copy is late whatever happens; started first it makes both short ones late too.
    const jobs: DeadlineJob[] = [
      { durationMs: 1_000, deadlineMs: 100 },
      { durationMs: 100, deadlineMs: 200 },
      { durationMs: 100, deadlineMs: 300 },
    ];
    expect(orderBreachMs(jobs, [0, 1, 2], 1)).toBe(900 + 900 + 900);
    const oracle = breachOracle(jobs, 1);
    expect(oracle.order).toEqual([1, 2, 0]);
    expect(oracle.totalBreachMs).toBe(1_100);
  });

  it('is zero, with nothing to search, when every copy fits its deadline', () => {
    const jobs: DeadlineJob[] = [1, 2, 3, 4, 5, 6].map((i) => ({ durationMs: 10, deadlineMs: 10 * i }));
    expect(breachOracle(jobs, 5)).toMatchObject({ totalBreachMs: 0, exact: true, nodes: 0 });
  });

  it('says when it ran out of nodes before proving its order optimal, and keeps a bound below it', () => {
    const jobs = randomJobs(42, 16);
    const oracle = breachOracle(jobs, 5, { maxNodes: 50 });
    expect(oracle.exact).toBe(false);
    expect(oracle.lowerBoundMs).toBeLessThanOrEqual(oracle.totalBreachMs);
    expect(orderBreachMs(jobs, oracle.order, 5)).toBe(oracle.totalBreachMs);
  });
});
