import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { serviceKeyPrefix } from '../../src/config/key-prefix.js';
import type { RedisTopology } from '../../src/config/redis-target.js';
import type { RedisClient } from '../../src/queue/redis-connection.js';
import { RedisClusterSet } from './redis-cluster.js';
import { RedisSentinelSet } from './redis-sentinel.js';
import { startRedis, type StartRedisOptions, type TestRedis } from './redis-server.js';

export const TEST_TOPOLOGIES: readonly RedisTopology[] = ['standalone', 'sentinel', 'cluster'];

/**
 * The topology integration tests run on: `REDIS_TOPOLOGY=sentinel npm test` (or `cluster`) runs the files that
 * ask for it against that deployment; `standalone` (the default) is a single `redis-server`, or `REDIS_URL`.
 */
export function topologyFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): RedisTopology {
  const raw = env['REDIS_TOPOLOGY'] ?? 'standalone';
  if (raw === '' || raw === 'standalone') return 'standalone';
  if (raw === 'sentinel' || raw === 'cluster') return raw;
  throw new Error(`REDIS_TOPOLOGY=${JSON.stringify(raw)}: expected standalone, sentinel or cluster`);
}

/**
 * The topologies a test that runs on every topology runs on: all three, or only the one `REDIS_TOPOLOGY` names
 * (`REDIS_TOPOLOGY=cluster npx vitest run test/integration/pipeline` to look at the cluster alone).
 */
export function topologiesUnderTest(
  env: Readonly<Record<string, string | undefined>> = process.env,
): readonly RedisTopology[] {
  return env['REDIS_TOPOLOGY'] ? [topologyFromEnv(env)] : TEST_TOPOLOGIES;
}

/** One Redis deployment of any topology, as a test needs it. */
export interface RedisDeployment {
  readonly topology: RedisTopology;
  /** `FSXDR_PREFIX` for the service: unique to this test. */
  readonly prefix: string;
  /** What the service's keys start with (the prefix in a hash tag on a cluster). */
  readonly keyPrefix: string;
  /** The variables a service process needs to reach it. */
  env(): Record<string, string>;
  /** A connection for the test's own reads (it follows failovers). */
  client(): RedisClient;
  stop(): Promise<void>;
  readonly standalone?: TestRedis;
  readonly sentinel?: RedisSentinelSet;
  readonly cluster?: RedisClusterSet;
}

export interface StartDeploymentOptions {
  readonly appendonly?: boolean;
  readonly password?: string;
  /** Standalone only: the options of startRedis (TLS, a private server even with REDIS_URL set, ...). */
  readonly standalone?: StartRedisOptions;
}

function standaloneDeployment(redis: TestRedis): RedisDeployment {
  return {
    topology: 'standalone',
    prefix: redis.prefix,
    keyPrefix: redis.prefix,
    standalone: redis,
    env: () => ({ REDIS_URL: redis.url }),
    client: () => {
      const c = new Redis(redis.url, {
        maxRetriesPerRequest: null,
        ...(redis.caFile ? { tls: { ca: readFileSync(redis.caFile) } } : {}),
      });
      c.on('error', () => undefined);
      return c;
    },
    stop: () => redis.stop(),
  };
}

/** Starts a deployment of `topology` on free ports (see redis-server.ts, redis-sentinel.ts, redis-cluster.ts). */
export async function startRedisDeployment(
  topology: RedisTopology,
  opts: StartDeploymentOptions = {},
): Promise<RedisDeployment> {
  const common = {
    ...(opts.appendonly !== undefined ? { appendonly: opts.appendonly } : {}),
    ...(opts.password !== undefined ? { password: opts.password } : {}),
  };
  switch (topology) {
    case 'standalone':
      return standaloneDeployment(await startRedis({ ...common, ...opts.standalone }));
    case 'sentinel': {
      const set = await RedisSentinelSet.start(common);
      return {
        topology,
        prefix: set.prefix,
        keyPrefix: serviceKeyPrefix(set.prefix, topology),
        sentinel: set,
        env: () => set.env(),
        client: () => set.client(),
        stop: () => set.stop(),
      };
    }
    case 'cluster': {
      const set = await RedisClusterSet.start(common);
      return {
        topology,
        prefix: set.prefix,
        keyPrefix: serviceKeyPrefix(set.prefix, topology),
        cluster: set,
        env: () => set.env(),
        client: () => set.client(),
        stop: () => set.stop(),
      };
    }
  }
}
