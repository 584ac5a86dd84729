import { describe, expect, it } from 'vitest';
import { decideRetention } from '../../../src/retention/decide-retention.js';
import { HOUR, OFF } from './sweep-fixtures.js';
import type {
  RetentionCandidate,
  RetentionRules,
  RetentionVerdict,
  ZonedRetentionRules,
} from '../../../src/retention/retention-types.js';

function at(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad time in test: ${iso}`);
  return ms;
}

function copy(
  backupId: string,
  iso: string,
  lifecycle = 'AVAILABLE',
  referenced = false,
): RetentionCandidate {
  return { backupId, recoveryPointMs: at(iso), lifecycle, referenced };
}

const DAY = 24 * HOUR;

function policy(rules: Partial<RetentionRules>, timeZone = 'UTC'): ZonedRetentionRules {
  return { rules: { ...OFF, ...rules }, timeZone };
}

/** One line per verdict, in output order: "id keep reason reason" or "id delete why". */
function summarize(verdicts: readonly RetentionVerdict[]): string[] {
  return verdicts.map((v) =>
    v.action === 'keep' ? `${v.backupId} keep ${v.reasons.join(' ')}` : `${v.backupId} delete ${v.why}`,
  );
}

// After every copy in these tables unless a case says otherwise.
const LATER = at('2030-01-01T00:00:00Z');

// After restic's policy fixture (UTC); handed over out of order on purpose.
const SERIES_A: readonly RetentionCandidate[] = [
  copy('a09', '2016-01-04T12:23:03Z'),
  copy('a01', '2014-09-01T10:20:30Z'), // Monday, ISO 2014-W36
  copy('a16', '2016-01-18T12:02:03Z'), // Monday, 2016-W03
  copy('a05', '2015-11-22T10:20:30Z'), // Sunday, 2015-W47
  copy('a12', '2016-01-08T20:02:03Z'),
  copy('a02', '2015-09-01T10:20:30Z'),
  copy('a14', '2016-01-12T21:02:03Z'), // same hour and day as a15
  copy('a07', '2016-01-01T07:08:03Z'), // Friday, ISO 2015-W53
  copy('a03', '2015-10-22T10:20:30Z'),
  copy('a11', '2016-01-04T16:23:03Z'), // Monday, 2016-W01
  copy('a04', '2015-11-13T10:20:30Z'), // Friday, 2015-W46
  copy('a15', '2016-01-12T21:08:03Z'), // Tuesday, 2016-W02
  copy('a06', '2016-01-01T01:02:03Z'),
  copy('a13', '2016-01-09T21:02:03Z'), // Saturday, 2016-W01
  copy('a10', '2016-01-04T12:30:03Z'), // same hour as a09
  copy('a08', '2016-01-03T07:02:03Z'), // Sunday, ISO 2015-W53
];
// Written out by hand, newest first.
const SERIES_A_ORDER = 'a16 a15 a14 a13 a12 a11 a10 a09 a08 a07 a06 a05 a04 a03 a02 a01'.split(' ');

/** Expected lines for SERIES_A: the copies named in `kept` with those reasons, every other one deleted. */
function seriesA(kept: Readonly<Record<string, string>>): string[] {
  return SERIES_A_ORDER.map((id) =>
    kept[id] === undefined ? `${id} delete no-rule-keeps-it` : `${id} keep ${kept[id]}`,
  );
}

// Europe/Berlin springs forward on 2021-03-28 at 02:00 (a 23-hour day).
const BERLIN_SPRING = [
  copy('d1', '2021-03-27T23:30:00+01:00'),
  copy('d2', '2021-03-28T00:30:00+01:00'), // 23:30 UTC the day before
  copy('d3', '2021-03-28T23:30:00+02:00'),
  copy('d4', '2021-03-29T00:30:00+02:00'), // 22:30 UTC on the 28th
];

interface Case {
  readonly name: string;
  readonly copies: readonly RetentionCandidate[];
  readonly policies: readonly ZonedRetentionRules[] | undefined;
  readonly now?: number;
  /** newest first */
  readonly expected: readonly string[];
}

const RULE_CASES: readonly Case[] = [
  {
    name: 'keepLast 3 keeps the three newest',
    copies: SERIES_A,
    policies: [policy({ keepLast: 3 })],
    expected: seriesA({ a16: 'last newest-available', a15: 'last', a14: 'last' }),
  },
  {
    name: 'keepLast larger than the number of copies keeps them all',
    copies: SERIES_A,
    policies: [policy({ keepLast: 20 })],
    expected: SERIES_A_ORDER.map((id) => `${id} keep last${id === 'a16' ? ' newest-available' : ''}`),
  },
  {
    name: 'keepHourly 4: one copy per hour, the newest of the hour (a15, not a14)',
    copies: SERIES_A,
    policies: [policy({ keepHourly: 4 })],
    expected: seriesA({ a16: 'hourly newest-available', a15: 'hourly', a13: 'hourly', a12: 'hourly' }),
  },
  {
    name: 'keepHourly 10: two copies in one hour (a09, a10) count once',
    copies: SERIES_A,
    policies: [policy({ keepHourly: 10 })],
    expected: seriesA({
      a16: 'hourly newest-available',
      a15: 'hourly',
      a13: 'hourly',
      a12: 'hourly',
      a11: 'hourly',
      a10: 'hourly',
      a08: 'hourly',
      a07: 'hourly',
      a06: 'hourly',
      a05: 'hourly',
    }),
  },
  {
    name: 'keepDaily 3: the last three days that have a copy, however far apart',
    copies: SERIES_A,
    policies: [policy({ keepDaily: 3 })],
    expected: seriesA({ a16: 'daily newest-available', a15: 'daily', a13: 'daily' }),
  },
  {
    name: 'keepDaily 6: three copies on 2016-01-04, the newest (a11) is the day’s',
    copies: SERIES_A,
    policies: [policy({ keepDaily: 6 })],
    expected: seriesA({
      a16: 'daily newest-available',
      a15: 'daily',
      a13: 'daily',
      a12: 'daily',
      a11: 'daily',
      a08: 'daily',
    }),
  },
  {
    name: 'days without a copy do not count: keepDaily 3 reaches back over gaps',
    copies: [
      copy('g1', '2021-11-20T12:00:00Z'),
      copy('g2', '2022-01-01T12:00:00Z'),
      copy('g3', '2022-01-05T12:00:00Z'),
      copy('g4', '2022-01-20T12:00:00Z'),
    ],
    policies: [policy({ keepDaily: 3 })],
    expected: [
      'g4 keep daily newest-available',
      'g3 keep daily',
      'g2 keep daily',
      'g1 delete no-rule-keeps-it',
    ],
  },
  {
    name: 'keepWeekly 3: ISO weeks 2016-W03, W02, W01',
    copies: SERIES_A,
    policies: [policy({ keepWeekly: 3 })],
    expected: seriesA({ a16: 'weekly newest-available', a15: 'weekly', a13: 'weekly' }),
  },
  {
    name: 'keepWeekly 5: 2016-01-01 and 2016-01-03 are one week, ISO 2015-W53',
    copies: SERIES_A,
    policies: [policy({ keepWeekly: 5 })],
    expected: seriesA({
      a16: 'weekly newest-available',
      a15: 'weekly',
      a13: 'weekly',
      a08: 'weekly',
      a05: 'weekly',
    }),
  },
  {
    name: 'keepMonthly 4: the newest copy of each of the last four months with copies',
    copies: SERIES_A,
    policies: [policy({ keepMonthly: 4 })],
    expected: seriesA({ a16: 'monthly newest-available', a05: 'monthly', a03: 'monthly', a02: 'monthly' }),
  },
  {
    name: 'keepYearly 10: one copy per year that has one',
    copies: SERIES_A,
    policies: [policy({ keepYearly: 10 })],
    expected: seriesA({ a16: 'yearly newest-available', a05: 'yearly', a01: 'yearly' }),
  },
  {
    name: 'keepLast 2 + keepDaily 3: a copy kept by both lists both',
    copies: SERIES_A,
    policies: [policy({ keepLast: 2, keepDaily: 3 })],
    expected: seriesA({ a16: 'last daily newest-available', a15: 'last daily', a13: 'daily' }),
  },
  {
    name: 'keepDaily 2 + keepWeekly 2 + keepMonthly 3',
    copies: SERIES_A,
    policies: [policy({ keepDaily: 2, keepWeekly: 2, keepMonthly: 3 })],
    expected: seriesA({
      a16: 'daily weekly monthly newest-available',
      a15: 'daily weekly',
      a05: 'monthly',
      a03: 'monthly',
    }),
  },
  {
    name: 'keepDaily 7 + keepWeekly 2 + keepMonthly 3 + keepYearly 10 (restic’s own example)',
    copies: SERIES_A,
    policies: [policy({ keepDaily: 7, keepWeekly: 2, keepMonthly: 3, keepYearly: 10 })],
    expected: seriesA({
      a16: 'daily weekly monthly yearly newest-available',
      a15: 'daily weekly',
      a13: 'daily',
      a12: 'daily',
      a11: 'daily',
      a08: 'daily',
      a07: 'daily',
      a05: 'monthly yearly',
      a03: 'monthly',
      a01: 'yearly',
    }),
  },
  {
    name: 'a rule set to 0 is off',
    copies: SERIES_A,
    policies: [policy({ keepLast: 1, keepDaily: 0 })],
    expected: seriesA({ a16: 'last newest-available' }),
  },
  {
    name: 'keepWithin 7 days of the newest copy',
    copies: SERIES_A,
    policies: [policy({ keepWithinMs: 7 * DAY })],
    now: at('2016-01-20T00:00:00Z'),
    expected: seriesA({ a16: 'within newest-available', a15: 'within', a14: 'within' }),
  },
  {
    name: 'keepWithin counts from the newest copy, not from now: six weeks of failed copies age nothing out',
    copies: SERIES_A,
    policies: [policy({ keepWithinMs: 7 * DAY })],
    now: at('2016-03-01T00:00:00Z'),
    expected: seriesA({ a16: 'within newest-available', a15: 'within', a14: 'within' }),
  },
  {
    name: 'keepWithin: a copy exactly the duration older than the newest is outside',
    copies: [
      copy('w1', '2022-01-01T00:00:00.000Z'),
      copy('w2', '2022-01-01T00:00:00.001Z'),
      copy('w3', '2022-01-02T00:00:00.000Z'),
    ],
    policies: [policy({ keepWithinMs: DAY })],
    expected: ['w3 keep within newest-available', 'w2 keep within', 'w1 delete no-rule-keeps-it'],
  },
  {
    name: 'keepWithin: a future-dated copy is kept but the window is measured from the newest one before now',
    copies: [copy('future', '2016-02-01T00:00:00Z'), ...SERIES_A.filter((c) => c.backupId >= 'a13')],
    policies: [policy({ keepWithinMs: 7 * DAY })],
    now: at('2016-01-20T00:00:00Z'),
    expected: [
      'future keep within newest-available',
      'a16 keep within',
      'a15 keep within',
      'a14 keep within',
      'a13 delete no-rule-keeps-it',
    ],
  },
  {
    name: 'keepWithin: when every copy is in the future, every copy is within (restic’s zero-time anchor)',
    copies: SERIES_A.filter((c) => ['a01', 'a15', 'a16'].includes(c.backupId)),
    policies: [policy({ keepWithinMs: HOUR })],
    now: at('2010-01-01T00:00:00Z'),
    expected: ['a16 keep within newest-available', 'a15 keep within', 'a01 keep within'],
  },
  {
    name: 'keepWithin 2 days + keepLast 4',
    copies: SERIES_A,
    policies: [policy({ keepWithinMs: 2 * DAY, keepLast: 4 })],
    now: at('2016-01-20T00:00:00Z'),
    expected: seriesA({ a16: 'last within newest-available', a15: 'last', a14: 'last', a13: 'last' }),
  },
  {
    name: 'budget left at the oldest copy keeps it too, as restic’s "oldest daily snapshot"',
    copies: [
      copy('o1', '2022-03-01T08:00:00Z'),
      copy('o2', '2022-03-01T12:00:00Z'),
      copy('o3', '2022-03-01T16:00:00Z'),
    ],
    policies: [policy({ keepDaily: 5 })],
    expected: ['o3 keep daily newest-available', 'o2 delete no-rule-keeps-it', 'o1 keep oldest-daily'],
  },
  {
    name: 'no budget left at the oldest copy: it goes',
    copies: [
      copy('p1', '2022-01-01T06:00:00Z'),
      copy('p2', '2022-01-01T18:00:00Z'),
      copy('p3', '2022-01-02T12:00:00Z'),
    ],
    policies: [policy({ keepDaily: 2 })],
    expected: ['p3 keep daily newest-available', 'p2 keep daily', 'p1 delete no-rule-keeps-it'],
  },
  {
    name: 'a pair begun mid-year: keepYearly keeps its oldest copy as well, monthly keeps it for its month',
    copies: [
      copy('y1', '2022-03-15T12:00:00Z'),
      copy('y2', '2022-07-15T12:00:00Z'),
      copy('y3', '2022-07-20T12:00:00Z'),
    ],
    policies: [policy({ keepYearly: 3, keepMonthly: 2 })],
    expected: [
      'y3 keep monthly yearly newest-available',
      'y2 delete no-rule-keeps-it',
      'y1 keep monthly oldest-yearly',
    ],
  },
];

const CALENDAR_CASES: readonly Case[] = [
  {
    name: 'Europe/Berlin spring-forward day (23 hours) is one daily period',
    copies: BERLIN_SPRING,
    policies: [policy({ keepDaily: 3 }, 'Europe/Berlin')],
    expected: [
      'd4 keep daily newest-available',
      'd3 keep daily',
      'd2 delete no-rule-keeps-it',
      'd1 keep daily',
    ],
  },
  {
    name: 'the same copies bucketed in UTC fall on other days',
    copies: BERLIN_SPRING,
    policies: [policy({ keepDaily: 2 }, 'UTC')],
    expected: [
      'd4 keep daily newest-available',
      'd3 delete no-rule-keeps-it',
      'd2 keep daily',
      'd1 delete no-rule-keeps-it',
    ],
  },
  {
    name: 'Europe/Berlin fall-back day (25 hours): 00:10 and 23:50 share the day',
    copies: [
      copy('n1', '2021-10-30T23:50:00+02:00'),
      copy('n2', '2021-10-31T00:10:00+02:00'),
      copy('n3', '2021-10-31T23:50:00+01:00'),
      copy('n4', '2021-11-01T00:10:00+01:00'),
    ],
    policies: [policy({ keepDaily: 3 }, 'Europe/Berlin')],
    expected: [
      'n4 keep daily newest-available',
      'n3 keep daily',
      'n2 delete no-rule-keeps-it',
      'n1 keep daily',
    ],
  },
  {
    name: 'Europe/Berlin: the repeated 02:00 hour on fall-back is one hourly period',
    copies: [
      copy('h1', '2021-10-31T01:45:00+02:00'),
      copy('h2', '2021-10-31T02:15:00+02:00'),
      copy('h3', '2021-10-31T02:45:00+02:00'),
      copy('h4', '2021-10-31T02:15:00+01:00'),
      copy('h5', '2021-10-31T02:45:00+01:00'),
      copy('h6', '2021-10-31T03:15:00+01:00'),
    ],
    policies: [policy({ keepHourly: 3 }, 'Europe/Berlin')],
    expected: [
      'h6 keep hourly newest-available',
      'h5 keep hourly',
      'h4 delete no-rule-keeps-it',
      'h3 delete no-rule-keeps-it',
      'h2 delete no-rule-keeps-it',
      'h1 keep hourly',
    ],
  },
  {
    name: 'America/New_York spring-forward day is one daily period',
    copies: [
      copy('y1', '2021-03-13T23:30:00-05:00'),
      copy('y2', '2021-03-14T00:30:00-05:00'),
      copy('y3', '2021-03-14T23:30:00-04:00'),
      copy('y4', '2021-03-15T00:30:00-04:00'),
    ],
    policies: [policy({ keepDaily: 3 }, 'America/New_York')],
    expected: [
      'y4 keep daily newest-available',
      'y3 keep daily',
      'y2 delete no-rule-keeps-it',
      'y1 keep daily',
    ],
  },
  {
    name: 'America/New_York fall-back day (25 hours) is one daily period',
    copies: [
      copy('k1', '2021-11-06T23:55:00-04:00'),
      copy('k2', '2021-11-07T00:05:00-04:00'),
      copy('k3', '2021-11-07T23:55:00-05:00'),
      copy('k4', '2021-11-08T00:05:00-05:00'),
    ],
    policies: [policy({ keepDaily: 3 }, 'America/New_York')],
    expected: [
      'k4 keep daily newest-available',
      'k3 keep daily',
      'k2 delete no-rule-keeps-it',
      'k1 keep daily',
    ],
  },
  {
    name: 'America/New_York: the repeated 01:00 hour on fall-back is one hourly period',
    copies: [
      copy('j1', '2021-11-07T00:50:00-04:00'),
      copy('j2', '2021-11-07T01:10:00-04:00'),
      copy('j3', '2021-11-07T01:50:00-04:00'),
      copy('j4', '2021-11-07T01:10:00-05:00'),
      copy('j5', '2021-11-07T01:50:00-05:00'),
      copy('j6', '2021-11-07T02:10:00-05:00'),
    ],
    policies: [policy({ keepHourly: 3 }, 'America/New_York')],
    expected: [
      'j6 keep hourly newest-available',
      'j5 keep hourly',
      'j4 delete no-rule-keeps-it',
      'j3 delete no-rule-keeps-it',
      'j2 delete no-rule-keeps-it',
      'j1 keep hourly',
    ],
  },
  {
    name: 'Europe/Berlin month end: 00:30 on Feb 1 is February though it is still January in UTC',
    copies: [
      copy('m1', '2021-01-31T23:30:00+01:00'),
      copy('m2', '2021-02-01T00:30:00+01:00'),
      copy('m3', '2021-02-28T12:00:00+01:00'),
    ],
    policies: [policy({ keepMonthly: 2 }, 'Europe/Berlin')],
    expected: ['m3 keep monthly newest-available', 'm2 delete no-rule-keeps-it', 'm1 keep monthly'],
  },
  {
    name: 'leap year: Feb 29 is a day of its own and February’s newest',
    copies: [
      copy('l1', '2024-02-01T12:00:00Z'),
      copy('l2', '2024-02-28T12:00:00Z'),
      copy('l3', '2024-02-29T12:00:00Z'),
      copy('l4', '2024-03-01T12:00:00Z'),
    ],
    policies: [policy({ keepDaily: 2, keepMonthly: 2 })],
    expected: [
      'l4 keep daily monthly newest-available',
      'l3 keep daily monthly',
      'l2 delete no-rule-keeps-it',
      'l1 delete no-rule-keeps-it',
    ],
  },
  {
    name: 'America/New_York: Feb 29 22:00 (Mar 1 in UTC) is February’s newest copy',
    copies: [
      copy('e1', '2024-01-31T21:00:00-05:00'),
      copy('e2', '2024-02-29T08:00:00-05:00'),
      copy('e3', '2024-02-29T22:00:00-05:00'),
      copy('e4', '2024-03-01T10:00:00-05:00'),
    ],
    policies: [policy({ keepMonthly: 3 }, 'America/New_York')],
    expected: [
      'e4 keep monthly newest-available',
      'e3 keep monthly',
      'e2 delete no-rule-keeps-it',
      'e1 keep monthly',
    ],
  },
  {
    name: 'Europe/Berlin year end: 00:30 on Jan 1 belongs to the new year',
    copies: [
      copy('r1', '2021-06-01T12:00:00+02:00'),
      copy('r2', '2021-12-31T23:30:00+01:00'),
      copy('r3', '2022-01-01T00:30:00+01:00'),
      copy('r4', '2022-06-01T12:00:00+02:00'),
    ],
    policies: [policy({ keepYearly: 2 }, 'Europe/Berlin')],
    expected: [
      'r4 keep yearly newest-available',
      'r3 delete no-rule-keeps-it',
      'r2 keep yearly',
      'r1 delete no-rule-keeps-it',
    ],
  },
  {
    name: 'America/New_York year end: Dec 31 22:00 is the old year’s newest copy',
    copies: [
      copy('q1', '2021-12-31T08:00:00-05:00'),
      copy('q2', '2021-12-31T22:00:00-05:00'),
      copy('q3', '2022-01-01T01:00:00-05:00'),
    ],
    policies: [policy({ keepYearly: 2 }, 'America/New_York')],
    expected: ['q3 keep yearly newest-available', 'q2 keep yearly', 'q1 delete no-rule-keeps-it'],
  },
  {
    name: 'the same year end in UTC: Dec 31 22:00 New York time is already the new year',
    copies: [
      copy('q1', '2021-12-31T08:00:00-05:00'),
      copy('q2', '2021-12-31T22:00:00-05:00'),
      copy('q3', '2022-01-01T01:00:00-05:00'),
    ],
    policies: [policy({ keepYearly: 2 }, 'UTC')],
    expected: ['q3 keep yearly newest-available', 'q2 delete no-rule-keeps-it', 'q1 keep yearly'],
  },
  {
    name: 'ISO week 53: 2020-12-28 to 2021-01-03 is one week, 2021-01-04 starts week 1',
    copies: [
      copy('w27', '2020-12-27T12:00:00Z'),
      copy('w28', '2020-12-28T12:00:00Z'),
      copy('w31', '2020-12-31T12:00:00Z'),
      copy('x03', '2021-01-03T12:00:00Z'),
      copy('x04', '2021-01-04T12:00:00Z'),
    ],
    policies: [policy({ keepWeekly: 3 })],
    expected: [
      'x04 keep weekly newest-available',
      'x03 keep weekly',
      'w31 delete no-rule-keeps-it',
      'w28 delete no-rule-keeps-it',
      'w27 keep weekly',
    ],
  },
  {
    name: 'ISO week 1 of 2025 starts on 2024-12-30',
    copies: [
      copy('z29', '2024-12-29T12:00:00Z'),
      copy('z30', '2024-12-30T12:00:00Z'),
      copy('z05', '2025-01-05T12:00:00Z'),
    ],
    policies: [policy({ keepWeekly: 2 })],
    expected: ['z05 keep weekly newest-available', 'z30 delete no-rule-keeps-it', 'z29 keep weekly'],
  },
  {
    name: 'Europe/Berlin: a week starts at Monday 00:00 local time, not UTC',
    copies: [
      copy('v1', '2021-01-01T12:00:00+01:00'),
      copy('v2', '2021-01-03T23:30:00+01:00'),
      copy('v3', '2021-01-04T00:30:00+01:00'),
    ],
    policies: [policy({ keepWeekly: 2 }, 'Europe/Berlin')],
    expected: ['v3 keep weekly newest-available', 'v2 keep weekly', 'v1 delete no-rule-keeps-it'],
  },
];

const GUARD_CASES: readonly Case[] = [
  {
    name: 'a FAILED copy with a newer AVAILABLE copy is deleted',
    copies: [copy('b1', '2022-01-01T00:00:00Z', 'FAILED'), copy('b2', '2022-01-02T00:00:00Z')],
    policies: [policy({ keepLast: 1 })],
    expected: ['b2 keep last newest-available', 'b1 delete failed-superseded'],
  },
  {
    name: 'a FAILED copy newer than every AVAILABLE one is kept, and rules count AVAILABLE copies only',
    copies: [copy('f2', '2022-01-02T00:00:00Z', 'FAILED'), copy('b1', '2022-01-01T00:00:00Z')],
    policies: [policy({ keepLast: 1 })],
    expected: ['f2 keep failed-not-superseded', 'b1 keep last newest-available'],
  },
  {
    name: 'FAILED copies with no AVAILABLE copy at all are kept',
    copies: [copy('f1', '2022-01-01T00:00:00Z', 'FAILED'), copy('f2', '2022-01-02T00:00:00Z', 'FAILED')],
    policies: [policy({ keepLast: 1 })],
    expected: ['f2 keep failed-not-superseded', 'f1 keep failed-not-superseded'],
  },
  {
    name: 'an AVAILABLE copy of the same recovery point does not supersede a FAILED one',
    copies: [copy('backup-b', '2022-01-01T00:00:00Z'), copy('backup-a', '2022-01-01T00:00:00Z', 'FAILED')],
    policies: [policy({ keepLast: 1 })],
    expected: ['backup-a keep failed-not-superseded', 'backup-b keep last newest-available'],
  },
  {
    name: 'copies still in progress, unknown Lifecycle values included, are kept and count for no rule',
    copies: [
      copy('b1', '2022-01-01T00:00:00Z'),
      copy('b2', '2022-01-02T00:00:00Z'),
      copy('pending', '2022-01-03T00:00:00Z', 'PENDING'),
      copy('creating', '2022-01-04T00:00:00Z', 'CREATING'),
      copy('copying', '2022-01-05T00:00:00Z', 'COPYING'),
      copy('transferring', '2022-01-06T00:00:00Z', 'TRANSFERRING'),
      copy('new-value', '2022-01-07T00:00:00Z', 'SOMETHING_NEW'),
      copy('empty', '2022-01-08T00:00:00Z', ''),
    ],
    policies: [policy({ keepLast: 1 })],
    expected: [
      'empty keep in-progress',
      'new-value keep in-progress',
      'transferring keep in-progress',
      'copying keep in-progress',
      'creating keep in-progress',
      'pending keep in-progress',
      'b2 keep last newest-available',
      'b1 delete no-rule-keeps-it',
    ],
  },
  {
    name: 'a referenced copy is kept, with its rule reasons where it has them',
    copies: [
      copy('b1', '2022-01-01T00:00:00Z'),
      copy('b2', '2022-01-02T00:00:00Z', 'AVAILABLE', true),
      copy('b3', '2022-01-03T00:00:00Z', 'AVAILABLE', true),
    ],
    policies: [policy({ keepLast: 1 })],
    expected: [
      'b3 keep last newest-available referenced',
      'b2 keep referenced',
      'b1 delete no-rule-keeps-it',
    ],
  },
  {
    name: 'a referenced FAILED copy is kept though superseded',
    copies: [copy('f1', '2022-01-01T00:00:00Z', 'FAILED', true), copy('b2', '2022-01-02T00:00:00Z')],
    policies: [policy({ keepLast: 1 })],
    expected: ['b2 keep last newest-available', 'f1 keep referenced'],
  },
  {
    name: 'a referenced copy in progress lists both reasons',
    copies: [copy('c1', '2022-01-03T00:00:00Z', 'COPYING', true), copy('b1', '2022-01-01T00:00:00Z')],
    policies: [policy({ keepLast: 1 })],
    expected: ['c1 keep in-progress referenced', 'b1 keep last newest-available'],
  },
  {
    name: 'DELETED copies are left out and are never the newest',
    copies: [
      copy('b1', '2022-01-01T00:00:00Z'),
      copy('b2', '2022-01-02T00:00:00Z'),
      copy('d3', '2022-01-03T00:00:00Z', 'DELETED', true),
    ],
    policies: [policy({ keepLast: 1 })],
    expected: ['b2 keep last newest-available', 'b1 delete no-rule-keeps-it'],
  },
  {
    name: 'equal recovery points: the smaller backupId counts as newer, whatever the input order',
    copies: [
      copy('backup-c', '2022-01-01T00:00:00Z'),
      copy('backup-a', '2022-01-01T00:00:00Z'),
      copy('backup-b', '2022-01-01T00:00:00Z'),
    ],
    policies: [policy({ keepLast: 1 })],
    expected: [
      'backup-a keep last newest-available',
      'backup-b delete no-rule-keeps-it',
      'backup-c delete no-rule-keeps-it',
    ],
  },
];

const MIXED = [
  copy('b0', '2022-01-01T00:00:00Z'),
  copy('f1', '2022-01-02T00:00:00Z', 'FAILED'),
  copy('b2', '2022-01-03T00:00:00Z'),
  copy('c3', '2022-01-04T00:00:00Z', 'COPYING'),
  copy('d4', '2022-01-05T00:00:00Z', 'DELETED'),
];
const KEPT_FOREVER = [
  'c3 keep kept-forever in-progress',
  'b2 keep kept-forever newest-available',
  'f1 keep kept-forever',
  'b0 keep kept-forever',
];

const POLICY_CASES: readonly Case[] = [
  {
    name: 'two policies: the union of what each keeps',
    copies: SERIES_A,
    policies: [policy({ keepLast: 1 }), policy({ keepDaily: 3 })],
    expected: seriesA({ a16: 'last daily newest-available', a15: 'daily', a13: 'daily' }),
  },
  {
    name: 'two policies in different time zones each bucket in their own',
    copies: BERLIN_SPRING,
    policies: [policy({ keepDaily: 2 }, 'Europe/Berlin'), policy({ keepDaily: 2 }, 'UTC')],
    expected: [
      'd4 keep daily newest-available',
      'd3 keep daily',
      'd2 keep daily',
      'd1 delete no-rule-keeps-it',
    ],
  },
  {
    name: 'a policy with every rule off keeps everything, also next to one with rules',
    copies: MIXED,
    policies: [policy({ keepLast: 1 }), policy({})],
    expected: KEPT_FOREVER,
  },
  {
    name: 'no retention configured: everything is kept',
    copies: MIXED,
    policies: undefined,
    expected: KEPT_FOREVER,
  },
  {
    name: 'an empty list of policies: everything is kept',
    copies: MIXED,
    policies: [],
    expected: KEPT_FOREVER,
  },
  {
    name: 'a single policy with every rule off: everything is kept',
    copies: MIXED,
    policies: [policy({})],
    expected: KEPT_FOREVER,
  },
  { name: 'no copies', copies: [], policies: [policy({ keepLast: 1 })], expected: [] },
  {
    name: 'only DELETED copies',
    copies: [copy('d1', '2022-01-01T00:00:00Z', 'DELETED')],
    policies: [policy({ keepLast: 1 })],
    expected: [],
  },
];

describe('decideRetention', () => {
  describe.each([
    ['restic’s rules', RULE_CASES],
    ['calendar edges', CALENDAR_CASES],
    ['guards', GUARD_CASES],
    ['several policies and none', POLICY_CASES],
  ])('%s', (_group, cases) => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      expect(summarize(decideRetention(c.copies, c.policies, c.now ?? LATER))).toEqual(c.expected);
    });
  });

  it('returns whole verdicts with each copy’s recovery point', () => {
    const copies = [copy('b1', '2022-01-01T00:00:00Z'), copy('b2', '2022-01-02T00:00:00Z')];
    expect(decideRetention(copies, [policy({ keepLast: 1 })], LATER)).toEqual([
      {
        backupId: 'b2',
        recoveryPointMs: at('2022-01-02T00:00:00Z'),
        action: 'keep',
        reasons: ['last', 'newest-available'],
      },
      {
        backupId: 'b1',
        recoveryPointMs: at('2022-01-01T00:00:00Z'),
        action: 'delete',
        why: 'no-rule-keeps-it',
      },
    ]);
  });

  it('leaves its input as it was', () => {
    const copies = [...SERIES_A];
    decideRetention(copies, [policy({ keepDaily: 3 })], LATER);
    expect(copies).toEqual(SERIES_A);
  });
});
