import { describe, expect, it } from 'vitest';
import { RedisFailoverWatch } from '../../../src/queue/redis-failover-watch.js';
import { memoryLogger } from '../../support/memory-logger.js';

function watchOn(topology: 'standalone' | 'sentinel' | 'cluster') {
  const clock = { now: 1_000 };
  const { logger, lines } = memoryLogger();
  const watch = new RedisFailoverWatch({ logger, topology, now: () => clock.now });
  return { watch, clock, failovers: () => lines.filter((l) => l.event === 'redis.failover') };
}

describe('RedisFailoverWatch', () => {
  it('logs one redis.failover per failover for the whole process, however many connections see it', () => {
    const { watch, clock, failovers } = watchOn('sentinel');
    watch.reached('10.0.0.1:6379', 'main');
    watch.reached('10.0.0.1:6379', 'worker');
    expect(watch.state()).toEqual({ inProgress: false, primary: '10.0.0.1:6379', failovers: 0 });

    watch.suspect('primary unreachable');
    clock.now += 400;
    watch.suspect('READONLY');
    expect(watch.state()).toMatchObject({ inProgress: true, since: 1_000, reason: 'primary unreachable' });
    clock.now += 1_600;
    watch.reached('10.0.0.2:6379', 'main');
    watch.reached('10.0.0.2:6379', 'worker');
    expect(watch.state()).toEqual({ inProgress: false, primary: '10.0.0.2:6379', failovers: 1 });
    expect(failovers()).toEqual([
      expect.objectContaining({
        level: 'warn',
        from: '10.0.0.1:6379',
        to: '10.0.0.2:6379',
        connection: 'main',
        reason: 'primary unreachable',
        tookMs: 2_000,
      }),
    ]);

    // The second kill of the chaos run: a second failover, a second line.
    watch.suspect('primary unreachable');
    watch.reached('10.0.0.1:6379', 'main');
    expect(failovers()).toHaveLength(2);
  });

  it('ends the trouble without a failover when the same primary comes back (a restart, not a promotion)', () => {
    const { watch, failovers } = watchOn('sentinel');
    watch.reached('10.0.0.1:6379', 'main');
    watch.suspect('primary unreachable');
    expect(watch.state().inProgress).toBe(true);
    watch.reached('10.0.0.1:6379', 'main');
    expect(watch.state()).toEqual({ inProgress: false, primary: '10.0.0.1:6379', failovers: 0 });
    expect(failovers()).toEqual([]);
  });

  it('on a single node treats a lost connection as an outage, but READONLY as a failover sign', () => {
    const { watch, failovers } = watchOn('standalone');
    watch.reached('10.0.0.1:6379', 'main');
    watch.suspect('primary unreachable');
    expect(watch.state().inProgress).toBe(false);
    watch.suspect('READONLY');
    expect(watch.state()).toMatchObject({ inProgress: true, reason: 'READONLY' });
    // An ElastiCache primary endpoint now resolves to the promoted node.
    watch.reached('10.0.0.9:6379', 'main');
    expect(failovers()).toHaveLength(1);
  });

  it('ends the trouble when Redis serves again but will not say which node it is', () => {
    const { watch, failovers } = watchOn('cluster');
    watch.reached('10.0.0.1:7000', 'main');
    watch.suspect('primary unreachable');
    watch.settle();
    expect(watch.state()).toEqual({ inProgress: false, primary: '10.0.0.1:7000', failovers: 0 });
    expect(failovers()).toEqual([]);
  });

  it('sees no failover before the first contact', () => {
    const { watch, failovers } = watchOn('cluster');
    watch.suspect('primary unreachable');
    expect(watch.state()).toEqual({ inProgress: false, failovers: 0 });
    watch.reached('10.0.0.1:7000', 'main');
    expect(failovers()).toEqual([]);
  });
});
