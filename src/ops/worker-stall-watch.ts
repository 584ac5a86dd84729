import type { Logger } from 'pino';
import { logEvent } from '../log.js';

/** What a queue looks like from Redis, all processes together. */
export interface QueueLoad {
  /** Jobs ready to run now (waiting and prioritized; not delayed). */
  readonly waiting: number;
  readonly active: number;
  /** How many may be active at once (the queue's global concurrency, else the worker's own). */
  readonly concurrency: number;
  /** The queue is rate limited (a Region-full pause) or paused: nobody should take a job now. */
  readonly held: boolean;
}

/** One BullMQ worker of this process, as the watch sees it. */
export interface WatchedWorker {
  /** The queue it serves, for the health answer and the log. */
  readonly queue: string;
  readonly load: () => Promise<QueueLoad>;
  /** When this process's worker last took a job from the queue (ms since the epoch), if ever. */
  readonly lastTakenAt: () => number | undefined;
}

/** A queue is starving when work is ready, a slot is free, nothing holds it back: some worker should take a job. */
export function isStarving(load: QueueLoad): boolean {
  return load.waiting > 0 && load.active < load.concurrency && !load.held;
}

export interface StalledWorker {
  readonly queue: string;
  readonly waiting: number;
  /** How long the queue has been starving without this worker taking a job. */
  readonly forMs: number;
}

export interface WorkerHealth {
  readonly healthy: boolean;
  readonly stalled: readonly StalledWorker[];
}

/**
 * Health for `/healthz`: false when a worker has silently stopped taking work, that is, its queue has been
 * starving (jobs waiting, a slot free, no pause) for `stallAfterMs` without this worker taking a single job. That
 * is what a worker looks like whose blocking connection ended after a failover (BullMQ #4378): it runs, logs
 * nothing, and takes nothing, until the platform restarts it. A healthy worker takes a waiting job within
 * milliseconds (a new job wakes its blocking read at once), and within BullMQ's longest block (10 s) otherwise.
 */
export class WorkerStallWatch {
  private readonly since = new Map<string, number>();
  private stalled: StalledWorker[] = [];
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> = Promise.resolve();
  private readonly reported = new Set<string>();

  constructor(
    private readonly opts: {
      readonly workers: () => readonly WatchedWorker[];
      readonly stallAfterMs: number;
      readonly intervalMs?: number;
      readonly logger: Logger;
      readonly now?: () => number;
    },
  ) {}

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  /** Looks at every worker once. A queue whose load cannot be read (Redis away) is left as it was. */
  async check(): Promise<void> {
    const stalled: StalledWorker[] = [];
    const seen = new Set<string>();
    for (const w of this.opts.workers()) {
      seen.add(w.queue);
      let load: QueueLoad;
      try {
        load = await w.load();
      } catch {
        const kept = this.stalled.find((s) => s.queue === w.queue);
        if (kept) stalled.push(kept);
        continue;
      }
      const now = this.now();
      if (!isStarving(load)) {
        this.since.delete(w.queue);
        this.reported.delete(w.queue);
        continue;
      }
      let since = this.since.get(w.queue) ?? now;
      // Taking a job, even one that goes straight back (a retry later), is taking work.
      if ((w.lastTakenAt() ?? -Infinity) >= since) since = now;
      this.since.set(w.queue, since);
      if (now - since >= this.opts.stallAfterMs) {
        stalled.push({ queue: w.queue, waiting: load.waiting, forMs: now - since });
      }
    }
    for (const q of this.since.keys()) if (!seen.has(q)) this.since.delete(q);
    for (const s of stalled) {
      if (this.reported.has(s.queue)) continue;
      this.reported.add(s.queue);
      logEvent(
        this.opts.logger,
        'worker.stalled',
        { queue: s.queue, waiting: s.waiting, forMs: s.forMs },
        'a worker has stopped taking jobs while its queue has work; /healthz now fails',
      );
    }
    this.stalled = stalled;
  }

  start(): void {
    const every = this.opts.intervalMs ?? Math.max(1_000, Math.floor(this.opts.stallAfterMs / 4));
    const tick = (): void => {
      this.checking = this.check().catch(() => undefined);
      void this.checking.then(() => {
        if (this.timer) this.timer = setTimeout(tick, every).unref();
      });
    };
    this.timer = setTimeout(tick, every).unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.checking;
  }

  health(): WorkerHealth {
    return { healthy: this.stalled.length === 0, stalled: this.stalled };
  }
}
