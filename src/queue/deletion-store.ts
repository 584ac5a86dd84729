import type { Redis } from 'ioredis';
import type { DeletionRecord } from '../retention/deletion-record.js';
import { retentionKeys } from './retention-names.js';

export interface DeletionRecordRetention {
  readonly maxCount: number;
  readonly maxAgeMs: number;
}

// Written once per id (HSETNX), indexed by time, trimmed by age and count in the same step, as outcomes are.
const RECORD = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[4], 'LIMIT', 0, 1000)
for _, id in ipairs(old) do
  redis.call('HDEL', KEYS[1], id)
  redis.call('ZREM', KEYS[2], id)
end
local n = redis.call('ZCARD', KEYS[2])
local max = tonumber(ARGV[5])
if n > max then
  local extra = redis.call('ZRANGE', KEYS[2], 0, n - max - 1)
  for _, id in ipairs(extra) do
    redis.call('HDEL', KEYS[1], id)
    redis.call('ZREM', KEYS[2], id)
  end
end
return 1
`;

/** The records of retention's decisions (deleted, would-delete, skipped, failed), with bounded retention. */
export class DeletionStore {
  private readonly keys;

  /** @param retention the bounds, or a getter of the bounds in force (a reload then applies to the next record). */
  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly retention: DeletionRecordRetention | (() => DeletionRecordRetention),
  ) {
    this.keys = retentionKeys(prefix);
  }

  /** Writes a record once per id; false when one was written before (a job resumed after a crash). */
  async record(record: DeletionRecord): Promise<boolean> {
    const at = Date.parse(record.at);
    const bounds = typeof this.retention === 'function' ? this.retention() : this.retention;
    const written = await this.redis.eval(
      RECORD,
      2,
      this.keys.records,
      this.keys.recordIndex,
      record.id,
      JSON.stringify(record),
      String(at),
      String(at - bounds.maxAgeMs),
      String(bounds.maxCount),
    );
    return written === 1;
  }

  /** Newest first. */
  async list(opts: { readonly limit: number }): Promise<DeletionRecord[]> {
    const ids = await this.redis.zrevrange(this.keys.recordIndex, 0, opts.limit - 1);
    if (ids.length === 0) return [];
    const rows = await this.redis.hmget(this.keys.records, ...ids);
    return rows.flatMap((row) => (row === null ? [] : [JSON.parse(row) as DeletionRecord]));
  }
}
