import type { BackupState, PollAnswer, PollRequest } from '../copy/ports.js';
import {
  describeBatches,
  nextRoundAt,
  selectRound,
  splitOnNotFound,
  type PollWant,
} from '../copy/poll-batches.js';

export interface RegionPollerOptions {
  /** One DescribeBackups of these ids (at most 50) in the Region; throws what FSx throws (BackupNotFound included). */
  readonly describe: (ids: string[]) => Promise<BackupState[]>;
  readonly now: () => number;
}

interface Waiter extends PollWant {
  readonly resolve: (a: PollAnswer) => void;
  readonly reject: (err: Error) => void;
  readonly signal: AbortSignal;
  readonly onAbort: () => void;
}

function abortError(reason: string): Error {
  return Object.assign(new Error(reason), { name: 'AbortError' });
}

function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'BackupNotFound';
}

/**
 * Polls the copies one (account, Region) has in flight in this process, together: one timer, set for the earliest
 * copy due, and at each round one DescribeBackups per 50 copies for every copy whose earliest time has come (see
 * `selectRound`). A call that meets `BackupNotFound` is split until the missing copy is alone (`splitOnNotFound`),
 * so the others are still read. Jobs join and leave at any time; with nobody waiting no timer runs; one round at a
 * time. The choice of what to ask is the pure core's (`src/copy/poll-batches.ts`); this holds the waiters and the
 * timer.
 */
export class RegionPoller {
  private readonly waiters = new Set<Waiter>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt: number | undefined;
  private running = false;
  private closed = false;

  constructor(private readonly options: RegionPollerOptions) {}

  /** Copies waiting for a round (for tests and metrics). */
  get waiting(): number {
    return this.waiters.size;
  }

  poll(req: PollRequest, signal: AbortSignal): Promise<PollAnswer> {
    if (this.closed) return Promise.reject(abortError('the poller is closed'));
    if (signal.aborted) return Promise.reject(abortError('the job is leaving'));
    return new Promise<PollAnswer>((resolve, reject) => {
      const waiter: Waiter = {
        backupId: req.backupId,
        earliestAt: req.earliestAt,
        dueAt: req.dueAt,
        resolve,
        reject,
        signal,
        onAbort: () => {
          this.waiters.delete(waiter);
          reject(abortError('the job is leaving'));
          this.schedule();
        },
      };
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.add(waiter);
      this.schedule();
    });
  }

  /** Stops the timer; every copy still waiting is told to leave (AbortError). */
  close(): void {
    this.closed = true;
    this.clearTimer();
    for (const w of [...this.waiters]) this.settle(w, undefined, abortError('the poller is closed'));
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = undefined;
  }

  /** Sets the timer for the earliest copy due (none when nobody waits; never while a round runs). */
  private schedule(): void {
    if (this.closed || this.running) return;
    const at = nextRoundAt(this.waiters);
    if (at === undefined) return this.clearTimer();
    if (this.timerAt === at) return;
    this.clearTimer();
    this.timerAt = at;
    this.timer = setTimeout(() => void this.round(), Math.max(0, at - this.options.now()));
  }

  private settle(w: Waiter, answer: PollAnswer | undefined, err?: Error): void {
    if (!this.waiters.delete(w)) return;
    w.signal.removeEventListener('abort', w.onAbort);
    if (answer) w.resolve(answer);
    else w.reject(err ?? abortError('the poller is closed'));
  }

  private async round(): Promise<void> {
    this.clearTimer();
    if (this.closed) return;
    this.running = true;
    try {
      const now = this.options.now();
      const chosen = [...this.waiters].filter((w) => w.earliestAt <= now);
      const answers = new Map<string, PollAnswer>();
      const ids = selectRound(chosen, now);
      await Promise.all(describeBatches(ids).map((batch) => this.describe(batch, answers)));
      // Copies that left during the round are no longer waiting (settle skips them); copies that joined after it
      // was chosen wait for the next one.
      for (const w of chosen) {
        const answer = answers.get(w.backupId);
        if (answer) this.settle(w, answer);
      }
    } finally {
      this.running = false;
      this.schedule();
    }
  }

  /** One call; on BackupNotFound the halves, until a lone id is the missing one. */
  private async describe(ids: string[], answers: Map<string, PollAnswer>): Promise<void> {
    try {
      const states = await this.options.describe(ids);
      const byId = new Map(states.map((s) => [s.backupId, s]));
      for (const id of ids) {
        const state = byId.get(id);
        answers.set(id, state ? { kind: 'found', state } : { kind: 'missing' });
      }
    } catch (err) {
      if (!isNotFound(err)) {
        for (const id of ids) answers.set(id, { kind: 'error', error: err });
        return;
      }
      const halves = splitOnNotFound(ids);
      if (!halves) {
        for (const id of ids) answers.set(id, { kind: 'missing' });
        return;
      }
      await Promise.all(halves.map((h) => this.describe(h, answers)));
    }
  }
}
