import type { BenchProfile } from './bench-profile.js';
import type { EconomyResults } from './economy-results.js';
import type { MachineInfo } from './machine-info.js';
import type { ScaleResult } from './run-scale.js';
import type { StrategyRun } from './strategy-run.js';

/** A run as the JSON keeps it: everything but the raw copy intervals and hand-over samples (the chart has them). */
export type StrategyRunSummary = Omit<StrategyRun, 'intervals' | 'slots'> & {
  readonly slots: Omit<StrategyRun['slots'], 'handoverSamplesMs'>;
};

export interface GoalCheck {
  readonly goal: string;
  readonly measured: string;
  /**
   * `n/a` where the quick profile is too small to judge: its copy sets leave a long tail even for an ideal FIFO,
   * its scale run has a tenth of the jobs, and its CPU sample is too short to leave the JIT's warm-up behind.
   */
  readonly met: 'yes' | 'no' | 'n/a';
}

const verdict = (ok: boolean): GoalCheck['met'] => (ok ? 'yes' : 'no');

/** What `bench/results/latest.json` holds. */
export interface BenchResults {
  readonly profile: BenchProfile;
  readonly startedAt: string;
  readonly wallMs: number;
  readonly machine: MachineInfo;
  /** Load averages when the bench ended (the start ones are in `machine`). */
  readonly loadAtEnd: readonly [number, number, number];
  readonly runs: readonly StrategyRunSummary[];
  readonly scale?: ScaleResult;
  /** Issue 13's scenarios: admission order, foreign copies, FSx calls per copy. */
  readonly economy?: EconomyResults;
  readonly goals: readonly GoalCheck[];
}

export function summarizeRun(run: StrategyRun): StrategyRunSummary {
  const { intervals: _, slots, ...rest } = run;
  const { handoverSamplesMs: __, ...slotSummary } = slots;
  return { ...rest, slots: slotSummary };
}

/** The goals, checked against what was measured (reported, never asserted). */
export function checkGoals(
  runs: readonly StrategyRun[],
  scale: ScaleResult | undefined,
  profile: BenchProfile,
): GoalCheck[] {
  const goals: GoalCheck[] = [];
  const judged = (ok: boolean): GoalCheck['met'] => (profile.name === 'quick' ? 'n/a' : verdict(ok));
  const finest = Math.min(...profile.pollFractions);
  for (const scenario of profile.scenarios) {
    const run = runs.find(
      (r) => r.strategy === 'service' && r.scenario === scenario.id && r.pollFraction === finest,
    );
    if (!run) continue;
    goals.push({
      goal: `makespan ≤ 1.05 × bound, ${scenario.title}, poll ${(finest * 100).toFixed(0)} % of mean`,
      measured: `${run.slots.ratio.toFixed(3)} × (ideal FIFO ${run.slots.idealRatio.toFixed(3)} ×)`,
      met: judged(run.slots.ratio <= 1.05),
    });
  }
  const ours = runs.filter((r) => r.strategy === 'service');
  const refused = ours.reduce((a, r) => a + r.api.serviceLimitExceeded, 0);
  goals.push({
    goal: 'no ServiceLimitExceeded caused by the service’s own copies',
    measured: `${refused} in ${ours.reduce((a, r) => a + r.api.copyBackup, 0)} CopyBackup calls`,
    met: verdict(refused === 0),
  });
  if (scale) {
    goals.push({
      goal: `plan and enqueue ${scale.jobs.toLocaleString('en-US')} jobs ≤ 10 s`,
      measured: `${(scale.scheduler.planEnqueueMs / 1000).toFixed(2)} s`,
      met: judged(scale.scheduler.planEnqueueMs <= 10_000),
    });
    goals.push({
      goal: '≤ 2 ms CPU of overhead per copy job',
      measured: `${scale.overheadCpuMsPerJob.toFixed(2)} ms (plan ${scale.scheduler.planCpuMsPerJob.toFixed(2)} + run ${scale.worker.cpuMsPerJob.toFixed(2)})`,
      met: judged(scale.overheadCpuMsPerJob <= 2),
    });
  }
  return goals;
}
