import { formatDuration } from '../config/duration.js';
import type { RetentionRules, ZonedRetentionRules } from './retention-types.js';

const COUNTS: readonly (keyof Omit<RetentionRules, 'keepWithinMs'>)[] = [
  'keepLast',
  'keepHourly',
  'keepDaily',
  'keepWeekly',
  'keepMonthly',
  'keepYearly',
];

/** Rules as a person reads them in a log line or a record: `keepLast 2, keepWithin 48h (UTC)`; policies by ` + `. */
export function describeRules(rules: readonly ZonedRetentionRules[]): string {
  return rules
    .map(({ rules: r, timeZone }) => {
      const parts = COUNTS.filter((k) => r[k] > 0).map((k) => `${k} ${r[k]}`);
      if (r.keepWithinMs > 0) parts.push(`keepWithin ${formatDuration(r.keepWithinMs)}`);
      return `${parts.join(', ') || 'no rule'} (${timeZone})`;
    })
    .join(' + ');
}
