import { formatDuration, parseDuration } from './duration.js';
import type { Finding, PathSegment } from './finding.js';
import { isRecord } from './finding.js';
import { DEADLINE_UNITS } from './policy-schema.js';

const DAY = 86_400_000;
/** Ten years: longer than any backup is worth keeping by age alone, short enough to catch a typo in the unit. */
const MAX_KEEP_WITHIN = 3650 * DAY;
const COUNT_RULES = [
  'keepLast',
  'keepHourly',
  'keepDaily',
  'keepWeekly',
  'keepMonthly',
  'keepYearly',
] as const;

/**
 * Checks of one `retention:` mapping (a policy's or a destination's) beyond its shape: `keepWithin` in range, and at
 * least one rule above 0. A `retention` whose rules are all 0 would keep everything (as restic refuses to act on an
 * empty policy), which is almost surely not what its author meant: without `retention` every copy is kept anyway.
 * Values of the wrong type are the schema's to report; a mapping with one is not judged "empty" here.
 */
export function checkRetention(retention: unknown, path: readonly PathSegment[]): Finding[] {
  if (retention === undefined || !isRecord(retention)) return [];
  const findings: Finding[] = [];
  let anyOn = false;
  let wellFormed = true;
  for (const rule of COUNT_RULES) {
    const value = retention[rule];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) wellFormed = false;
    else if (value > 0) anyOn = true;
  }
  const within = retention['keepWithin'];
  if (typeof within === 'string') {
    const ms = parseDuration(within, DEADLINE_UNITS);
    if (ms === undefined) wellFormed = false;
    else if (ms > MAX_KEEP_WITHIN) {
      findings.push({
        path: [...path, 'keepWithin'],
        message: `${within} is too long`,
        expected: `a duration from 0s to ${formatDuration(MAX_KEEP_WITHIN)}`,
        target: 'value',
      });
      anyOn = true;
    } else if (ms > 0) anyOn = true;
  } else if (within !== undefined) wellFormed = false;
  const unknownKeys = Object.keys(retention).some(
    (k) => !(COUNT_RULES as readonly string[]).includes(k) && k !== 'keepWithin',
  );
  if (!anyOn && wellFormed && !unknownKeys) {
    findings.push({
      path,
      message:
        'retention has no rule above 0: it would keep every copy; remove retention for that, or set a rule such as keepLast: 3',
      expected:
        'at least one of keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly, keepWithin above 0',
      target: 'key',
    });
  }
  return findings;
}
