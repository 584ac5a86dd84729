import type { RedisTopology } from './redis-target.js';

/**
 * The prefix of every Redis key and BullMQ queue of the service, from `FSXDR_PREFIX`. On a cluster it is wrapped in
 * a hash tag (`fsx-dr` becomes `{fsx-dr}`): Redis Cluster hashes only the part between the first `{` and `}`, so
 * every key (BullMQ's, across all queues, and the service's own) lands in one slot, and every Lua script and
 * multi-key command stays in that slot (no CROSSSLOT). Elsewhere the prefix stays as it was, so an upgrade keeps
 * finding the keys it wrote before.
 */
export function serviceKeyPrefix(name: string, topology: RedisTopology): string {
  return topology === 'cluster' ? `{${name}}` : name;
}

/** The part of a key Redis Cluster hashes: the hash tag when there is a non-empty one, else the whole key. */
export function hashTagOf(key: string): string {
  const open = key.indexOf('{');
  if (open === -1) return key;
  const close = key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}
