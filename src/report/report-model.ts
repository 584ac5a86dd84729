/**
 * The DR evidence report as data: what `fsx-dr report` prints as JSON, and what the Markdown and HTML renderings
 * are made from. Times are ISO 8601 strings, lengths are milliseconds, shares are fractions of the period (0..1).
 */

/** One (account, policy, file system, destination Region): the unit the RPO is proven for. */
export interface PairId {
  readonly account: string;
  readonly policy: string;
  readonly sourceRegion: string;
  readonly fileSystemId: string;
  readonly destinationRegion: string;
}

/** A pair the current config asks for, with its policy's RPO. */
export interface PairSpec extends PairId {
  readonly rpoMs?: number;
}

/** A successful copy known from the newest-copy records (kept even after its outcome record was trimmed). */
export interface KnownCopy {
  /** Absent in records made before accounts: the service's own. */
  readonly account?: string;
  readonly sourceRegion: string;
  readonly fileSystemId: string;
  readonly destinationRegion: string;
  readonly sourceBackupId: string;
  readonly destinationBackupId: string;
  /** Epoch ms. */
  readonly sourceCreatedAt: number;
  readonly finishedAt: string;
}

/**
 * What the pair looked like over a stretch of time: `within` or `breached` the RPO, `no-rpo` (a copy, but the
 * policy sets no RPO or the config was not given), or `no-copy` (no successful copy known by then).
 */
export const SEGMENT_STATES = ['within', 'breached', 'no-rpo', 'no-copy'] as const;
export type SegmentState = (typeof SEGMENT_STATES)[number];

/**
 * A stretch of the timeline with one recovery point: its age grows from `ageFromMs` to `ageToMs` (one ms per ms);
 * the next segment starts where a copy with a newer recovery point finished, or where the age crossed the RPO.
 */
export interface TimelineSegment {
  readonly from: string;
  readonly to: string;
  readonly state: SegmentState;
  /** Null in `no-copy` segments. */
  readonly ageFromMs: number | null;
  readonly ageToMs: number | null;
}

/** A stretch during which the newest copy's recovery point was older than the RPO. */
export interface Breach {
  /** When the recovery point got older than the RPO (may be before the period). */
  readonly start: string;
  /** When a copy with a recent enough recovery point finished; null while the breach goes on. */
  readonly end: string | null;
  /** From start to end (or to the end of the period while it goes on). */
  readonly lengthMs: number;
  /** The part of the breach inside the period. */
  readonly inPeriodMs: number;
  readonly startedBeforePeriod: boolean;
  readonly ongoing: boolean;
}

export interface NewestCopy {
  readonly sourceBackupId: string;
  readonly destinationBackupId: string;
  /** Creation time of the source backup: the recovery point. */
  readonly recoveryPoint: string;
  readonly finishedAt: string;
  /** Age of the recovery point at the end of the period. */
  readonly recoveryPointAgeMs: number;
}

export interface CopyCounts {
  readonly succeeded: number;
  /** `failed` and `expired` outcomes, by error name (`CompletionDeadlineExceeded` for an expired copy). */
  readonly failed: number;
  readonly failedByReason: Readonly<Record<string, number>>;
}

export interface PairReport extends PairId {
  /** False for a pair seen only in outcome records (a policy since removed, or the config was not given). */
  readonly inConfig: boolean;
  readonly rpoMs: number | null;
  /** The newest copy that succeeded by the end of the period, as recorded (FSx may have deleted it since). */
  readonly newestCopy: NewestCopy | null;
  readonly withinRpoMs: number;
  readonly breachedMs: number;
  readonly noCopyMs: number;
  /** Share of the period within the RPO; null when the RPO is not known. */
  readonly withinRpoShare: number | null;
  readonly breaches: readonly Breach[];
  /** Outcomes of this pair's copy jobs that finished in the period. */
  readonly copies: CopyCounts;
  /** Succeeded copies whose records carry no recovery point (written before records had one): not evidence. */
  readonly copiesWithoutRecoveryPoint: number;
  /** Copies of this pair held in the destination under retention; null until retention reports them. */
  readonly copiesHeld: number | null;
  /** When copiesHeld was counted (the pair's last retention sweep, ISO 8601); null with it. */
  readonly copiesHeldAt: string | null;
  readonly timeline: readonly TimelineSegment[];
}

/** A count of the copies a pair holds, as of a time (ISO 8601). */
export interface HeldCount {
  readonly count: number;
  readonly at: string;
}

export interface ReportHistory {
  /** The oldest outcome record kept in Redis; null when there is none. */
  readonly oldestOutcome: string | null;
  readonly outcomeRecords: number;
  /** True when the kept outcome history reaches back to the start of the period. */
  readonly coversPeriod: boolean;
  /** How much of the period lies before the oldest outcome record. */
  readonly uncoveredMs: number;
  /** The retention the records are kept under, when the config was given. */
  readonly retention: { readonly maxCount: number; readonly maxAgeMs: number } | null;
}

export interface DrReport {
  readonly generatedAt: string;
  readonly period: { readonly start: string; readonly end: string; readonly lengthMs: number };
  readonly history: ReportHistory;
  /** False when no config was given: the pairs come from outcome records and no RPO is known. */
  readonly configGiven: boolean;
  /** Plain sentences a reader must not miss (history shorter than the period, RPO unknown, ...). */
  readonly caveats: readonly string[];
  readonly totals: {
    readonly pairs: number;
    readonly pairsWithRpo: number;
    readonly pairsWithinRpoThroughout: number;
    readonly breaches: number;
    readonly ongoingBreaches: number;
    readonly succeeded: number;
    readonly failed: number;
  };
  readonly pairs: readonly PairReport[];
}
