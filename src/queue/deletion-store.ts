import type { RedisClient } from './redis-connection.js';
import type { DeletionRecord } from '../retention/deletion-record.js';
import { boundsGetter, trimRecordsLua, type RecordBoundsSource } from './bounded-records.js';
import { retentionKeys } from './retention-names.js';

// Written once per id (HSETNX), indexed by time, trimmed by age and count in the same step, as outcomes are.
const RECORD = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
${trimRecordsLua({ hash: 1, index: 2 }, { cutoff: 4, max: 5 })}
return 1
`;

/** The records of retention's decisions (deleted, would-delete, skipped, failed), with bounded retention. */
export class DeletionStore {
  private readonly keys;
  private readonly bounds;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    retention: RecordBoundsSource,
  ) {
    this.keys = retentionKeys(prefix);
    this.bounds = boundsGetter(retention);
  }

  /** Writes a record once per id; false when one was written before (a job resumed after a crash). */
  async record(record: DeletionRecord): Promise<boolean> {
    const at = Date.parse(record.at);
    const bounds = this.bounds();
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
