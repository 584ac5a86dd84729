import { describe, expect, it } from 'vitest';
import { formatZonedTime } from '../../../src/schedule/format-zoned-time.js';

describe('formatZonedTime', () => {
  it.each([
    ['2026-03-29T01:30:00Z', 'Europe/Berlin', '2026-03-29T03:30:00+02:00'],
    ['2026-03-29T00:30:00Z', 'Europe/Berlin', '2026-03-29T01:30:00+01:00'],
    ['2026-10-25T00:30:00Z', 'Europe/Berlin', '2026-10-25T02:30:00+02:00'],
    ['2026-10-25T01:30:00Z', 'Europe/Berlin', '2026-10-25T02:30:00+01:00'],
    ['2026-11-01T05:30:00Z', 'America/New_York', '2026-11-01T01:30:00-04:00'],
    ['2026-11-01T06:30:00Z', 'America/New_York', '2026-11-01T01:30:00-05:00'],
    ['2026-01-01T18:30:00Z', 'Asia/Kolkata', '2026-01-02T00:00:00+05:30'],
    ['2026-01-01T00:00:20Z', 'UTC', '2026-01-01T00:00:20Z'],
    ['2026-06-01T12:00:00Z', 'Etc/GMT+5', '2026-06-01T07:00:00-05:00'],
  ])('%s in %s is %s', (instant, zone, expected) => {
    expect(formatZonedTime(new Date(instant), zone)).toBe(expected);
  });
});
