import { describe, expect, it } from 'vitest';
import { decideRegionFullPause, DEFAULT_RETRY_LIMITS } from '../../../src/copy/retry-policy.js';
import { canShareListing } from '../../../src/copy/share-listing.js';

const adaptive = { ...DEFAULT_RETRY_LIMITS, regionFullDelayMs: 30_000, regionFullProbe: 'adaptive' as const };
const fixed = { ...adaptive, regionFullProbe: 'fixed' as const };
const high = () => 0.999999;
const low = () => 0;

describe('decideRegionFullPause', () => {
  it.each([
    { limits: adaptive, fullsInRow: 1, random: high, want: 1_000 },
    { limits: adaptive, fullsInRow: 1, random: low, want: 500 },
    { limits: adaptive, fullsInRow: 2, random: high, want: 2_000 },
    { limits: adaptive, fullsInRow: 2, random: low, want: 1_000 },
    // While the Region stays full the pause grows to two poll intervals, no further: a freed slot is seen soon.
    { limits: adaptive, fullsInRow: 5, random: high, want: 2_000 },
    { limits: adaptive, fullsInRow: 60, random: high, want: 2_000 },
    { limits: fixed, fullsInRow: 1, random: low, want: 30_000 },
    { limits: fixed, fullsInRow: 9, random: high, want: 30_000 },
  ])(
    '$limits.regionFullProbe, refusal $fullsInRow in a row: $want ms',
    ({ limits, fullsInRow, random, want }) => {
      expect(decideRegionFullPause({ fullsInRow, pollIntervalMs: 1_000, limits, random })).toBe(want);
    },
  );

  it('starts no higher than its cap when the poll interval is longer than the cap', () => {
    const limits = { ...adaptive, regionFullDelayMs: 200 };
    expect(decideRegionFullPause({ fullsInRow: 1, pollIntervalMs: 30_000, limits, random: high })).toBe(200);
  });
});

describe('canShareListing', () => {
  const listing = { copyCallsStarted: 3, copyCallInFlight: false, startedAt: 1_000 };
  it.each([
    {
      why: 'still running, no CopyBackup since',
      listing,
      now: { at: 1_100, copyCallsStarted: 3 },
      want: true,
    },
    {
      why: 'ended within the window',
      listing: { ...listing, endedAt: 1_200 },
      now: { at: 2_200, copyCallsStarted: 3 },
      want: true,
    },
    {
      why: 'ended longer ago than the window',
      listing: { ...listing, endedAt: 1_200 },
      now: { at: 2_201, copyCallsStarted: 3 },
      want: false,
    },
    {
      why: 'a CopyBackup was sent since it began: its copy may be missing',
      listing,
      now: { at: 1_100, copyCallsStarted: 4 },
      want: false,
    },
    {
      why: 'a CopyBackup was unanswered when it began',
      listing: { ...listing, copyCallInFlight: true },
      now: { at: 1_100, copyCallsStarted: 3 },
      want: false,
    },
  ])('$why: $want', ({ listing: l, now, want }) => {
    expect(canShareListing(l, now, 1_000)).toBe(want);
  });
});
