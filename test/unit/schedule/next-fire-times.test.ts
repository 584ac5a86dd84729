import { CronExpressionParser } from 'cron-parser';
import { describe, expect, it } from 'vitest';
import { nextFireTime, nextFireTimes, previousFireTime } from '../../../src/schedule/next-fire-times.js';

const iso = (dates: readonly Date[]): string[] => dates.map((d) => d.toISOString());
const at = (text: string): Date => new Date(text);

// [case, schedule, time zone, from (exclusive), expected fire times in UTC]
// prettier-ignore
const NEXT_CASES: readonly (readonly [string, string, string, string, readonly string[]])[] = [
  // Basics and the meaning of `from`
  ['every 6h in UTC, from excluded', '0 */6 * * *', 'UTC', '2026-01-01T00:00:00Z', ['2026-01-01T06:00:00.000Z', '2026-01-01T12:00:00.000Z', '2026-01-01T18:00:00.000Z']],
  ['a from with milliseconds past a slot', '0 */6 * * *', 'UTC', '2026-01-01T06:00:00.500Z', ['2026-01-01T12:00:00.000Z']],
  ['every 6h in Europe/Berlin in winter (UTC+1)', '0 */6 * * *', 'Europe/Berlin', '2026-01-15T00:00:00Z', ['2026-01-15T05:00:00.000Z', '2026-01-15T11:00:00.000Z', '2026-01-15T17:00:00.000Z']],
  ['every 6h in Europe/Berlin across spring-forward', '0 */6 * * *', 'Europe/Berlin', '2026-03-28T20:00:00Z', ['2026-03-28T23:00:00.000Z', '2026-03-29T04:00:00.000Z', '2026-03-29T10:00:00.000Z']],
  ['weekdays 09:00 in America/New_York skip the weekend', '0 9 * * 1-5', 'America/New_York', '2026-01-02T00:00:00Z', ['2026-01-02T14:00:00.000Z', '2026-01-05T14:00:00.000Z', '2026-01-06T14:00:00.000Z']],
  ['midnight in Asia/Kolkata (UTC+05:30)', '0 0 * * *', 'Asia/Kolkata', '2026-01-01T00:00:00Z', ['2026-01-01T18:30:00.000Z', '2026-01-02T18:30:00.000Z']],
  ['day names', '0 4 * * SUN', 'UTC', '2026-01-01T00:00:00Z', ['2026-01-04T04:00:00.000Z', '2026-01-11T04:00:00.000Z']],
  ['day-of-month and day-of-week both set: either fires (13th, or any Friday)', '0 0 13 * 5', 'UTC', '2026-01-01T00:00:00Z', ['2026-01-02T00:00:00.000Z', '2026-01-09T00:00:00.000Z', '2026-01-13T00:00:00.000Z', '2026-01-16T00:00:00.000Z']],

  // Daylight saving: a skipped 02:30 fires once, at 03:30 summer time; a repeated 02:30 fires once, the first time.
  ['Europe/Berlin 02:30 daily over spring-forward 2026-03-29: 03:30 CEST that day', '30 2 * * *', 'Europe/Berlin', '2026-03-27T12:00:00Z', ['2026-03-28T01:30:00.000Z', '2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z']],
  ['Europe/Berlin 02:30 daily over fall-back 2026-10-25: once, at 02:30 CEST', '30 2 * * *', 'Europe/Berlin', '2026-10-24T00:00:00Z', ['2026-10-24T00:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']],
  ['America/New_York 02:30 daily over spring-forward 2026-03-08: 03:30 EDT that day', '30 2 * * *', 'America/New_York', '2026-03-07T00:00:00Z', ['2026-03-07T07:30:00.000Z', '2026-03-08T07:30:00.000Z', '2026-03-09T06:30:00.000Z']],
  ['America/New_York 02:30 daily over fall-back 2026-11-01 (02:30 is not repeated there)', '30 2 * * *', 'America/New_York', '2026-10-31T00:00:00Z', ['2026-10-31T06:30:00.000Z', '2026-11-01T07:30:00.000Z', '2026-11-02T07:30:00.000Z']],
  ['America/New_York 01:30 daily over fall-back 2026-11-01: once, at 01:30 EDT', '30 1 * * *', 'America/New_York', '2026-10-31T00:00:00Z', ['2026-10-31T05:30:00.000Z', '2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']],
  ['hourly over Europe/Berlin spring-forward: every real hour', '0 * * * *', 'Europe/Berlin', '2026-03-28T23:30:00Z', ['2026-03-29T00:00:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-29T02:00:00.000Z']],
  ['hourly over Europe/Berlin fall-back: every real hour, both 02:00s', '0 * * * *', 'Europe/Berlin', '2026-10-24T23:30:00Z', ['2026-10-25T00:00:00.000Z', '2026-10-25T01:00:00.000Z', '2026-10-25T02:00:00.000Z']],
  ['a 01-03h range over Europe/Berlin spring-forward: the missing 02:xx do not fire', '*/30 1-3 * * *', 'Europe/Berlin', '2026-03-28T23:30:00Z', ['2026-03-29T00:00:00.000Z', '2026-03-29T00:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-29T01:30:00.000Z']],
  ['a 01-03h range over Europe/Berlin fall-back: the repeated 02:xx fire once', '*/30 1-3 * * *', 'Europe/Berlin', '2026-10-24T22:30:00Z', ['2026-10-24T23:00:00.000Z', '2026-10-24T23:30:00.000Z', '2026-10-25T00:00:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-25T02:00:00.000Z', '2026-10-25T02:30:00.000Z']],

  // Month ends and leap years
  ['the 31st skips shorter months', '0 0 31 * *', 'UTC', '2026-01-01T00:00:00Z', ['2026-01-31T00:00:00.000Z', '2026-03-31T00:00:00.000Z', '2026-05-31T00:00:00.000Z', '2026-07-31T00:00:00.000Z']],
  ['the 31st in Europe/Berlin is the 30th in UTC', '0 0 31 * *', 'Europe/Berlin', '2026-01-01T00:00:00Z', ['2026-01-30T23:00:00.000Z', '2026-03-30T22:00:00.000Z']],
  ['L is the last day of each month, Feb 29 in 2028', '0 0 L * *', 'UTC', '2028-01-31T00:00:00Z', ['2028-02-29T00:00:00.000Z', '2028-03-31T00:00:00.000Z', '2028-04-30T00:00:00.000Z']],
  ['the last day of February, leap or not', '0 0 L 2 *', 'UTC', '2026-01-01T00:00:00Z', ['2026-02-28T00:00:00.000Z', '2027-02-28T00:00:00.000Z', '2028-02-29T00:00:00.000Z']],
  ['Feb 29 fires in leap years only', '0 0 29 2 *', 'UTC', '2026-01-01T00:00:00Z', ['2028-02-29T00:00:00.000Z', '2032-02-29T00:00:00.000Z']],
  ['Feb 28 fires every year, 2028 included', '0 12 28 2 *', 'Europe/Berlin', '2027-01-01T00:00:00Z', ['2027-02-28T11:00:00.000Z', '2028-02-28T11:00:00.000Z']],

  // Six fields: seconds first
  ['every 20 seconds', '*/20 * * * * *', 'UTC', '2026-01-01T00:00:00Z', ['2026-01-01T00:00:20.000Z', '2026-01-01T00:00:40.000Z', '2026-01-01T00:01:00.000Z']],
  ['12:00:30 daily in Europe/Berlin summer', '30 0 12 * * *', 'Europe/Berlin', '2026-07-01T00:00:00Z', ['2026-07-01T10:00:30.000Z', '2026-07-02T10:00:30.000Z']],
  ['six fields over spring-forward behave like five', '0 30 2 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z', ['2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z']],
];

describe('nextFireTimes', () => {
  it.each(NEXT_CASES)('%s', (_case, schedule, zone, from, expected) => {
    expect(iso(nextFireTimes(schedule, zone, at(from), expected.length))).toEqual(expected);
  });

  it('gives nothing for a count of 0', () => {
    expect(nextFireTimes('0 * * * *', 'UTC', at('2026-01-01T00:00:00Z'), 0)).toEqual([]);
  });

  it('nextFireTime is the first of nextFireTimes', () => {
    const from = at('2026-10-25T01:10:00Z');
    expect(nextFireTime('30 2 * * *', 'Europe/Berlin', from)).toEqual(
      nextFireTimes('30 2 * * *', 'Europe/Berlin', from, 1)[0],
    );
  });

  it('refuses an expression with the wrong number of fields rather than guessing', () => {
    expect(() => nextFireTimes('* * * *', 'UTC', at('2026-01-01T00:00:00Z'), 1)).toThrow(RangeError);
  });
});

// [case, schedule, time zone, at (inclusive), expected]
// prettier-ignore
const PREVIOUS_CASES: readonly (readonly [string, string, string, string, string | undefined])[] = [
  ['exactly at a slot: that slot', '0 */6 * * *', 'UTC', '2026-01-01T06:00:00.000Z', '2026-01-01T06:00:00.000Z'],
  ['1 ms before a slot: the one before', '0 */6 * * *', 'UTC', '2026-01-01T05:59:59.999Z', '2026-01-01T00:00:00.000Z'],
  ['half a second after a slot: that slot', '0 */6 * * *', 'UTC', '2026-01-01T06:00:00.500Z', '2026-01-01T06:00:00.000Z'],
  ['exactly at a slot in Europe/Berlin', '0 */6 * * *', 'Europe/Berlin', '2026-01-15T05:00:00.000Z', '2026-01-15T05:00:00.000Z'],
  ['exactly at a 6-field slot', '*/20 * * * * *', 'UTC', '2026-01-01T00:00:40.000Z', '2026-01-01T00:00:40.000Z'],
  ['just before a 6-field slot', '*/20 * * * * *', 'UTC', '2026-01-01T00:00:39.999Z', '2026-01-01T00:00:20.000Z'],
  ['Europe/Berlin spring-forward: the shifted 03:30 CEST slot', '30 2 * * *', 'Europe/Berlin', '2026-03-29T05:00:00Z', '2026-03-29T01:30:00.000Z'],
  ['Europe/Berlin fall-back: the first 02:30, not the repeat', '30 2 * * *', 'Europe/Berlin', '2026-10-25T05:00:00Z', '2026-10-25T00:30:00.000Z'],
  ['Europe/Berlin fall-back, exactly at the slot', '30 2 * * *', 'Europe/Berlin', '2026-10-25T00:30:00Z', '2026-10-25T00:30:00.000Z'],
  ['America/New_York spring-forward: 03:30 EDT', '30 2 * * *', 'America/New_York', '2026-03-08T12:00:00Z', '2026-03-08T07:30:00.000Z'],
  ['America/New_York fall-back: the first 01:30', '30 1 * * *', 'America/New_York', '2026-11-01T12:00:00Z', '2026-11-01T05:30:00.000Z'],
  ['Feb 29, years back', '0 0 29 2 *', 'UTC', '2027-06-01T00:00:00Z', '2024-02-29T00:00:00.000Z'],
  ['the 31st, skipping April', '0 0 31 * *', 'UTC', '2026-05-01T00:00:00Z', '2026-03-31T00:00:00.000Z'],
];

describe('previousFireTime', () => {
  it.each(PREVIOUS_CASES)('%s', (_case, schedule, zone, when, expected) => {
    expect(previousFireTime(schedule, zone, at(when))?.toISOString()).toBe(expected);
  });
});

describe('daylight-saving days: the same slots whatever the starting point', () => {
  // Every 15 minutes over two days around each change, the next two slots and the previous slot must agree with
  // one walk started a week before. cron-parser alone fails this within the hour after each change (below).
  const CHANGES: readonly (readonly [string, string])[] = [
    ['Europe/Berlin', '2026-03-29'],
    ['Europe/Berlin', '2026-10-25'],
    ['America/New_York', '2026-03-08'],
    ['America/New_York', '2026-11-01'],
  ];
  const SCHEDULES = ['30 2 * * *', '*/30 1-3 * * *', '0 * * * *'];
  for (const [zone, day] of CHANGES) {
    for (const schedule of SCHEDULES) {
      it(`${zone} ${day} "${schedule}"`, () => {
        const dayStart = Date.parse(`${day}T00:00:00Z`);
        const slots = nextFireTimes(schedule, zone, new Date(dayStart - 7 * 86_400_000), 500).map((d) =>
          d.getTime(),
        );
        for (let t = dayStart - 12 * 3_600_000; t < dayStart + 36 * 3_600_000; t += 15 * 60_000) {
          const after = slots.filter((s) => s > t).slice(0, 2);
          const before = slots.filter((s) => s <= t).at(-1);
          expect(
            nextFireTimes(schedule, zone, new Date(t), 2).map((d) => d.getTime()),
            new Date(t).toISOString(),
          ).toEqual(after);
          expect(previousFireTime(schedule, zone, new Date(t))?.getTime(), new Date(t).toISOString()).toBe(
            before,
          );
        }
      });
    }
  }

  it('documents the cron-parser 5 behaviour worked around: next() from inside the repeated hour repeats 02:30', () => {
    const started = CronExpressionParser.parse('30 2 * * *', {
      currentDate: at('2026-10-25T01:00:00Z'),
      tz: 'Europe/Berlin',
    });
    // 01:30Z is 02:30 CET, the second 02:30 of the day; the walk from before the change gives the next day instead.
    expect(started.next().toDate().toISOString()).toBe('2026-10-25T01:30:00.000Z');
    expect(nextFireTime('30 2 * * *', 'Europe/Berlin', at('2026-10-25T01:00:00Z')).toISOString()).toBe(
      '2026-10-26T01:30:00.000Z',
    );
  });
});
