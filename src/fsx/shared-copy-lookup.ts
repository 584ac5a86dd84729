import type { BackupState, CopySource } from '../copy/ports.js';
import { canShareListing, type ListingStart } from '../copy/share-listing.js';

export interface SharedCopyLookupOptions {
  /** Every copy in a destination Region (one paginated listing of its USER_INITIATED backups). */
  readonly listCopies: (region: string) => Promise<BackupState[]>;
  readonly now: () => number;
  /** How long after it ended a listing may still answer a look-up (while the rule of `canShareListing` holds). */
  readonly reuseWindowMs: number;
}

interface Listing extends ListingStart {
  readonly result: Promise<BackupState[]>;
}

interface RegionState {
  copyCallsStarted: number;
  copyCallsInFlight: number;
  listing: Listing | undefined;
}

/**
 * The look-up for an existing copy, shared by one account's jobs in this process: one listing of a destination
 * Region answers every look-up that arrives while it runs (or shortly after), as long as no CopyBackup of this
 * process to that Region has been in flight since it began (`canShareListing`): so a shared answer never misses a
 * copy this process asked for. Every CopyBackup to the Region goes through `copyBackup` so that this is known.
 */
export class SharedCopyLookup {
  private readonly regions = new Map<string, RegionState>();

  constructor(private readonly options: SharedCopyLookupOptions) {}

  private region(name: string): RegionState {
    let r = this.regions.get(name);
    if (!r) {
      r = { copyCallsStarted: 0, copyCallsInFlight: 0, listing: undefined };
      this.regions.set(name, r);
    }
    return r;
  }

  /** Copies of the source in the destination Region (any Lifecycle, anyone's), as `CopyGateway.findCopiesOf`. */
  async findCopiesOf(destinationRegion: string, source: CopySource): Promise<BackupState[]> {
    const all = await this.listing(destinationRegion);
    return all.filter(
      (c) => c.sourceBackupId === source.sourceBackupId && c.sourceRegion === source.sourceRegion,
    );
  }

  /** Sends one CopyBackup to the Region, marking it in flight meanwhile (see `canShareListing`). */
  async copyBackup<T>(destinationRegion: string, send: () => Promise<T>): Promise<T> {
    const r = this.region(destinationRegion);
    r.copyCallsStarted += 1;
    r.copyCallsInFlight += 1;
    try {
      return await send();
    } finally {
      r.copyCallsInFlight -= 1;
    }
  }

  private listing(region: string): Promise<BackupState[]> {
    const r = this.region(region);
    const now = { at: this.options.now(), copyCallsStarted: r.copyCallsStarted };
    if (r.listing && canShareListing(r.listing, now, this.options.reuseWindowMs)) return r.listing.result;
    const result = this.options.listCopies(region);
    const listing: Listing = {
      copyCallsStarted: r.copyCallsStarted,
      copyCallInFlight: r.copyCallsInFlight > 0,
      startedAt: now.at,
      result,
    };
    r.listing = listing;
    result.then(
      (): void => {
        // Only a listing that answered may be reused after its end, and only the newest one.
        if (r.listing === listing) r.listing = { ...listing, endedAt: this.options.now() };
      },
      (): void => {
        if (r.listing === listing) r.listing = undefined;
      },
    );
    return result;
  }
}
