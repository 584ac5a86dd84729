/**
 * What one bench run measures. Two profiles: `full` (the numbers the README shows, at most ten minutes) and
 * `quick` (a smoke run of every code path in under a minute, smaller copy sets, one poll interval). Time is
 * compressed: one mean copy lasts `meanCopyMs` of real time, so a poll interval of 1 % of it is 10 ms.
 */
import type { ContendedSpec } from './contended-set.js';

/** The utilisation scenarios, and the copy sets of the economy scenarios (b) and (c). */
export type ScenarioId = 'one-region' | 'four-regions' | 'foreign-slots' | 'short-run';

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

/**
 * The economy scenarios of issue 13: each measured with today's behaviour (FSXDR_ADMISSION=fifo, FSXDR_POLL=per-copy,
 * FSXDR_REGION_FULL_PROBE=fixed) and the new default, against its bound.
 */
export interface EconomySpec {
  /** Poll interval of scenarios (a) and (b), as a fraction of the mean copy duration. */
  readonly pollFraction: number;
  /**
   * FSXDR_REGION_FULL_DELAY as a fraction of the mean copy: the default's 30 s against the default 30 s poll, at the
   * bench's 1 % poll. Today's fixed pause; the adaptive probe's longest.
   */
  readonly regionFullDelayFraction: number;
  /** (a) a contended Region: FIFO against urgency-first. */
  readonly contended: ContendedSpec;
  /** (b) foreign copies holding 0 to `maxForeign` slots: today's fixed pause against the adaptive probe. */
  readonly foreign: {
    readonly spec: ScenarioSpec;
    readonly maxForeign: number;
    /** Mean span of each foreign level, as a fraction of the mean copy duration. */
    readonly meanSpanFraction: number;
  };
  /** (c) FSx calls per copy: per-copy polls against batched ones. */
  readonly polling: {
    /** The short run (a few dozen copies), at every poll of `pollFractions`. */
    readonly short: ScenarioSpec;
    /** Today's per-copy polls on the large one-Region set, at these polls (its batched runs are the utilisation runs). */
    readonly largePerCopyPollFractions: readonly number[];
  };
  /**
   * The quick profile runs (a), (b) and (c)'s short set in one process per behaviour (each in Regions of its own,
   * so their slots are apart) to stay under a minute; the full one gives each its own process.
   */
  readonly shareProcess: boolean;
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
  readonly economy: EconomySpec;
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

const CONTENDED_POLICIES = [
  { name: 'bronze', rpo: '48h', rpoMs: 48 * 3_600_000 },
  { name: 'silver', rpo: '30h', rpoMs: 30 * 3_600_000 },
  { name: 'gold', rpo: '25h', rpoMs: 25 * 3_600_000 },
] as const;

function economy(opts: {
  contendedRegions: readonly string[];
  fileSystemsPerPolicy: number;
  foreignCopies: number;
  shortCopies: number;
  largePerCopyPollFractions: readonly number[];
  shareProcess: boolean;
}): EconomySpec {
  return {
    pollFraction: 0.01,
    regionFullDelayFraction: 0.01,
    contended: {
      sourceRegion: 'eu-central-1',
      regions: opts.contendedRegions,
      policies: CONTENDED_POLICIES,
      fileSystemsPerPolicy: opts.fileSystemsPerPolicy,
      longShare: 0.3,
      longMeanMs: 2_400,
      shortMeanMs: 430,
      sigma: 0.3,
      slack: [0, 1],
    },
    foreign: {
      spec: {
        id: 'foreign-slots',
        title: `${opts.foreignCopies} copies to one Region beside foreign copies`,
        sourceRegion: 'us-east-2',
        fileSystems: opts.foreignCopies,
        destinations: ['ap-northeast-1'],
      },
      maxForeign: 4,
      meanSpanFraction: 1,
    },
    polling: {
      short: {
        id: 'short-run',
        title: `${opts.shortCopies} copies to one Region`,
        sourceRegion: 'us-east-1',
        fileSystems: opts.shortCopies,
        destinations: ['sa-east-1'],
      },
      largePerCopyPollFractions: opts.largePerCopyPollFractions,
    },
    shareProcess: opts.shareProcess,
  };
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
  economy: economy({
    contendedRegions: ['eu-west-2', 'eu-north-1', 'ap-south-1'],
    fileSystemsPerPolicy: 4,
    foreignCopies: 40,
    shortCopies: 30,
    largePerCopyPollFractions: [0.01],
    shareProcess: false,
  }),
};

export const QUICK_PROFILE: BenchProfile = {
  ...COMMON,
  name: 'quick',
  pollFractions: [0.01],
  scenarios: scenarios(30, 60),
  scale: {
    fileSystems: 1_000,
    destinations: ['us-west-2', 'eu-west-1', 'ap-southeast-2'],
    execSampleJobs: 200,
    execWarmupJobs: 300,
    fsxLatencyMs: 50,
  },
  economy: economy({
    contendedRegions: ['eu-west-2'],
    fileSystemsPerPolicy: 4,
    foreignCopies: 10,
    shortCopies: 15,
    largePerCopyPollFractions: [],
    shareProcess: true,
  }),
};
