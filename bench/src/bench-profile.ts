/**
 * What one bench run measures. Two profiles: `full` (the numbers the README shows, at most ten minutes) and
 * `quick` (a smoke run of every code path in under a minute, smaller copy sets, one poll interval). Time is
 * compressed: one mean copy lasts `meanCopyMs` of real time, so a poll interval of 1 % of it is 10 ms.
 */
export type ScenarioId = 'one-region' | 'four-regions';

export interface ScenarioSpec {
  readonly id: ScenarioId;
  readonly title: string;
  readonly sourceRegion: string;
  /** One source backup per file system, copied to every destination. */
  readonly fileSystems: number;
  readonly destinations: readonly string[];
}

export interface ScaleSpec {
  readonly fileSystems: number;
  readonly destinations: readonly string[];
  /** Copy jobs the worker runs for the CPU-per-job figure (after `execWarmupJobs` that are not counted). */
  readonly execSampleJobs: number;
  readonly execWarmupJobs: number;
  /**
   * The slot is planned a second time with this much latency on every FSx call: the simulator answers in well under
   * a millisecond, AWS in tens of milliseconds, and a listing of 500 filtered pages feels the difference.
   */
  readonly fsxLatencyMs: number;
}

export interface BenchProfile {
  readonly name: 'full' | 'quick';
  readonly seed: number;
  readonly meanCopyMs: number;
  readonly sigma: number;
  /** Poll intervals of the service, as fractions of the mean copy duration. */
  readonly pollFractions: readonly number[];
  readonly scenarios: readonly ScenarioSpec[];
  /** Baseline (a) polls its one copy this often; baseline (b) retries refused copies this often. */
  readonly baselinePollFraction: number;
  readonly baselineRetryFraction: number;
  readonly scale: ScaleSpec;
  /** FSx allows five copies in progress per destination Region. */
  readonly slotsPerRegion: number;
}

const FOUR_REGIONS = ['us-west-2', 'eu-west-1', 'ap-southeast-2', 'ca-central-1'] as const;

function scenarios(oneRegionCopies: number, fourRegionCopies: number): ScenarioSpec[] {
  return [
    {
      id: 'one-region',
      title: `${oneRegionCopies} copies to one Region`,
      sourceRegion: 'us-east-1',
      fileSystems: oneRegionCopies,
      destinations: ['us-west-2'],
    },
    {
      id: 'four-regions',
      title: `${fourRegionCopies} copies across 4 Regions`,
      sourceRegion: 'us-east-1',
      fileSystems: fourRegionCopies / FOUR_REGIONS.length,
      destinations: FOUR_REGIONS,
    },
  ];
}

const COMMON = {
  seed: 20_240_501,
  meanCopyMs: 1_000,
  sigma: 0.5,
  baselinePollFraction: 0.05,
  baselineRetryFraction: 1,
  slotsPerRegion: 5,
} as const;

export const FULL_PROFILE: BenchProfile = {
  ...COMMON,
  name: 'full',
  pollFractions: [0.01, 0.05, 0.1],
  scenarios: scenarios(500, 1_000),
  scale: {
    fileSystems: 10_000,
    destinations: ['us-west-2', 'eu-west-1', 'ap-southeast-2'],
    execSampleJobs: 3_000,
    execWarmupJobs: 300,
    fsxLatencyMs: 50,
  },
};

export const QUICK_PROFILE: BenchProfile = {
  ...COMMON,
  name: 'quick',
  pollFractions: [0.01],
  scenarios: scenarios(50, 100),
  scale: {
    fileSystems: 1_000,
    destinations: ['us-west-2', 'eu-west-1', 'ap-southeast-2'],
    execSampleJobs: 600,
    execWarmupJobs: 300,
    fsxLatencyMs: 50,
  },
};
