/**
 * How hard a chaos run pushes, and for how long. `quick` is sized to pass in about two minutes on a loaded
 * two-core CI machine while still crossing every line of issue 4 (at least 200 copies, 3 workers, 2 schedulers,
 * kills of each kind, a rolling restart, a Redis restart, every FSx fault, an outage across two fire times);
 * `full` runs longer with more of everything.
 */
export interface ChaosProfile {
  readonly name: 'quick' | 'full';
  readonly workers: number;
  readonly schedulers: number;
  /** File systems per source Region (the first of each list is ONTAP, which the service must skip). */
  readonly fileSystemsEast: number;
  readonly fileSystemsCentral: number;
  /** East file systems a second policy also copies to one destination: two policies asking for one copy. */
  readonly overlapFileSystems: number;
  /** Every policy fires every this many seconds (a cron with a seconds field). */
  readonly schedulePeriodS: number;
  /** The phase with kills, restarts and faults. */
  readonly chaosMs: number;
  readonly feed: FeedProfile;
  /** Pause between two SIGKILLs, and how long a killed process stays down. */
  readonly killEveryMs: readonly [number, number];
  readonly restartDelayMs: readonly [number, number];
  readonly rollingRestarts: number;
  readonly redisRestarts: number;
  readonly redisDownMs: number;
  /** How long each set of FSx faults lasts. */
  readonly faultPhaseMs: readonly [number, number];
  readonly copyDurationMs: readonly [number, number];
  /** Share of copies that end FAILED outside the failed-copies phase (real copies fail now and then). */
  readonly baseCopyFailureRate: number;
  /** Longest wait, after the faults stop, for every copy to reach an outcome. */
  readonly drainTimeoutMs: number;
  /** The run is void (and fails) when it expected fewer copies than this. */
  readonly minExpectedCopies: number;
  /** Retention stays on: every policy keeps this few copies per pair, swept this often. */
  readonly retention: RetentionProfile;
}

export interface RetentionProfile {
  readonly keepLast: number;
  /** A duration as the policy file writes it. */
  readonly sweepInterval: string;
  readonly maxDeletionsPerSweep: number;
  /** Longest wait, after the copy drain, for every pair to hold what its rules keep. */
  readonly settleTimeoutMs: number;
}

export interface FeedProfile {
  /** A round of new source backups this often. */
  readonly everyMs: number;
  /** File systems given a new backup per round. */
  readonly perRound: number;
  /** Shares of new backups that are still CREATING for a few seconds, or for long. */
  readonly creatingShare: number;
  readonly longCreatingShare: number;
  readonly longCreatingMs: readonly [number, number];
  /** Shares that show a Lifecycle the service has never seen for a while, that end FAILED, or get deleted. */
  readonly oddLifecycleShare: number;
  readonly failedShare: number;
  readonly deleteShare: number;
}

const QUICK: ChaosProfile = {
  name: 'quick',
  workers: 3,
  schedulers: 2,
  fileSystemsEast: 16,
  fileSystemsCentral: 9,
  overlapFileSystems: 5,
  schedulePeriodS: 5,
  chaosMs: 70_000,
  feed: {
    everyMs: 3_500,
    perRound: 5,
    creatingShare: 0.25,
    longCreatingShare: 0.05,
    longCreatingMs: [12_000, 25_000],
    oddLifecycleShare: 0.05,
    failedShare: 0.04,
    deleteShare: 0.03,
  },
  killEveryMs: [3_000, 7_000],
  restartDelayMs: [300, 2_000],
  rollingRestarts: 1,
  redisRestarts: 1,
  redisDownMs: 1_500,
  faultPhaseMs: [4_000, 7_000],
  copyDurationMs: [400, 1_600],
  baseCopyFailureRate: 0.03,
  drainTimeoutMs: 75_000,
  minExpectedCopies: 200,
  retention: { keepLast: 2, sweepInterval: '5s', maxDeletionsPerSweep: 10, settleTimeoutMs: 60_000 },
};

const FULL: ChaosProfile = {
  ...QUICK,
  name: 'full',
  workers: 4,
  schedulers: 2,
  fileSystemsEast: 24,
  fileSystemsCentral: 12,
  overlapFileSystems: 8,
  chaosMs: 240_000,
  feed: {
    ...QUICK.feed,
    everyMs: 3_000,
    perRound: 6,
    // Some sources stay CREATING past the one-minute start deadline: those copies must fail with a reason, and
    // be made by a later slot once the source is AVAILABLE.
    longCreatingMs: [20_000, 75_000],
  },
  killEveryMs: [2_500, 6_000],
  rollingRestarts: 2,
  redisRestarts: 2,
  drainTimeoutMs: 120_000,
  minExpectedCopies: 500,
};

/**
 * The profile of a run. On Sentinel the Redis fault is a SIGKILL of the primary, and there are always two: the
 * first primary, then the one promoted in its place (which must have taken the old one back as its replica).
 */
export function chaosProfile(
  quick: boolean,
  redis: 'standalone' | 'sentinel' | 'cluster' = 'standalone',
): ChaosProfile {
  const base = quick ? QUICK : FULL;
  return redis === 'sentinel' ? { ...base, redisRestarts: Math.max(2, base.redisRestarts) } : base;
}
