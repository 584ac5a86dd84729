import type { RedisClient } from './redis-connection.js';
import { serviceKeys } from './queue-names.js';

// Moves one pair's RPO state and says whether this caller made the move, so that of many processes watching,
// exactly one logs each breach and each recovery.
const TRANSITION = `
local prev = redis.call('HGET', KEYS[1], ARGV[1])
if ARGV[2] == 'breached' then
  if prev == 'breached' then return 0 end
  redis.call('HSET', KEYS[1], ARGV[1], 'breached')
  return 1
end
if prev == 'breached' then
  redis.call('HSET', KEYS[1], ARGV[1], 'ok')
  return 1
end
if not prev then redis.call('HSET', KEYS[1], ARGV[1], 'ok') end
return 0
`;

/**
 * The RPO watch's shared state, per watched pair (an `rpoKey`): when the service first saw it (a pair with no copy
 * is breached only once its RPO has passed since then) and whether it is breached now.
 */
export class RpoStore {
  private readonly keys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = serviceKeys(prefix);
  }

  /** When each pair was first seen (epoch ms). */
  async firstSeen(): Promise<Map<string, number>> {
    const all = await this.redis.hgetall(this.keys.rpoFirstSeen);
    return new Map(Object.entries(all).map(([k, v]) => [k, Number(v)]));
  }

  /** Records `now` as the first-seen time of the pairs not seen before; a pair seen before keeps its time. */
  async markSeen(pairs: readonly string[], now: number): Promise<void> {
    if (pairs.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const pair of pairs) pipeline.hsetnx(this.keys.rpoFirstSeen, pair, String(now));
    await pipeline.exec();
  }

  /** Sets a pair's state; true when this call changed it to breached, or from breached to ok. */
  async transition(pair: string, breached: boolean): Promise<boolean> {
    const moved = await this.redis.eval(
      TRANSITION,
      1,
      this.keys.rpoState,
      pair,
      breached ? 'breached' : 'ok',
    );
    return moved === 1;
  }
}
