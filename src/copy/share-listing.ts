/**
 * When a listing of a destination Region (the look-up for an existing copy before the first CopyBackup) may answer a
 * look-up that did not start it. Exactly-once rests on the look-up seeing every copy this process itself asked
 * for: a copy whose CopyBackup was sent while the listing ran, or was still unanswered when it began, may be
 * missing from it. So a listing is shared only while no CopyBackup of this process to that (account, Region) has
 * been in flight from its start to the look-up that would reuse it. A look-up that cannot share starts its own
 * listing, exactly as every look-up did before.
 */

/** What a listing remembers of the Region's CopyBackup calls when it started. */
export interface ListingStart {
  /** CopyBackup calls of this process to the Region started before the listing did. */
  readonly copyCallsStarted: number;
  /** Whether one of them was still unanswered when the listing started. */
  readonly copyCallInFlight: boolean;
  /** When the listing started. */
  readonly startedAt: number;
  /** When it ended with an answer; undefined while it runs. */
  readonly endedAt?: number;
}

export function canShareListing(
  listing: ListingStart,
  now: { readonly at: number; readonly copyCallsStarted: number },
  reuseWindowMs: number,
): boolean {
  if (listing.copyCallInFlight) return false;
  if (now.copyCallsStarted !== listing.copyCallsStarted) return false;
  return listing.endedAt === undefined || now.at - listing.endedAt <= reuseWindowMs;
}
