import { wallClock } from '../schedule/zone-offset.js';
import { isoWeek } from './iso-week.js';
import type { PeriodRuleName } from './retention-types.js';

/**
 * The calendar period of instant `ms` for each period rule, read on the wall clock of `timeZone`, as numbers that
 * are equal exactly when two instants share the period (restic's YYYYMMDDHH, YYYYMMDD, ISO YYYYWW, YYYYMM, YYYY).
 * Wall-clock time is what a user means by "a day": a DST day has 23 or 25 hours, and the hour repeated when clocks
 * fall back is one hourly period.
 */
export function periodKeys(timeZone: string, ms: number): Readonly<Record<PeriodRuleName, number>> {
  const { year, month, day, hour } = wallClock(timeZone, ms);
  const { isoYear, week } = isoWeek(year, month, day);
  return {
    hourly: year * 1_000_000 + month * 10_000 + day * 100 + hour,
    daily: year * 10_000 + month * 100 + day,
    weekly: isoYear * 100 + week,
    monthly: year * 100 + month,
    yearly: year,
  };
}
