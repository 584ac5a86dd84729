import type { FSxClient } from '@aws-sdk/client-fsx';
import { fsxClientFor, type FsxSimulator, type RecordedRequest } from '../../simulator/src/index.js';
import { apiEconomy } from './api-economy.js';
import type { BaselineIo, BaselineReport } from './baseline-io.js';
import { runRetryAll } from './baseline-retry-all.js';
import { runSequential } from './baseline-sequential.js';
import type { BenchProfile } from './bench-profile.js';
import type { CopyInterval, CopyRecorder } from './copy-recorder.js';
import { seedCopySet, type CopySet } from './copy-set.js';
import { slotMetrics } from './slot-metrics.js';
import type { StrategyRun } from './strategy-run.js';

export interface BaselineInput {
  /** The simulator on a manual clock: the baseline's waits move it. */
  readonly sim: FsxSimulator;
  readonly recorder: CopyRecorder;
  readonly set: CopySet;
  readonly profile: BenchProfile;
  readonly strategy: 'sequential' | 'retry-all';
  readonly planOrderDurations: ReadonlyMap<string, readonly number[]>;
}

/**
 * Virtual time: a wait advances the simulator's clock and returns at once, so the baseline's copy-hours cost
 * seconds of wall time and it pays no request latency at all (its best case). The client is the same module that
 * `baseline-client.ts` runs as a process against any simulator.
 */
function virtualTimeIo(sim: FsxSimulator): BaselineIo {
  const clients = new Map<string, FSxClient>();
  return {
    client: (region) => {
      let c = clients.get(region);
      if (!c) {
        c = fsxClientFor(sim, region);
        clients.set(region, c);
      }
      return c;
    },
    sleep: (ms) => {
      sim.clock.advance(ms);
      return Promise.resolve();
    },
  };
}

/** One baseline on one scenario, in virtual time, against the same copy set as the service. */
export async function runBaseline(input: BaselineInput): Promise<StrategyRun> {
  const { sim, recorder, set, profile, strategy } = input;
  const pollMs = Math.round(profile.meanCopyMs * profile.baselinePollFraction);
  const retryMs = Math.round(profile.meanCopyMs * profile.baselineRetryFraction);
  sim.reset();
  recorder.clear();
  seedCopySet(sim, set, sim.clock.now() - 60_000);
  const started = Date.now();
  const io = virtualTimeIo(sim);
  const report: BaselineReport =
    strategy === 'sequential'
      ? await runSequential(set.targets, io, { pollMs, retryMs })
      : await runRetryAll(set.targets, io, { retryMs });
  const requests: RecordedRequest[] = [...sim.requests];
  const intervals: CopyInterval[] = [...recorder.intervals()];
  const percent = (f: number): string => `${(f * 100).toFixed(0)} %`;
  return {
    scenario: set.spec.id,
    strategy,
    label:
      strategy === 'sequential'
        ? `(a) one at a time, poll ${percent(profile.baselinePollFraction)}`
        : `(b) start all, retry every ${percent(profile.baselineRetryFraction)}`,
    clock: 'virtual',
    pollMs: strategy === 'sequential' ? pollMs : retryMs,
    pollFraction: strategy === 'sequential' ? profile.baselinePollFraction : profile.baselineRetryFraction,
    retryMs,
    slots: slotMetrics(intervals, input.planOrderDurations, profile.slotsPerRegion),
    api: apiEconomy(requests, intervals.length, profile.slotsPerRegion),
    intervals,
    failedCopies: report.failed,
    wallMs: Date.now() - started,
  };
}
