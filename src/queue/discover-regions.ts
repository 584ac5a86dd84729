import { isCluster, type RedisClient } from './redis-connection.js';

/**
 * The destination Regions that have a copy queue in Redis, whatever the config says now: a Region removed from the
 * config may still hold copies that were queued, or handed back at shutdown, and they must still finish. On a
 * cluster SCAN sees one node's keys only, so every primary is scanned (the service's keys are all on one).
 */
export async function discoverCopyRegions(redis: RedisClient, prefix: string): Promise<string[]> {
  const regions = new Set<string>();
  const nodes = isCluster(redis) ? redis.nodes('master') : [redis];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}:copy-*:meta`, 'COUNT', 500);
      cursor = next;
      for (const k of keys) regions.add(k.slice(`${prefix}:copy-`.length, -':meta'.length));
    } while (cursor !== '0');
  }
  return [...regions].sort();
}
