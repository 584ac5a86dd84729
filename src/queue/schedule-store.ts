import type { RedisClient } from './redis-connection.js';
import { serviceKeys } from './queue-names.js';

// Moves the last planned slot of a policy forward, never back (two schedulers may race to write it).
const ADVANCE_SLOT = `
local cur = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '-1')
if tonumber(ARGV[2]) > cur then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) return 1 end
return 0
`;

/**
 * The last slot each policy fired, shared by every scheduler process: what catch-up after a downtime is decided
 * from, and what `status` shows as the last fire.
 */
export class ScheduleStore {
  private readonly key: string;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.key = serviceKeys(prefix).scheduleLastSlot;
  }

  /** The last fired slot (epoch ms) of every policy that ever fired, configured now or not. */
  async lastSlots(): Promise<Map<string, number>> {
    const all = await this.redis.hgetall(this.key);
    return new Map(Object.entries(all).map(([policy, slot]) => [policy, Number(slot)]));
  }

  /** Moves a policy's last slot forward to `slotMs`; true when this call moved it (so exactly one caller logs it). */
  async advance(policy: string, slotMs: number): Promise<boolean> {
    return (await this.redis.eval(ADVANCE_SLOT, 1, this.key, policy, String(slotMs))) === 1;
  }
}
