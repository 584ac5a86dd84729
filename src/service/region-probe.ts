import type { FsxErrorFacts } from '../copy/fsx-error.js';

/** How a CopyBackup that held a permit ended. */
export type ProbeResult =
  | { readonly kind: 'started' }
  /** Refused with ServiceLimitExceeded (five copies in progress): `delayOf` turns refusals in a row into a pause. */
  | { readonly kind: 'full'; readonly error: FsxErrorFacts; readonly delayOf: (fullsInRow: number) => number }
  /** Anything else (a transient error, a source not ready, ...): says nothing about the Region's slots. */
  | { readonly kind: 'other' };

/** Leave to send one CopyBackup; `release` must be called once with how it ended, and returns the pause if full. */
export interface ProbePermit {
  readonly kind: 'go';
  release(result: ProbeResult, now: number): number | undefined;
}

/** The probe this job waited behind found the Region still full: pause without asking FSx again. */
export interface RegionStillFull {
  readonly kind: 'full';
  readonly delayMs: number;
  readonly error: FsxErrorFacts;
}

interface Waiter {
  readonly resolve: (a: ProbePermit | RegionStillFull) => void;
  readonly reject: (err: Error) => void;
  readonly signal: AbortSignal;
  readonly onAbort: () => void;
}

function abortError(): Error {
  return Object.assign(new Error('the job is leaving'), { name: 'AbortError' });
}

/**
 * The Region-full state of one (account, destination Region) in this process: how many refusals in a row, and at
 * most one CopyBackup in flight while the Region is believed full (the probe). After a refusal, jobs that reach
 * CopyBackup queue behind the probe: if it is refused too they pause without a request of their own, if it starts
 * a copy the next one goes, one at a time (also for a while after the last refusal). So a queue's pause ending
 * (every worker takes up to five jobs at once) is one probe per process, never a burst of refusals. A Region not
 * known to have been full lately is not gated at all. Holds no timer and makes no call: the job does, and says how it went.
 */
export class RegionProbe {
  private fulls = 0;
  /** Moves on at every counted refusal and every success: concurrent refusals of one moment count once. */
  private epoch = 0;
  private holder = false;
  private readonly waiters: Waiter[] = [];
  /** Until when the last refusal paused the Region, and that refusal: a job taken meanwhile pauses too. */
  private paused: { readonly until: number; readonly error: FsxErrorFacts } | undefined;
  /** When the last refusal came: CopyBackups stay one at a time for a while after it (see `admit`). */
  private lastFullAt: number | undefined;

  /** Refusals in a row so far (0: the Region is not known to be full). */
  get fullsInRow(): number {
    return this.fulls;
  }

  /**
   * Leave to send CopyBackup: at once, after the probe ahead, or the news that the Region is still full (within the
   * pause of the last refusal: a job the worker took just before the pause began, or after a shorter pause of
   * another process ended, does not probe again at once).
   */
  admit(signal: AbortSignal, now: number, settleMs: number): Promise<ProbePermit | RegionStillFull> {
    if (signal.aborted) return Promise.reject(abortError());
    if (this.fulls > 0 && this.paused && now < this.paused.until) {
      return Promise.resolve({ kind: 'full', delayMs: this.paused.until - now, error: this.paused.error });
    }
    // A probe that started a copy says one slot was free, not how many: the jobs behind it still go one at a time,
    // and so do jobs for `settleMs` after the last refusal, until the Region has shown it has room.
    const settling = this.lastFullAt !== undefined && now < this.lastFullAt + settleMs;
    if (this.fulls === 0 && !settling && !this.holder && this.waiters.length === 0) {
      return Promise.resolve(this.permit(false));
    }
    if (!this.holder) {
      this.holder = true;
      return Promise.resolve(this.permit(true));
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(abortError());
        },
      };
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private permit(gated: boolean): ProbePermit {
    const epoch = this.epoch;
    let released = false;
    return {
      kind: 'go',
      release: (result, now) => {
        if (released) return undefined;
        released = true;
        const delayMs = this.record(result, epoch);
        if (result.kind === 'full' && delayMs !== undefined) {
          this.paused = { until: now + delayMs, error: result.error };
          this.lastFullAt = now;
        }
        if (gated) this.handOn(result, delayMs);
        return delayMs;
      },
    };
  }

  private record(result: ProbeResult, epoch: number): number | undefined {
    switch (result.kind) {
      case 'started':
        this.fulls = 0;
        this.epoch += 1;
        this.paused = undefined;
        return undefined;
      case 'full':
        if (epoch === this.epoch || this.fulls === 0) {
          this.fulls += 1;
          this.epoch += 1;
        }
        return result.delayOf(this.fulls);
      case 'other':
        return undefined;
    }
  }

  /** The probe ended: refused, everyone behind it pauses; otherwise the next one goes. */
  private handOn(result: ProbeResult, delayMs: number | undefined): void {
    this.holder = false;
    if (result.kind === 'full') {
      for (const w of this.waiters.splice(0)) {
        w.signal.removeEventListener('abort', w.onAbort);
        w.resolve({ kind: 'full', delayMs: delayMs ?? 0, error: result.error });
      }
      return;
    }
    const next = this.waiters.shift();
    if (!next) return;
    next.signal.removeEventListener('abort', next.onAbort);
    this.holder = true;
    next.resolve(this.permit(true));
  }
}

/** The Region-full state of each destination Region of one account, in this process. */
export class RegionProbes {
  private readonly byRegion = new Map<string, RegionProbe>();

  of(region: string): RegionProbe {
    let p = this.byRegion.get(region);
    if (!p) {
      p = new RegionProbe();
      this.byRegion.set(region, p);
    }
    return p;
  }
}
