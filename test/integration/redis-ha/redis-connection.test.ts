import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { readRedisTarget, type RedisTarget } from '../../../src/config/redis-target.js';
import {
  isCluster,
  openRedis,
  openRedisOnce,
  type RedisClient,
} from '../../../src/queue/redis-connection.js';
import { RedisFailoverWatch } from '../../../src/queue/redis-failover-watch.js';
import { isFailoverReplyError } from '../../../src/queue/redis-options.js';
import { memoryLogger } from '../../support/memory-logger.js';
import { RedisClusterSet } from '../../support/redis-cluster.js';
import { RedisSentinelSet } from '../../support/redis-sentinel.js';
import { eventually } from '../../support/service-process.js';

const PASSWORD = 'data-Pa55word';

function targetOf(env: Record<string, string>): RedisTarget {
  const r = readRedisTarget(env);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.target;
}

describe('the Redis connection on Sentinel', () => {
  let set: RedisSentinelSet | undefined;
  const clients: RedisClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.disconnect();
    await set?.stop();
    set = undefined;
  });

  it('follows a SIGKILLed primary to the promoted replica: commands go on, one redis.failover per process, readiness off while it lasts, the old primary back as a replica (and READONLY is what a demoted node says)', async () => {
    set = await RedisSentinelSet.start({ password: PASSWORD });
    const target = targetOf(set.env());
    const { logger, lines, text } = memoryLogger();
    const watch = new RedisFailoverWatch({ logger, topology: 'sentinel' });
    const main = openRedis(target, { logger, name: 'main', watch });
    const other = openRedis(target, { logger, name: 'worker', watch });
    clients.push(main, other);
    const counter = `${set.prefix}:counter`;
    await main.incr(counter);
    // Killed before every sentinel knows the replica and the other sentinels, the primary might never be failed
    // over (a sentinel learns the replicas from the primary's INFO, and the others through it).
    const first = await set.waitUntilHealthy();
    // Replication is asynchronous: a write the replica has not received when the primary dies is lost with it
    // (on a loaded machine the replica can lag by that much). The count below needs it replicated.
    expect(await main.call('WAIT', '1', '10000')).toBe(1);
    await eventually('the watch knows the primary', () => watch.state().primary !== undefined);
    expect(watch.state()).toEqual({ inProgress: false, primary: `127.0.0.1:${first.port}`, failovers: 0 });

    // A replica's answers are what a demoted primary says: READONLY, for a write and for a writing script.
    const replica = set.dataNodes.find((n) => n !== first);
    const r = new Redis({
      port: replica?.port ?? 0,
      host: '127.0.0.1',
      password: PASSWORD,
      maxRetriesPerRequest: 0,
    });
    const write = await r.set('k', 'v').catch((e: Error) => e);
    const script = await r.eval("return redis.call('SET', KEYS[1], 'v')", 1, 'k').catch((e: Error) => e);
    r.disconnect();
    expect(isFailoverReplyError(write as Error)).toBe('READONLY');
    expect(isFailoverReplyError(script as Error)).toBe('READONLY');
    expect(isFailoverReplyError(new Error("ERR unknown command 'X'"))).toBeUndefined();
    expect(isFailoverReplyError(new Error('LOADING Redis is loading the dataset in memory'))).toBe('LOADING');

    await first.kill('SIGKILL');
    // While the sentinels have not promoted anyone yet, the process is not ready.
    await eventually('the failover is seen in progress', () => watch.state().inProgress);
    // Commands sent now wait for the new primary instead of failing (awaited together with the promotion, so that
    // one failing fails the test at once, not as an unhandled rejection while the promotion is waited for).
    const [promoted] = await Promise.all([
      set.waitForPromotion(first),
      main.incr(counter),
      other.incr(counter),
    ]);
    await eventually(
      'the failover is over',
      () => !watch.state().inProgress && watch.state().failovers === 1,
    );
    expect(watch.state().primary).toBe(`127.0.0.1:${promoted.port}`);
    expect(await main.get(counter)).toBe('3');

    const failovers = lines.filter((l) => l.event === 'redis.failover');
    expect(failovers).toHaveLength(1);
    expect(failovers[0]).toMatchObject({
      level: 'warn',
      topology: 'sentinel',
      from: `127.0.0.1:${first.port}`,
      to: `127.0.0.1:${promoted.port}`,
      reason: 'primary unreachable',
    });
    expect(failovers[0]?.['tookMs']).toBeGreaterThan(0);
    expect(text()).not.toContain(PASSWORD);

    // The test helper's part: the killed node, started again, is taken back as a replica of the new primary.
    await set.restart(first);
    expect(await set.waitUntilHealthy(60_000)).toBe(promoted);
    expect(await set.roleOf(first)).toBe('slave');
    expect(set.sentinels).toHaveLength(3);
  });

  it('leaves the old primary, still alive, for the promoted one (a graceful SENTINEL FAILOVER)', async () => {
    set = await RedisSentinelSet.start();
    const target = targetOf(set.env());
    const { logger, lines } = memoryLogger();
    const watch = new RedisFailoverWatch({ logger, topology: 'sentinel' });
    const main = openRedis(target, { logger, name: 'main', watch });
    clients.push(main);
    await main.set(`${set.prefix}:k`, 'v');
    // SENTINEL FAILOVER answers NOGOODSLAVE from a sentinel that does not know the replica yet.
    const first = await set.waitUntilHealthy();
    await eventually('the watch knows the primary', () => watch.state().primary !== undefined);
    const sentinel = new Redis({ port: set.sentinels[0]?.port ?? 0, host: '127.0.0.1' });
    await sentinel.call('SENTINEL', 'FAILOVER', 'fsxdr-test');
    sentinel.disconnect();
    const promoted = await set.waitForPromotion(first);
    // The old primary is still alive (the sentinels demote it a few seconds later): writes must go to the new one.
    expect(first.running).toBe(true);
    await eventually('a write lands on the new primary', async () => {
      await main.set(`${set?.prefix}:after`, 'v2');
      return watch.state().primary === `127.0.0.1:${promoted.port}`;
    });
    const direct = new Redis({ port: promoted.port, host: '127.0.0.1' });
    expect(await direct.get(`${set.prefix}:after`)).toBe('v2');
    direct.disconnect();
    expect(lines.filter((l) => l.event === 'redis.failover')).toHaveLength(1);
  });

  it('lives through a failover announced while it asks a sentinel for the primary (ioredis would end the client: "Connection is closed")', async () => {
    set = await RedisSentinelSet.start();
    const target = targetOf(set.env());
    const { logger } = memoryLogger();
    const main = openRedis(target, { logger, name: 'main' });
    if (isCluster(main)) throw new Error('a Sentinel connection expected');
    // BullMQ makes its own connections with duplicate(): they must live through it as well.
    const copy = main.duplicate();
    copy.on('error', () => undefined);
    clients.push(main, copy);
    const key = `${set.prefix}:n`;
    await Promise.all([main.incr(key), copy.incr(key)]);
    const first = await set.waitUntilHealthy();
    // ioredis asks the sentinels in the order given; the other two announce the failover.
    const [asked, announcer, third] = set.sentinels;
    if (!asked || !announcer || !third) throw new Error('three sentinels expected');
    for (const s of [announcer, third]) {
      await eventually(
        'each connection subscribed to +switch-master',
        async () => (await subscribersOn(s.port)) >= 2,
      );
    }
    const listener = new Redis({ port: announcer.port, host: '127.0.0.1' });
    listener.on('error', () => undefined);
    clients.push(listener);
    const announced = new Promise<void>((resolve) =>
      listener.on('message', (channel: string) => channel === '+switch-master' && resolve()),
    );
    await listener.subscribe('+switch-master');

    // A sentinel that takes its time to answer, as a loaded machine's does: the reconnects' look-ups wait on it
    // while the two others promote the replica and announce it.
    asked.pause();
    await first.kill('SIGKILL');
    await eventually(
      'both connections asking the slow sentinel for the primary',
      () => main.status === 'connecting' && copy.status === 'connecting',
    );
    await announced;
    // A round trip to the announcer after its announcement: the connections' own subscriptions have it too.
    await subscribersOn(announcer.port);
    asked.resume();

    const [a, b] = await Promise.all([main.incr(key), copy.incr(key)]);
    expect([a, b].every((n) => typeof n === 'number')).toBe(true);
    expect([main.status, copy.status]).toEqual(['ready', 'ready']);
  });

  it('makes a one-shot command fail at once when no sentinel answers, never quoting a password', async () => {
    const target = targetOf({
      REDIS_SENTINELS: '127.0.0.1:1,127.0.0.1:2',
      REDIS_SENTINEL_MASTER: 'mymaster',
      REDIS_PASSWORD: PASSWORD,
      REDIS_SENTINEL_PASSWORD: 'sentinel-Pa55',
    });
    const started = Date.now();
    const err = await openRedisOnce(target).catch((e: Error) => e);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(
      /^cannot reach Redis at sentinel master mymaster via 127\.0\.0\.1:1,127\.0\.0\.1:2 \(password\): /,
    );
    expect((err as Error).message).not.toContain(PASSWORD);
    expect((err as Error).message).not.toContain('sentinel-Pa55');
  });
});

describe('the Redis connection on a cluster', () => {
  let set: RedisClusterSet | undefined;
  const clients: RedisClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.disconnect();
    await set?.stop();
    set = undefined;
  });

  it('finds the node of the hash tag, runs multi-key scripts under it, and shows why the tag is needed (CROSSSLOT)', async () => {
    set = await RedisClusterSet.start({ password: PASSWORD });
    const target = targetOf(set.env());
    const { logger, text } = memoryLogger();
    const watch = new RedisFailoverWatch({ logger, topology: 'cluster' });
    const tag = `{${set.prefix}}`;
    const client = openRedis(target, { logger, name: 'main', watch, slotKey: `${tag}:outcomes` });
    clients.push(client);
    expect(isCluster(client)).toBe(true);
    const script = "redis.call('SET', KEYS[1], '1'); redis.call('SET', KEYS[2], '2'); return 1";
    expect(await client.eval(script, 2, `${tag}:a`, `${tag}:b`)).toBe(1);
    const untagged = await client
      .eval(script, 2, `${set.prefix}:a`, `${set.prefix}:b`)
      .catch((e: Error) => e);
    expect(String(untagged)).toMatch(/CROSSSLOT/);

    const node = set.nodeForSlot(await set.keySlot(`${tag}:outcomes`));
    await eventually('the watch knows the node', () => watch.state().primary !== undefined);
    expect(watch.state().primary).toBe(`127.0.0.1:${node.port}`);

    const once = await openRedisOnce(target);
    expect(await once.get(`${tag}:a`)).toBe('1');
    once.disconnect();
    expect(text()).not.toContain(PASSWORD);
  });
});

/** Clients of a sentinel subscribed to a channel (the failover detectors of ioredis connections). */
async function subscribersOn(port: number): Promise<number> {
  const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
  r.on('error', () => undefined);
  try {
    await r.connect();
    const list = String(await r.call('CLIENT', 'LIST'));
    return list.split('\n').filter((line) => / sub=[1-9]/.test(line)).length;
  } finally {
    r.disconnect();
  }
}
