import { Queue, Worker } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { serviceKeyPrefix } from '../../../src/config/key-prefix.js';
import { readRedisTarget } from '../../../src/config/redis-target.js';
import { openRedis } from '../../../src/queue/redis-connection.js';
import { copyQueueName, PLAN_QUEUE_NAME } from '../../../src/queue/queue-names.js';
import { memoryLogger } from '../../support/memory-logger.js';
import { RedisClusterSet } from '../../support/redis-cluster.js';
import { eventually } from '../../support/service-process.js';

/**
 * BullMQ on a cluster with the service's prefix: queues of several Regions and the plan queue, jobs added, taken,
 * finished, delayed and deduplicated, global concurrency set. Every key that leaves behind, BullMQ's own included,
 * must sit in the one hash slot of the prefix's tag, or a Lua script touching two of them fails with CROSSSLOT.
 */
describe('BullMQ on a cluster under the hash-tag prefix', () => {
  let set: RedisClusterSet | undefined;
  afterAll(async () => {
    await set?.stop();
  });

  it('keeps every key of every queue in one slot', async () => {
    set = await RedisClusterSet.start();
    const r = readRedisTarget(set.env());
    if (!r.ok) throw new Error('bad env');
    const prefix = serviceKeyPrefix(set.prefix, 'cluster');
    const { logger } = memoryLogger();
    const connection = openRedis(r.target, { logger, name: 'main', slotKey: `${prefix}:x` });
    // The test helper's part: three primaries over every slot.
    const shards = (await connection.call('CLUSTER', 'SLOTS')) as [number, number, unknown][];
    expect(shards).toHaveLength(3);
    expect(shards.reduce((n, [from, to]) => n + to - from + 1, 0)).toBe(16384);
    const names = [copyQueueName('us-west-2'), copyQueueName('eu-west-1'), PLAN_QUEUE_NAME];
    const queues = names.map((n) => new Queue(n, { connection, prefix }));
    await queues[0]?.setGlobalConcurrency(5);
    let done = 0;
    const workers = names.map(
      (n) =>
        new Worker(
          n,
          (job) => {
            done += 1;
            return Promise.resolve(job.data as unknown);
          },
          { connection, prefix, concurrency: 2 },
        ),
    );
    for (const q of queues) {
      for (let i = 0; i < 5; i += 1) {
        await q.add('j', { i }, { jobId: `j-${i}`, deduplication: { id: `d-${i}` } });
      }
      await q.add('later', {}, { delay: 60_000 });
    }
    await eventually('every job done', () => done === 15);
    await Promise.all(workers.map((w) => w.close()));
    await Promise.all(queues.map((q) => q.close()));
    connection.disconnect();

    const perNode = await set.keysPerNode(`${prefix}*`);
    const all = [...perNode.values()].flat();
    expect(all.length).toBeGreaterThan(20);
    expect([...perNode.values()].filter((keys) => keys.length > 0)).toHaveLength(1);
    const cluster = set;
    const slots = new Set(await Promise.all(all.map((k) => cluster.keySlot(k))));
    expect(slots.size).toBe(1);
    for (const n of names) expect(all.some((k) => k.startsWith(`${prefix}:${n}:`))).toBe(true);
    // Without the tag, the same names spread over the nodes (what CROSSSLOT would refuse).
    const spread = new Set(
      await Promise.all(names.map((n) => cluster.keySlot(`${set?.prefix ?? ''}:${n}:wait`))),
    );
    expect(spread.size).toBeGreaterThan(1);
    const nodes = set.nodes;
    await set.stop();
    set = undefined;
    expect(nodes.every((n) => !n.running)).toBe(true);
  });
});
