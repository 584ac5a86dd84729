import { describe, expect, it } from 'vitest';
import { isStarving, WorkerStallWatch, type QueueLoad } from '../../../src/ops/worker-stall-watch.js';
import { memoryLogger } from '../../support/memory-logger.js';

describe('isStarving', () => {
  it.each<[string, QueueLoad, boolean]>([
    ['jobs wait and a slot is free', { waiting: 3, active: 2, concurrency: 5, held: false }, true],
    ['nothing waits', { waiting: 0, active: 0, concurrency: 5, held: false }, false],
    ['every slot is busy', { waiting: 3, active: 5, concurrency: 5, held: false }, false],
    [
      'more active than allowed (a lowered limit)',
      { waiting: 1, active: 6, concurrency: 5, held: false },
      false,
    ],
    ['rate limited or paused', { waiting: 3, active: 0, concurrency: 5, held: true }, false],
  ])('%s: %s', (_name, load, starving) => {
    expect(isStarving(load)).toBe(starving);
  });
});

describe('WorkerStallWatch', () => {
  it('judges each queue on its own, forgives a worker that takes jobs, and keeps its verdict while Redis is away', async () => {
    const clock = { now: 0 };
    const loads = new Map<string, QueueLoad | Error>();
    const taken = new Map<string, number>();
    const { logger, lines } = memoryLogger();
    const watch = new WorkerStallWatch({
      workers: () =>
        ['copy-a', 'copy-b'].map((queue) => ({
          queue,
          load: () => {
            const l = loads.get(queue);
            if (l instanceof Error) return Promise.reject(l);
            return Promise.resolve(l ?? { waiting: 0, active: 0, concurrency: 5, held: false });
          },
          lastTakenAt: () => taken.get(queue),
        })),
      stallAfterMs: 1_000,
      logger,
      now: () => clock.now,
    });
    const at = async (ms: number) => {
      clock.now = ms;
      await watch.check();
      return watch.health();
    };
    loads.set('copy-a', { waiting: 2, active: 0, concurrency: 5, held: false });
    loads.set('copy-b', { waiting: 2, active: 0, concurrency: 5, held: false });
    expect((await at(0)).healthy).toBe(true);
    taken.set('copy-b', 600); // b takes a job now and then: starving only since then
    expect((await at(900)).healthy).toBe(true);
    expect(await at(1_000)).toEqual({
      healthy: false,
      stalled: [{ queue: 'copy-a', waiting: 2, forMs: 1_000 }],
    });
    loads.set('copy-a', new Error('Connection is closed.'));
    expect((await at(1_500)).stalled.map((s) => s.queue)).toEqual(['copy-a']);
    expect((await at(1_900)).stalled.map((s) => s.queue)).toEqual(['copy-a', 'copy-b']);
    loads.set('copy-a', { waiting: 0, active: 1, concurrency: 5, held: false });
    taken.set('copy-b', 2_000);
    expect(await at(2_000)).toEqual({ healthy: true, stalled: [] });
    expect(lines.filter((l) => l.event === 'worker.stalled').map((l) => l['queue'])).toEqual([
      'copy-a',
      'copy-b',
    ]);
  });
});
