import { afterAll, describe, expect, it } from 'vitest';
import { RedisClusterSet } from '../../support/redis-cluster.js';
import { RedisSentinelSet } from '../../support/redis-sentinel.js';

/**
 * The test helpers themselves: a Sentinel deployment and a three-primary cluster, started from `redis-server`
 * alone on free ports, that behave as the real thing does (a killed primary is replaced; a cluster spreads its
 * slots), and leave nothing running.
 */
describe('a Sentinel deployment from redis-server --sentinel', () => {
  let set: RedisSentinelSet | undefined;
  afterAll(async () => {
    await set?.stop();
  });

  it('promotes the replica when the primary is SIGKILLed, and takes the old primary back as a replica', async () => {
    set = await RedisSentinelSet.start({ password: 'data-pw', sentinelPassword: 'sentinel-pw' });
    expect(set.sentinels).toHaveLength(3);
    const first = await set.primary();
    expect(await set.roleOf(first)).toBe('master');
    const client = set.client();
    await client.set(`${set.prefix}:before`, 'kept');

    const { killed, primary } = await set.killPrimary();
    expect(killed).toBe(first);
    expect(primary).not.toBe(first);
    expect(await set.roleOf(primary)).toBe('master');
    // The same client, through the sentinels, reads what it wrote before and writes to the new primary.
    expect(await client.get(`${set.prefix}:before`)).toBe('kept');
    await client.set(`${set.prefix}:after`, 'written');

    await set.restart(killed);
    expect(await set.waitUntilHealthy(60_000)).toBe(primary);
    expect(await set.roleOf(killed)).toBe('slave');
    client.disconnect();

    const nodes = [...set.dataNodes, ...set.sentinels];
    await set.stop();
    set = undefined;
    expect(nodes.every((n) => !n.running)).toBe(true);
  });
});

describe('a three-primary cluster from redis-server cluster-enabled', () => {
  let set: RedisClusterSet | undefined;
  afterAll(async () => {
    await set?.stop();
  });

  it('covers every slot with three primaries, and puts keys of one hash tag on one node', async () => {
    set = await RedisClusterSet.start({ password: 'cluster-pw' });
    const cluster = set.client();
    const shards = (await cluster.call('CLUSTER', 'SLOTS')) as [number, number, unknown][];
    expect(shards).toHaveLength(3);
    expect(shards.reduce((n, [from, to]) => n + to - from + 1, 0)).toBe(16384);

    const tagged = ['a', 'b', 'c', 'd'].map((k) => `{${set?.prefix}}:${k}`);
    for (const k of tagged) await cluster.set(k, '1');
    const plain = ['a', 'b', 'c', 'd', 'e', 'f'].map((k) => `${set?.prefix}:${k}`);
    for (const k of plain) await cluster.set(k, '1');
    const perNode = await set.keysPerNode(`*${set.prefix}*`);
    const holdingTagged = [...perNode.values()].filter((keys) => keys.some((k) => k.startsWith('{')));
    expect(holdingTagged).toHaveLength(1);
    expect(holdingTagged[0]?.filter((k) => k.startsWith('{')).sort()).toEqual([...tagged].sort());
    // Without the tag the same names spread over the nodes.
    expect(
      [...perNode.values()].filter((keys) => keys.some((k) => !k.startsWith('{'))).length,
    ).toBeGreaterThan(1);
    cluster.disconnect();
    const nodes = set.nodes;
    await set.stop();
    set = undefined;
    expect(nodes.every((n) => !n.running)).toBe(true);
  });
});
