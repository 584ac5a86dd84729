import type { DurationUnit } from './duration.js';
import { formatDuration, parseDuration } from './duration.js';
import type { Finding, PathSegment } from './finding.js';
import { isRecord } from './finding.js';
import { DEADLINE_UNITS, POLL_INTERVAL_UNITS } from './policy-schema.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface DurationRule {
  readonly path: readonly PathSegment[];
  readonly units: readonly DurationUnit[];
  readonly min: number;
  readonly max: number;
}

/** Sensible ranges: a 10ms poll would hammer the FSx API, a 90-day deadline would hide a stuck copy. */
const RULES: readonly DurationRule[] = [
  { path: ['pollInterval'], units: POLL_INTERVAL_UNITS, min: 10, max: HOUR },
  { path: ['startDeadline'], units: DEADLINE_UNITS, min: MINUTE, max: 30 * DAY },
  { path: ['completionDeadline'], units: DEADLINE_UNITS, min: MINUTE, max: 30 * DAY },
  { path: ['outcomeRetention', 'maxAge'], units: DEADLINE_UNITS, min: HOUR, max: 365 * DAY },
  // Short sweeps serve tests and the simulator; a week is as rare as a sweep can usefully be.
  { path: ['retention', 'sweepInterval'], units: DEADLINE_UNITS, min: 1_000, max: 7 * DAY },
];

/**
 * Range checks on the `settings:` block of one file, beyond its shape (which the schema checks). Only values of
 * the right form are looked at, so a malformed one is reported once, by the schema.
 */
export function checkSettings(settings: unknown): Finding[] {
  if (!isRecord(settings)) return [];
  const findings: Finding[] = [];
  const values = new Map<string, number>();
  for (const rule of RULES) {
    const text = rule.path.reduce<unknown>((v, key) => (isRecord(v) ? v[key] : undefined), settings);
    if (typeof text !== 'string') continue;
    const ms = parseDuration(text, rule.units);
    if (ms === undefined) continue;
    const range = `a duration from ${formatDuration(rule.min)} to ${formatDuration(rule.max)}`;
    const path = ['settings', ...rule.path];
    if (ms < rule.min)
      findings.push({ path, message: `${text} is too short`, expected: range, target: 'value' });
    else if (ms > rule.max)
      findings.push({ path, message: `${text} is too long`, expected: range, target: 'value' });
    else values.set(rule.path.join('.'), ms);
  }
  const poll = values.get('pollInterval');
  const completion = values.get('completionDeadline');
  if (poll !== undefined && completion !== undefined && poll >= completion) {
    findings.push({
      path: ['settings', 'pollInterval'],
      message: `pollInterval ${String(settings['pollInterval'])} is not shorter than completionDeadline ${String(settings['completionDeadline'])}: a copy would expire before it was checked`,
      expected: 'a pollInterval shorter than completionDeadline',
      target: 'value',
    });
  }
  return findings;
}
