import { checkCronExpression } from '../schedule/check-cron-expression.js';
import { nextFireTimes } from '../schedule/next-fire-times.js';
import { formatDuration, parseDuration } from './duration.js';
import type { Finding, PathSegment } from './finding.js';
import { DEADLINE_UNITS } from './policy-schema.js';
import { isKnownTimeZone, timeZoneProblem } from './time-zone.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const MIN_RPO = MINUTE;
const MAX_RPO = 365 * DAY;
/** Where the gaps between fire times are sampled: fixed, so validation does not depend on the clock. */
const SAMPLE_FROM = new Date('2026-01-01T00:00:00Z');
const SAMPLE_SLOTS = 25;

/**
 * Checks a policy's `rpo` against its range and its own schedule: an RPO no longer than the gap between two fire
 * times is breached every cycle, just before the next slot, which would page for nothing.
 */
export function checkRpo(policy: Readonly<Record<string, unknown>>, path: readonly PathSegment[]): Finding[] {
  const text = policy['rpo'];
  if (typeof text !== 'string') return [];
  const ms = parseDuration(text, DEADLINE_UNITS);
  if (ms === undefined) return [];
  const rpoPath = [...path, 'rpo'];
  const range = `a duration from ${formatDuration(MIN_RPO)} to ${formatDuration(MAX_RPO)}`;
  if (ms < MIN_RPO)
    return [{ path: rpoPath, message: `${text} is too short`, expected: range, target: 'value' }];
  if (ms > MAX_RPO)
    return [{ path: rpoPath, message: `${text} is too long`, expected: range, target: 'value' }];
  const gap = longestGap(policy['schedule'], policy['timezone'] ?? 'UTC');
  if (gap === undefined || ms > gap) return [];
  return [
    {
      path: rpoPath,
      message: `rpo ${text} is not longer than the ${formatDuration(gap)} between two fire times of the schedule: it would be breached every cycle`,
      expected: `an rpo longer than ${formatDuration(gap)}, with time to spare for the copy itself`,
      target: 'value',
    },
  ];
}

/** The longest time between two consecutive fire times, or undefined when the schedule or zone is invalid. */
function longestGap(schedule: unknown, timezone: unknown): number | undefined {
  if (typeof schedule !== 'string' || checkCronExpression(schedule) !== undefined) return undefined;
  if (typeof timezone !== 'string' || !isKnownTimeZone(timezone) || timeZoneProblem(timezone) !== undefined) {
    return undefined;
  }
  const times = nextFireTimes(schedule, timezone, SAMPLE_FROM, SAMPLE_SLOTS).map((d) => d.getTime());
  return Math.max(...times.slice(1).map((t, i) => t - (times[i] ?? t)));
}
