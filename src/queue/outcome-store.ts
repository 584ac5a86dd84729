import type { RedisClient } from './redis-connection.js';
import { accountOf } from '../copy/account-region.js';
import { latestCopyField } from '../copy/copy-key.js';
import { LatestCopies, type LatestCopyRecord } from '../copy/latest-copy.js';
import type { CopyOutcome } from '../copy/outcome.js';
import type { OutcomeRecorder } from '../copy/ports.js';
import {
  boundsGetter,
  trimRecordsLua,
  type RecordBounds,
  type RecordBoundsSource,
} from './bounded-records.js';
import { serviceKeys } from './queue-names.js';

/** How many outcome records are kept, and for how long: `settings.outcomeRetention`. */
export type OutcomeRetention = RecordBounds;

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
${trimRecordsLua({ hash: 1, index: 2 }, { cutoff: 11, max: 10 })}
return 1
`;

/**
 * Reads the outcome records, the "already copied" markers and the newest successful copy per (source file system,
 * destination Region). What the one-shot commands get: they cannot write, so they need no retention.
 */
export class OutcomeReader {
  protected readonly keys;

  constructor(
    protected readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = serviceKeys(prefix);
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
  async latestCopies(): Promise<LatestCopies> {
    const all = await this.redis.hgetall(this.keys.latestCopies);
    return new LatestCopies(
      new Map(Object.entries(all).map(([k, v]) => [k, JSON.parse(v) as LatestCopyRecord])),
    );
  }
}

/**
 * The outcome records with bounded retention: what a copy worker writes through. Old records are trimmed as new
 * ones are written, by the retention in force at that moment.
 */
export class OutcomeStore extends OutcomeReader implements OutcomeRecorder {
  private readonly retention: () => OutcomeRetention;

  /** @param retention a value, or a getter (the run's config, so a SIGHUP that changes it applies at once). */
  constructor(redis: RedisClient, prefix: string, retention: RecordBoundsSource) {
    super(redis, prefix);
    this.retention = boundsGetter(retention);
  }

  /**
   * Records how a copy job ended. Idempotent per job: a job resumed after a crash that records again changes
   * nothing. Returns false when the job already had an outcome.
   */
  async record(outcome: CopyOutcome, copyKeyId: string, sourceCreatedAt: number): Promise<boolean> {
    const finishedAt = Date.parse(outcome.finishedAt);
    const retention = this.retention();
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
      latestCopyField({ ...outcome, account: accountOf(outcome) }),
      JSON.stringify(latest),
      String(sourceCreatedAt),
      String(retention.maxAgeMs),
      String(retention.maxCount),
      String(finishedAt - retention.maxAgeMs),
    );
    return written === 1;
  }
}
