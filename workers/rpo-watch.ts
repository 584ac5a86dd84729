import type { Logger } from 'pino';
import type { Config } from '../src/config/types.js';
import type { OutcomeReader } from '../src/queue/outcome-store.js';
import type { EstateStore } from '../src/queue/estate-store.js';
import type { RpoStore } from '../src/queue/rpo-store.js';
import { evaluateRpo, rpoKey, watchedRpoKeys, type RpoState } from '../src/schedule/evaluate-rpo.js';
import { errorFields, logEvent } from '../src/log.js';

export interface RpoWatch {
  /** Checks now (also after a config reload). */
  check(): Promise<void>;
  close(): Promise<void>;
}

export interface RpoWatchOptions {
  readonly rpo: RpoStore;
  readonly outcomes: OutcomeReader;
  /** What each selector matched at its last slot: its file systems are watched too. */
  readonly estate: EstateStore;
  readonly getConfig: () => Config;
  readonly logger: Logger;
  readonly intervalMs: number;
}

/** Logs a pair's breach or recovery, if this process is the one that moved its state. */
async function report(s: RpoState, rpo: RpoStore, log: Logger): Promise<void> {
  if (!(await rpo.transition(rpoKey(s), s.breached))) return;
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
    logEvent(
      log,
      'rpo.breach',
      { ...fields },
      s.newestCopy ? 'newest copy is older than the RPO' : 'no copy within the RPO',
    );
  else logEvent(log, 'rpo.recovered', { ...fields }, 'RPO met again');
}

/** One look at every watched pair. */
async function checkRpo(opts: RpoWatchOptions, log: Logger): Promise<void> {
  const config = opts.getConfig();
  const selections = await opts.estate.selections();
  const watched = watchedRpoKeys(config.policies, selections);
  if (watched.length === 0) return;
  const now = Date.now();
  await opts.rpo.markSeen(watched, now);
  const [latest, firstSeen] = await Promise.all([opts.outcomes.latestCopies(), opts.rpo.firstSeen()]);
  const states = evaluateRpo({
    policies: config.policies,
    selections,
    newestCopy: (pair) => latest.of(pair),
    firstSeen: (p, fs, d) => firstSeen.get(rpoKey({ policy: p, fileSystemId: fs, destinationRegion: d })),
    now,
  });
  for (const s of states) await report(s, opts.rpo, log);
}

/**
 * Watches the RPO of every policy that sets `rpo`: logs `rpo.breach` once when the newest copy of a file system in
 * a destination gets older than the RPO (or none comes in time), and `rpo.recovered` once when it heals. Any number
 * of processes may watch: the store lets exactly one of them log each transition.
 */
export function startRpoWatch(opts: RpoWatchOptions): RpoWatch {
  const log = opts.logger.child({ component: 'rpo-watch' });
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const tick = (): void => {
    if (stopped) return;
    running = checkRpo(opts, log).catch((err: unknown) =>
      logEvent(log, 'rpo.check_failed', { ...errorFields(err) }, 'RPO check failed'),
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
