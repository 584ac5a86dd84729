import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { parseAccountRegionKey, type AccountRegion } from '../copy/account-region.js';
import { isCluster, type RedisClient } from './redis-connection.js';

async function scanNode(node: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}

/** An error of a node that is down or of a cluster that is not whole yet: worth waiting out. */
function isUnavailable(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  return /Connection is closed|ECONNREFUSED|ECONNRESET|CLUSTERDOWN|TRYAGAIN|LOADING|startup nodes|refresh slots/i.test(
    message,
  );
}

/**
 * The keys matching `pattern`. On a single node, SCAN waits for Redis like every command. On a cluster SCAN sees
 * one node's keys only and is sent to each primary's own connection, which does not wait for a node that is down
 * (the cluster's retries apply to commands it routes): so the scan waits for the cluster to be ready, and is
 * tried again while a node is unreachable, as every other command of the service waits for Redis.
 */
async function scanKeys(redis: RedisClient, pattern: string, waitMs: number): Promise<string[]> {
  if (!isCluster(redis)) return scanNode(redis, pattern);
  const deadline = Date.now() + waitMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      if (redis.status !== 'ready' && redis.status !== 'connect') {
        await new Promise((resolve) => redis.once('ready', resolve));
      }
      const keys = await Promise.all(redis.nodes('master').map((n) => scanNode(n, pattern)));
      return keys.flat();
    } catch (err) {
      if (!isUnavailable(err) || Date.now() >= deadline) throw err;
      await sleep(Math.min(2_000, 200 * attempt));
    }
  }
}

/**
 * The (account, destination Region) scopes that have a copy queue in Redis, whatever the config says now: a Region
 * (or account) removed from the config may still hold copies that were queued, or handed back at shutdown, and they
 * must still finish. On a cluster with a node down it waits up to `waitMs` (the service: as long as it takes; a CLI
 * verb: a few seconds). Sorted by queue name.
 */
export async function discoverCopyScopes(
  redis: RedisClient,
  prefix: string,
  waitMs = Number.POSITIVE_INFINITY,
): Promise<AccountRegion[]> {
  const keys = new Set<string>();
  for (const k of await scanKeys(redis, `${prefix}:copy-*:meta`, waitMs)) {
    keys.add(k.slice(`${prefix}:copy-`.length, -':meta'.length));
  }
  return [...keys].sort().map(parseAccountRegionKey);
}
