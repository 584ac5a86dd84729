import type { RedisClient } from './redis-connection.js';
import type { CopyOutcome } from '../copy/outcome.js';
import type { LatestCopy } from '../schedule/plan-copies.js';
import { serviceKeys } from './queue-names.js';

/** The newest successful copy of a file system into a Region, kept for planning and RPO. */
export interface LatestCopyRecord extends LatestCopy {
  readonly policy: string;
  readonly destinationBackupId: string;
  readonly finishedAt: string;
}

export interface OutcomeRetention {
  readonly maxCount: number;
  readonly maxAgeMs: number;
}

// One atomic step: the outcome is written once per job (HSETNX), indexed by time, and on success the copy is
// marked done and the newest-copy record moves forward (never back). Old outcomes are trimmed in the same step.
const RECORD_OUTCOME = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
if ARGV[4] == 'succeeded' then
  redis.call('SET', KEYS[3], ARGV[5], 'PX', ARGV[9])
  local cur = redis.call('HGET', KEYS[4], ARGV[6])
  local curCreated = -1
  if cur then curCreated = tonumber(cjson.decode(cur).sourceCreatedAt) or -1 end
  if tonumber(ARGV[8]) >= curCreated then redis.call('HSET', KEYS[4], ARGV[6], ARGV[7]) end
end
local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[11], 'LIMIT', 0, 1000)
for _, id in ipairs(old) do
  redis.call('HDEL', KEYS[1], id)
  redis.call('ZREM', KEYS[2], id)
end
local n = redis.call('ZCARD', KEYS[2])
local max = tonumber(ARGV[10])
if n > max then
  local extra = redis.call('ZRANGE', KEYS[2], 0, n - max - 1)
  for _, id in ipairs(extra) do
    redis.call('HDEL', KEYS[1], id)
    redis.call('ZREM', KEYS[2], id)
  end
end
return 1
`;

export function latestCopyField(
  sourceRegion: string,
  fileSystemId: string,
  destinationRegion: string,
): string {
  return `${sourceRegion}|${fileSystemId}|${destinationRegion}`;
}

/**
 * Outcome records in Redis with bounded retention, the "already copied" markers, and the newest successful copy
 * per (source file system, destination Region).
 */
export class OutcomeStore {
  private readonly keys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    private readonly retention: OutcomeRetention,
  ) {
    this.keys = serviceKeys(prefix);
  }

  /**
   * Records how a copy job ended. Idempotent per job: a job resumed after a crash that records again changes
   * nothing. Returns false when the job already had an outcome.
   */
  async record(outcome: CopyOutcome, copyKeyId: string, sourceCreatedAt: number): Promise<boolean> {
    const finishedAt = Date.parse(outcome.finishedAt);
    const latest: LatestCopyRecord = {
      sourceBackupId: outcome.sourceBackupId,
      sourceCreatedAt,
      policy: outcome.policy,
      destinationBackupId: outcome.destinationBackupId ?? '',
      finishedAt: outcome.finishedAt,
    };
    const written = await this.redis.eval(
      RECORD_OUTCOME,
      4,
      this.keys.outcomes,
      this.keys.outcomeIndex,
      this.keys.copied(copyKeyId),
      this.keys.latestCopies,
      outcome.jobId,
      JSON.stringify(outcome),
      String(finishedAt),
      outcome.status,
      outcome.destinationBackupId ?? '',
      latestCopyField(outcome.sourceRegion, outcome.fileSystemId, outcome.destinationRegion),
      JSON.stringify(latest),
      String(sourceCreatedAt),
      String(this.retention.maxAgeMs),
      String(this.retention.maxCount),
      String(finishedAt - this.retention.maxAgeMs),
    );
    return written === 1;
  }

  async hasOutcome(jobId: string): Promise<boolean> {
    return (await this.redis.hexists(this.keys.outcomes, jobId)) === 1;
  }

  /** The destination backup id of a copy already made of this key, if the service made or found one. */
  async copiedAs(copyKeyId: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys.copied(copyKeyId))) ?? undefined;
  }

  /** Newest first; `policy` filters. */
  async list(opts: { limit: number; policy?: string }): Promise<CopyOutcome[]> {
    const out: CopyOutcome[] = [];
    const batch = Math.max(50, opts.limit);
    for (let start = 0; out.length < opts.limit; start += batch) {
      const ids = await this.redis.zrevrange(this.keys.outcomeIndex, start, start + batch - 1);
      if (ids.length === 0) break;
      const rows = await this.redis.hmget(this.keys.outcomes, ...ids);
      for (const row of rows) {
        if (row === null) continue;
        const o = JSON.parse(row) as CopyOutcome;
        if (opts.policy !== undefined && o.policy !== opts.policy) continue;
        out.push(o);
        if (out.length >= opts.limit) break;
      }
    }
    return out;
  }

  /** The newest successful copy of each (source Region, file system) into each Region. */
  async latestCopies(): Promise<Map<string, LatestCopyRecord>> {
    const all = await this.redis.hgetall(this.keys.latestCopies);
    return new Map(Object.entries(all).map(([k, v]) => [k, JSON.parse(v) as LatestCopyRecord]));
  }
}
