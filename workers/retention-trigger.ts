import type { Logger } from 'pino';
import type { Config } from '../src/config/types.js';
import { errorFields, logEvent } from '../src/log.js';
import type { RetentionQueues } from '../src/queue/retention-queues.js';
import { sweepSlot } from '../src/retention/deletion-job.js';
import { retentionScopesOf } from '../src/retention/retention-scope.js';

export interface RetentionTrigger {
  /** Looks at the config again (a reload may add Regions or change the interval). */
  wake(): void;
  close(): Promise<void>;
}

const MAX_SLEEP_MS = 30_000;
const MIN_SLEEP_MS = 50;

/**
 * Adds the full sweep of each (account, destination Region) once per `sweepInterval`, at the interval's start: the
 * job id is the interval's, so any number of scheduler processes add it once, and a process started mid-interval
 * sweeps at once (when no one did yet).
 */
export function startRetentionTrigger(opts: {
  readonly getConfig: () => Config;
  readonly retention: RetentionQueues;
  readonly logger: Logger;
}): RetentionTrigger {
  const log = opts.logger.child({ component: 'retention-trigger' });
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const tick = async (): Promise<number> => {
    const config = opts.getConfig();
    const interval = config.settings.retention.sweepIntervalMs;
    const now = Date.now();
    const slot = sweepSlot(now, interval);
    for (const scope of retentionScopesOf(config))
      await opts.retention.addPeriodicSweep(scope, slot, interval);
    return Math.max(MIN_SLEEP_MS, Math.min(MAX_SLEEP_MS, slot + interval - Date.now()));
  };
  const loop = (): void => {
    if (stopped) return;
    running = tick()
      .then((ms) => {
        if (!stopped) timer = setTimeout(loop, ms);
      })
      .catch((err: unknown) => {
        logEvent(log, 'retention.trigger_failed', errorFields(err), 'could not add a sweep; retrying');
        if (!stopped) timer = setTimeout(loop, 1_000);
      });
  };
  loop();
  return {
    wake: () => {
      if (stopped) return;
      void running.then(() => {
        if (timer) clearTimeout(timer);
        loop();
      });
    },
    close: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running.catch(() => undefined);
    },
  };
}
