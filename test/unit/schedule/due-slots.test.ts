import { describe, expect, it } from 'vitest';
import { dueSlots } from '../../../src/schedule/due-slots.js';

const ms = (text: string): number => Date.parse(text);
const LATE_AFTER_MS = 30_000;

// [case, schedule, time zone, last slot fired (or none), now, expected due slot (or none), catch-up]
// prettier-ignore
const CASES: readonly (readonly [string, string, string, string | undefined, string, string | undefined, boolean?])[] = [
  // First start: the newest slot before now is fired once, as a catch-up (no slot was fired before).
  ['first start fires the newest past slot', '0 */6 * * *', 'UTC', undefined, '2026-01-01T07:00:00Z', '2026-01-01T06:00:00Z', true],
  ['first start of a yearly schedule: last year’s slot', '0 0 1 1 *', 'UTC', undefined, '2026-05-01T00:00:00Z', '2026-01-01T00:00:00Z', true],

  // Normal ticks: the slot just reached fires, not as a catch-up; between slots nothing is due.
  ['a tick right at the slot fires it', '0 */6 * * *', 'UTC', '2026-01-01T00:00:00Z', '2026-01-01T06:00:00Z', '2026-01-01T06:00:00Z', false],
  ['a tick a little after the slot fires it', '0 */6 * * *', 'UTC', '2026-01-01T00:00:00Z', '2026-01-01T06:00:01Z', '2026-01-01T06:00:00Z', false],
  ['between slots nothing is due', '0 */6 * * *', 'UTC', '2026-01-01T06:00:00Z', '2026-01-01T09:00:00Z', undefined],
  ['the slot already fired (by this or another scheduler) is not fired again', '0 */6 * * *', 'UTC', '2026-01-01T06:00:00Z', '2026-01-01T06:00:00.500Z', undefined],
  ['a slot fired late (the scheduler was not running) is a catch-up', '0 */6 * * *', 'UTC', '2026-01-01T00:00:00Z', '2026-01-01T06:05:00Z', '2026-01-01T06:00:00Z', true],

  // Downtime over many slots: one catch-up, with the newest missed slot.
  ['three days of hourly slots missed: the newest only', '0 * * * *', 'UTC', '2026-01-01T00:00:00Z', '2026-01-04T00:30:00Z', '2026-01-04T00:00:00Z', true],
  ['one missed slot, back just at the next one: a catch-up', '0 */6 * * *', 'UTC', '2026-01-01T00:00:00Z', '2026-01-01T12:00:00Z', '2026-01-01T12:00:00Z', true],

  // The clock goes backwards (NTP step, a replica with a slow clock): nothing fires twice.
  ['now before the last slot fired', '0 * * * *', 'UTC', '2026-01-01T10:00:00Z', '2026-01-01T09:30:00Z', undefined],
  ['now back to exactly the last slot', '0 * * * *', 'UTC', '2026-01-01T10:00:00Z', '2026-01-01T10:00:00Z', undefined],

  // Daylight saving, in the zone the schedule is written for.
  ['Europe/Berlin 02:30 on spring-forward day fires at 03:30 CEST', '30 2 * * *', 'Europe/Berlin', '2026-03-28T01:30:00Z', '2026-03-29T01:30:00Z', '2026-03-29T01:30:00Z', false],
  ['Europe/Berlin 02:30 on fall-back day: the repeated 02:30 does not fire again', '30 2 * * *', 'Europe/Berlin', '2026-10-25T00:30:00Z', '2026-10-25T01:30:00Z', undefined],
  ['Europe/Berlin hourly on fall-back day: the second 02:00 fires', '0 * * * *', 'Europe/Berlin', '2026-10-25T00:00:00Z', '2026-10-25T01:00:00Z', '2026-10-25T01:00:00Z', false],
  ['America/New_York 02:30 down over spring-forward: caught up with 03:30 EDT', '30 2 * * *', 'America/New_York', '2026-03-06T07:30:00Z', '2026-03-08T08:00:00Z', '2026-03-08T07:30:00Z', true],
];

describe('dueSlots', () => {
  for (const [name, schedule, timezone, last, now, slot, catchUp] of CASES)
    it(name, () => {
      const lastSlots = new Map(last === undefined ? [] : [['p', ms(last)] as const]);
      const { due } = dueSlots({
        policies: [{ name: 'p', schedule, timezone }],
        lastSlots,
        now: ms(now),
        lateAfterMs: LATE_AFTER_MS,
      });
      expect(due).toEqual(slot === undefined ? [] : [{ policy: 'p', slotMs: ms(slot), catchUp }]);
    });

  it('decides each policy on its own last slot, and wakes at the earliest next fire of any', () => {
    const { due, wakeAt } = dueSlots({
      policies: [
        { name: 'hourly', schedule: '0 * * * *', timezone: 'UTC' },
        { name: 'daily', schedule: '0 3 * * *', timezone: 'UTC' },
        { name: 'every-20s', schedule: '*/20 * * * * *', timezone: 'UTC' },
      ],
      lastSlots: new Map([
        ['hourly', ms('2026-01-01T10:00:00Z')],
        ['daily', ms('2025-12-31T03:00:00Z')],
        ['every-20s', ms('2026-01-01T10:30:00Z')],
      ]),
      now: ms('2026-01-01T10:30:05Z'),
      lateAfterMs: LATE_AFTER_MS,
    });
    expect(due).toEqual([{ policy: 'daily', slotMs: ms('2026-01-01T03:00:00Z'), catchUp: true }]);
    expect(wakeAt).toBe(ms('2026-01-01T10:30:20Z'));
  });

  it('with no policies, nothing is due and there is nothing to wake for', () => {
    expect(dueSlots({ policies: [], lastSlots: new Map(), now: 0, lateAfterMs: LATE_AFTER_MS })).toEqual({
      due: [],
      wakeAt: Number.POSITIVE_INFINITY,
    });
  });
});
