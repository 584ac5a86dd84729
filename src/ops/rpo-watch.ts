import type { RedisClient } from '../queue/redis-connection.js';
import type { Logger } from 'pino';
import type { Config } from '../config/types.js';
import { latestCopyField, type OutcomeStore } from '../queue/outcome-store.js';
import { serviceKeys } from '../queue/queue-names.js';
import { evaluateRpo, rpoKey, type RpoState } from '../schedule/evaluate-rpo.js';
import { errorFields } from '../log.js';

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

export interface RpoWatch {
  /** Checks now (also after a config reload). */
  check(): Promise<void>;
  close(): Promise<void>;
}

/** Reads the first-seen times, recording now for pairs not seen before. */
export async function rpoFirstSeen(
  redis: RedisClient,
  prefix: string,
  config?: Config,
  now = Date.now(),
): Promise<Map<string, number>> {
  const key = serviceKeys(prefix).rpoFirstSeen;
  if (config) {
    const fields = config.policies.flatMap((p) =>
      p.rpoMs === undefined
        ? []
        : p.source.fileSystemIds.flatMap((fs) =>
            p.destinations.map((d) =>
              rpoKey({ policy: p.name, fileSystemId: fs, destinationRegion: d.region }),
            ),
          ),
    );
    if (fields.length > 0) {
      const pipeline = redis.pipeline();
      for (const f of fields) pipeline.hsetnx(key, f, String(now));
      await pipeline.exec();
    }
  }
  const all = await redis.hgetall(key);
  return new Map(Object.entries(all).map(([k, v]) => [k, Number(v)]));
}

/**
 * Watches the RPO of every policy that sets `rpo`: logs `rpo.breach` once when the newest copy of a file system in
 * a destination gets older than the RPO (or none comes in time), and `rpo.recovered` once when it heals.
 */
export function startRpoWatch(opts: {
  readonly redis: RedisClient;
  readonly prefix: string;
  readonly outcomes: OutcomeStore;
  readonly getConfig: () => Config;
  readonly logger: Logger;
  readonly intervalMs: number;
}): RpoWatch {
  const log = opts.logger.child({ component: 'rpo-watch' });
  const stateKey = serviceKeys(opts.prefix).rpoState;
  const report = async (s: RpoState): Promise<void> => {
    const moved = await opts.redis.eval(TRANSITION, 1, stateKey, rpoKey(s), s.breached ? 'breached' : 'ok');
    if (moved !== 1) return;
    const fields = {
      policy: s.policy,
      fileSystemId: s.fileSystemId,
      destinationRegion: s.destinationRegion,
      rpoSeconds: s.rpoMs / 1000,
      ageSeconds: s.ageMs === undefined ? null : Math.round(s.ageMs / 1000),
      sourceBackupId: s.newestCopy?.sourceBackupId ?? null,
      destinationBackupId: s.newestCopy?.destinationBackupId ?? null,
    };
    if (s.breached)
      log.error(
        { event: 'rpo.breach', ...fields },
        s.newestCopy ? 'newest copy is older than the RPO' : 'no copy within the RPO',
      );
    else log.info({ event: 'rpo.recovered', ...fields }, 'RPO met again');
  };
  const check = async (): Promise<void> => {
    const config = opts.getConfig();
    if (!config.policies.some((p) => p.rpoMs !== undefined)) return;
    const now = Date.now();
    const [latest, firstSeen] = await Promise.all([
      opts.outcomes.latestCopies(),
      rpoFirstSeen(opts.redis, opts.prefix, config, now),
    ]);
    const states = evaluateRpo({
      policies: config.policies,
      newestCopy: (r, fs, d) => latest.get(latestCopyField(r, fs, d)),
      firstSeen: (p, fs, d) => firstSeen.get(rpoKey({ policy: p, fileSystemId: fs, destinationRegion: d })),
      now,
    });
    for (const s of states) await report(s);
  };
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const tick = (): void => {
    if (stopped) return;
    running = check().catch((err: unknown) =>
      log.warn({ event: 'rpo.check_failed', ...errorFields(err) }, 'RPO check failed'),
    );
  };
  const timer = setInterval(tick, opts.intervalMs);
  tick();
  return {
    check: async () => {
      await running;
      tick();
      await running;
    },
    close: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
