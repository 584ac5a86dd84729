import { CronExpressionParser } from 'cron-parser';
import type { CronExpression } from 'cron-parser';
import { zoneOffsetMinutes } from './zone-offset.js';

/**
 * Schedule math for policies: when a cron expression fires, read in an explicit IANA time zone. 5 fields, or 6 with
 * seconds first. Expressions are validated when the config loads (checkCronExpression); these throw on one that
 * was not.
 *
 * Daylight-saving changes, as cron-parser 5 iterates them (test/unit/schedule has the tables):
 * - A wall-clock time skipped by spring-forward fires once, an hour later on the wall clock: `30 2 * * *` in
 *   Europe/Berlin on 2026-03-29 fires at 03:30 CEST (01:30Z). A range spanning the gap (`*\/30 1-3 * * *`) fires at
 *   01:00, 01:30, 03:00, 03:30.
 * - A wall-clock time repeated by fall-back fires once, at its first occurrence: `30 2 * * *` in Europe/Berlin on
 *   2026-10-25 fires at 02:30 CEST (00:30Z) only. An hourly `0 * * * *` fires every real hour, both 02:00s included.
 *
 * cron-parser's answer depends on where it starts: started within the hour after a change, its `next()` gives a
 * second 02:30 on fall-back days and skips the shifted 03:30 on spring-forward days, and its `prev()` disagrees with
 * its `next()`. So every function here starts cron-parser at least three hours before any change it is near and
 * walks forward: the slots are then the same whatever `from` or `at` is, and a restarted scheduler neither fires a
 * slot twice nor skips one.
 */

/** The first `count` fire times strictly after `from`. */
export function nextFireTimes(schedule: string, timezone: string, from: Date, count: number): Date[] {
  if (count <= 0) return [];
  const next = slotsAfter(schedule, timezone, from.getTime());
  return Array.from({ length: count }, () => next());
}

/** The first fire time strictly after `from`. */
export function nextFireTime(schedule: string, timezone: string, from: Date): Date {
  return slotsAfter(schedule, timezone, from.getTime())();
}

/**
 * The most recent fire time at or before `at` (a slot exactly at `at` counts), for catch-up after downtime;
 * undefined if the schedule never fired before `at`. Always one of the slots `nextFireTimes` gives.
 */
export function previousFireTime(schedule: string, timezone: string, at: Date): Date | undefined {
  const atMs = at.getTime();
  const expression = parse(schedule, timezone, atMs + 1);
  if (!expression.hasPrev()) return undefined;
  const hint = expression.prev().toDate();
  const from = Math.min(hint.getTime(), atMs) - LOOKBACK_MS;
  if (!changesWithin(timezone, from, atMs)) return hint;
  const walk = parse(schedule, timezone, safeStart(timezone, from));
  let last: Date | undefined;
  for (let slot = walk.next().toDate(); slot.getTime() <= atMs; slot = walk.next().toDate()) last = slot;
  return last ?? hint;
}

/** How far before a daylight-saving change cron-parser must start to give the same slots as from far before. */
const LOOKBACK_MS = 3 * 3_600_000;

/** A generator of the slots strictly after `fromMs`, in order. */
function slotsAfter(schedule: string, timezone: string, fromMs: number): () => Date {
  const expression = parse(schedule, timezone, safeStart(timezone, fromMs));
  return () => {
    for (;;) {
      const slot = expression.next().toDate();
      if (slot.getTime() > fromMs) return slot;
    }
  };
}

/** `ms`, or LOOKBACK_MS earlier when the zone's offset changed in the LOOKBACK_MS before it. */
function safeStart(timezone: string, ms: number): number {
  return changesWithin(timezone, ms - LOOKBACK_MS, ms) ? ms - LOOKBACK_MS : ms;
}

/** True when the UTC offset of `timezone` differs between `startMs` and `endMs` (a change lies between). */
function changesWithin(timezone: string, startMs: number, endMs: number): boolean {
  return zoneOffsetMinutes(timezone, startMs) !== zoneOffsetMinutes(timezone, endMs);
}

function parse(schedule: string, timezone: string, currentDateMs: number): CronExpression {
  const fields = schedule.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6) {
    throw new RangeError(`cron schedule must have 5 or 6 fields, got ${fields}: ${schedule}`);
  }
  return CronExpressionParser.parse(schedule, { currentDate: new Date(currentDateMs), tz: timezone });
}
