/** One reading of a copy's `ProgressPercent`, and when it was read. */
export interface ProgressSample {
  readonly at: number;
  readonly progressPercent: number;
}

export interface NextPollInput {
  /** When the copy started (CopyBackup answered, or the copy attached to was created): progress 0 then. */
  readonly startedAt: number;
  readonly now: number;
  /** The progress just read; undefined when FSx gave none (or the poll failed). */
  readonly progressPercent?: number;
  /** Earlier readings of this copy, oldest first (the one just read not among them). */
  readonly history: readonly ProgressSample[];
  readonly pollIntervalMs: number;
}

/**
 * The longest wait between two polls of one copy, in poll intervals. A copy far from done is polled less, but a copy
 * can also end early (FAILED, deleted), and its job holds a slot of the Region until its end is seen: so never more
 * than this many intervals between looks.
 */
export const MAX_POLL_STRETCH = 8;

/** How many recent readings the rate is also measured over (besides the whole run from `startedAt`). */
const RECENT_SAMPLES = 3;

/**
 * FSx reports whole percent, truncated: a reading of p means somewhere in [p, p + 1). The estimate takes the top of
 * that range now (and the bottom for earlier readings), so a long copy is not polled late for a rounding.
 */
const READING_RESOLUTION = 1;

/**
 * The fastest rate (percent per ms) the readings show: over the whole copy, and from each recent reading to now. The
 * fastest gives the earliest finish the readings allow, so a copy speeding up is not polled late.
 */
function fastestRate(input: NextPollInput, progress: number): number | undefined {
  const { now } = input;
  const anchors = [{ at: input.startedAt, progressPercent: 0 }, ...input.history.slice(-RECENT_SAMPLES)];
  let best: number | undefined;
  for (const a of anchors) {
    if (a.at >= now || a.progressPercent >= progress) continue;
    const rate = (progress - a.progressPercent) / (now - a.at);
    if (best === undefined || rate > best) best = rate;
  }
  return best;
}

/**
 * How long to wait before polling a copy in progress again. With no estimate yet (no progress, no rate, or the
 * copy at 100 % and not yet AVAILABLE) every poll interval, as before. With one: half the time the copy still needs
 * at its fastest observed rate, so the polls close in on the estimated end (about log2 of the copy's length in
 * polls instead of one per interval), never less than a poll interval and never more than MAX_POLL_STRETCH of
 * them. The next poll is thus never later than a poll interval after the copy could have finished by the estimate:
 * half the remaining time comes before the estimated end, and once that is under an interval the interval rules.
 */
export function nextPollDelay(input: NextPollInput): number {
  const interval = input.pollIntervalMs;
  const progress = input.progressPercent;
  if (progress === undefined || !(progress > 0) || progress >= 100) return interval;
  const atMost = Math.min(100, progress + READING_RESOLUTION);
  const rate = fastestRate(input, atMost);
  if (rate === undefined || !(rate > 0)) return interval;
  const remainingMs = (100 - atMost) / rate;
  return Math.round(Math.min(interval * MAX_POLL_STRETCH, Math.max(interval, remainingMs / 2)));
}

/** The readings kept per copy: enough for `nextPollDelay`, bounded for a copy followed for days. */
export function withSample(history: readonly ProgressSample[], sample: ProgressSample): ProgressSample[] {
  return [...history, sample].slice(-RECENT_SAMPLES);
}
