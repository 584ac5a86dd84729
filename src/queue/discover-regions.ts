import type { Redis } from 'ioredis';

/**
 * The destination Regions that have a copy queue in Redis, whatever the config says now: a Region removed from the
 * config may still hold copies that were queued, or handed back at shutdown, and they must still finish.
 */
export async function discoverCopyRegions(redis: Redis, prefix: string): Promise<string[]> {
  const regions = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:copy-*:meta`, 'COUNT', 500);
    cursor = next;
    for (const k of keys) regions.add(k.slice(`${prefix}:copy-`.length, -':meta'.length));
  } while (cursor !== '0');
  return [...regions].sort();
}
