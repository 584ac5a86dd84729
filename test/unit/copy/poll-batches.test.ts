import { describe, expect, it } from 'vitest';
import {
  describeBatches,
  IDS_PER_DESCRIBE,
  nextRoundAt,
  selectRound,
  splitOnNotFound,
} from '../../../src/copy/poll-batches.js';

const want = (backupId: string, earliestAt: number, dueAt: number) => ({ backupId, earliestAt, dueAt });

describe('selectRound and nextRoundAt', () => {
  it('runs at the earliest due time, and takes every copy whose earliest time has come, most urgent first', () => {
    const wants = [
      want('b-late', 500, 1_500),
      want('b-due', 0, 1_000),
      want('b-early', 900, 1_900),
      want('b-far', 2_000, 3_000),
    ];
    expect(nextRoundAt(wants)).toBe(1_000);
    expect(selectRound(wants, 1_000)).toEqual(['b-due', 'b-late', 'b-early']);
  });

  it('asks for a copy once even when two jobs wait for it, and nothing when nobody waits', () => {
    expect(selectRound([want('b-1', 0, 10), want('b-1', 0, 20)], 10)).toEqual(['b-1']);
    expect(nextRoundAt([])).toBeUndefined();
    expect(selectRound([], 10)).toEqual([]);
  });
});

describe('describeBatches', () => {
  it('cuts ids into calls of at most 50', () => {
    const ids = Array.from({ length: 120 }, (_, i) => `backup-${i}`);
    const batches = describeBatches(ids);
    expect(batches.map((b) => b.length)).toEqual([50, 50, 20]);
    expect(batches.flat()).toEqual(ids);
    expect(IDS_PER_DESCRIBE).toBe(50);
    expect(describeBatches([])).toEqual([]);
  });
});

describe('splitOnNotFound', () => {
  it('halves a batch, and has nothing to split in a single id (the missing one)', () => {
    expect(splitOnNotFound(['a', 'b', 'c', 'd', 'e'])).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
    expect(splitOnNotFound(['a', 'b'])).toEqual([['a'], ['b']]);
    expect(splitOnNotFound(['a'])).toBeUndefined();
  });

  it('finds one missing id among 50 in about 2·log2(50) calls', () => {
    const missing = 'id-37';
    let calls = 0;
    const found: string[] = [];
    const ask = (ids: string[]): void => {
      calls += 1;
      if (!ids.includes(missing)) return void found.push(...ids);
      const halves = splitOnNotFound(ids);
      if (halves) halves.forEach(ask);
    };
    const ids = Array.from({ length: 50 }, (_, i) => `id-${i}`);
    ask(ids);
    expect(found).toHaveLength(49);
    expect(calls).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(50)) + 1);
  });
});
