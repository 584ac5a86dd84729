import { describe, expect, it } from 'vitest';
import { isoWeek } from '../../../src/retention/iso-week.js';
import { periodKeys } from '../../../src/retention/period-keys.js';

describe('isoWeek', () => {
  it.each([
    ['2020-12-27', 2020, 52],
    ['2020-12-28', 2020, 53],
    ['2020-12-31', 2020, 53],
    ['2021-01-03', 2020, 53],
    ['2021-01-04', 2021, 1],
    ['2016-01-03', 2015, 53],
    ['2016-01-04', 2016, 1],
    ['2008-12-29', 2009, 1],
    ['2010-01-03', 2009, 53],
    ['2024-12-29', 2024, 52],
    ['2024-12-30', 2025, 1],
    ['2027-01-01', 2026, 53],
    ['2024-02-29', 2024, 9],
  ])('%s is %i-W%i', (date, isoYear, week) => {
    const [y, m, d] = date.split('-').map(Number);
    expect(isoWeek(y ?? 0, m ?? 0, d ?? 0)).toEqual({ isoYear, week });
  });
});

describe('periodKeys', () => {
  it('reads the periods on the wall clock of the zone', () => {
    expect(periodKeys('Europe/Berlin', Date.parse('2021-01-03T23:30:00Z'))).toEqual({
      hourly: 2021010400,
      daily: 20210104,
      weekly: 202101,
      monthly: 202101,
      yearly: 2021,
    });
    expect(periodKeys('UTC', Date.parse('2021-01-03T23:30:00Z'))).toEqual({
      hourly: 2021010323,
      daily: 20210103,
      weekly: 202053,
      monthly: 202101,
      yearly: 2021,
    });
  });

  it('gives both passes of the repeated fall-back hour the same hourly period', () => {
    const first = periodKeys('Europe/Berlin', Date.parse('2021-10-31T02:15:00+02:00'));
    const second = periodKeys('Europe/Berlin', Date.parse('2021-10-31T02:15:00+01:00'));
    expect(first.hourly).toBe(2021103102);
    expect(second).toEqual(first);
  });
});
