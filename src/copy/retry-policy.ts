import type { LifecycleState } from './backup-lifecycle.js';

/** Bounds of the copy worker's retries. Every loop has one: a count, a deadline, or both. */
export interface RetryLimits {
  /** Transient failures (5xx, throttling, network) tolerated per job before it fails. */
  readonly maxTransientFailures: number;
  readonly transientBaseMs: number;
  readonly transientCapMs: number;
  /** Waits for a source that is still being made: capped exponential backoff until the start deadline. */
  readonly sourceWaitBaseMs: number;
  readonly sourceWaitCapMs: number;
  /**
   * Pause of a Region's queue after `ServiceLimitExceeded` (five copies already in progress there): with the
   * `adaptive` probe the longest pause, with `fixed` every pause.
   */
  readonly regionFullDelayMs: number;
  /**
   * `adaptive` (default): probe a full Region again after about a poll interval, backing off while it stays full, up
   * to `regionFullDelayMs`; `fixed`: pause `regionFullDelayMs` each time (as before; kept to compare against).
   */
  readonly regionFullProbe: RegionFullProbe;
}

export const REGION_FULL_PROBES = ['adaptive', 'fixed'] as const;
export type RegionFullProbe = (typeof REGION_FULL_PROBES)[number];

export const DEFAULT_RETRY_LIMITS: RetryLimits = Object.freeze({
  maxTransientFailures: 8,
  transientBaseMs: 1_000,
  transientCapMs: 5 * 60_000,
  sourceWaitBaseMs: 30_000,
  sourceWaitCapMs: 15 * 60_000,
  regionFullDelayMs: 30_000,
  regionFullProbe: 'adaptive',
});

/**
 * Capped exponential backoff with jitter: attempt 0 waits about `baseMs`, each attempt doubles, never past
 * `capMs`; the delay is drawn from [d/2, d] so that many jobs retrying together spread out.
 */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(exp / 2 + (random() * exp) / 2);
}

export type RetryDecision =
  | { readonly action: 'retry'; readonly delayMs: number }
  | { readonly action: 'give-up'; readonly reason: string };

/** Where a job stands in its wait for a source backup. */
interface SourceWait {
  readonly waits: number;
  readonly now: number;
  readonly startDeadlineAt: number;
  readonly limits: RetryLimits;
  readonly random: () => number;
}

/** Capped exponential backoff toward the start deadline, never past it; give up at it. */
function waitForSource(input: SourceWait): RetryDecision {
  const { now, startDeadlineAt, limits } = input;
  if (now >= startDeadlineAt) {
    return { action: 'give-up', reason: 'the source backup was not AVAILABLE before the start deadline' };
  }
  const delay = backoffDelay(input.waits, limits.sourceWaitBaseMs, limits.sourceWaitCapMs, input.random);
  // Never sleep past the deadline: one last look at the deadline itself.
  return { action: 'retry', delayMs: Math.max(0, Math.min(delay, startDeadlineAt - now)) };
}

/** After `SourceBackupUnavailable`: wait while the source is still being made, give up when it never will be. */
export function decideSourceWait(
  input: SourceWait & { readonly source: LifecycleState | 'gone'; readonly sourceLifecycle?: string },
): RetryDecision {
  const { source } = input;
  switch (source) {
    case 'gone':
      return { action: 'give-up', reason: 'the source backup no longer exists' };
    case 'failed':
    case 'deleted':
      return {
        action: 'give-up',
        reason: `the source backup is ${input.sourceLifecycle ?? source.toUpperCase()}`,
      };
    case 'available':
      // It became AVAILABLE between the two calls: try again at once. If FSx keeps refusing a source it lists as
      // AVAILABLE (its views disagree for a while), back off as for a source still being made.
      return input.waits === 0 ? { action: 'retry', delayMs: 0 } : waitForSource(input);
    case 'in-progress':
      return waitForSource(input);
    default: {
      const unreachable: never = source;
      return unreachable;
    }
  }
}

/**
 * After a transient failure: retry with backoff until `maxTransientFailures` is spent. `failures` counts the
 * transient failures of this job so far, the current one included.
 */
export function decideTransientRetry(input: {
  readonly failures: number;
  readonly limits: RetryLimits;
  readonly random: () => number;
}): RetryDecision {
  const { failures, limits } = input;
  if (failures > limits.maxTransientFailures) {
    return { action: 'give-up', reason: `still failing after ${failures} transient errors` };
  }
  return {
    action: 'retry',
    delayMs: backoffDelay(failures - 1, limits.transientBaseMs, limits.transientCapMs, input.random),
  };
}

/**
 * How many poll intervals the adaptive pause grows to while a Region stays full. A slot that frees is seen by a
 * probe, never by a notice (FSx says nothing when someone else's copy ends), so the longest pause is the longest a
 * freed slot stays idle: two intervals keeps that near one poll interval while halving the probes of a Region that
 * stays full for hours.
 */
const ADAPTIVE_PAUSE_INTERVALS = 2;

/**
 * The pause of a Region's queue after `ServiceLimitExceeded` (five copies in progress there). `fixed`:
 * `regionFullDelayMs` each time. `adaptive`: the first pause is about a poll interval (jittered within [d/2, d], so
 * processes paused together do not all probe at once), doubling with each refusal in a row while the Region stays
 * full, up to two poll intervals (and never past `regionFullDelayMs`); a successful CopyBackup starts it again from
 * the poll interval. `fullsInRow` counts the refusals in a row, this one included.
 */
export function decideRegionFullPause(input: {
  readonly fullsInRow: number;
  readonly pollIntervalMs: number;
  readonly limits: RetryLimits;
  readonly random: () => number;
}): number {
  const { limits } = input;
  switch (limits.regionFullProbe) {
    case 'fixed':
      return limits.regionFullDelayMs;
    case 'adaptive': {
      const cap = Math.min(limits.regionFullDelayMs, ADAPTIVE_PAUSE_INTERVALS * input.pollIntervalMs);
      const base = Math.min(input.pollIntervalMs, cap);
      return backoffDelay(Math.max(0, input.fullsInRow - 1), base, cap, input.random);
    }
    default: {
      const unreachable: never = limits.regionFullProbe;
      return unreachable;
    }
  }
}
