/**
 * Worker-thread entry: one baseline run on one scenario, with its own simulator on a manual clock. Baselines run in
 * virtual time, so they are CPU-bound and their results do not depend on how busy the machine is; running them in
 * threads side by side (after the real-time runs of the service, never during) uses both cores and keeps the full
 * bench inside its ten minutes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startFsxSimulator } from '../../simulator/src/index.js';
import type { BenchProfile } from './bench-profile.js';
import { CopyRecorder } from './copy-recorder.js';
import { buildCopySet, planOrderDurations } from './copy-set.js';
import { runBaseline } from './run-baseline.js';

export interface BaselineJob {
  readonly profile: BenchProfile;
  readonly scenarioIndex: number;
  readonly strategy: 'sequential' | 'retry-all';
}

async function run(job: BaselineJob): Promise<void> {
  const { profile } = job;
  const spec = profile.scenarios[job.scenarioIndex];
  if (!spec) throw new Error(`no scenario ${job.scenarioIndex}`);
  const model = { seed: profile.seed, meanMs: profile.meanCopyMs, sigma: profile.sigma };
  // The same copy set (same group number) as the service's run of this scenario.
  const set = buildCopySet(spec, job.scenarioIndex + 1);
  const sim = await startFsxSimulator({ seed: profile.seed, clock: 'manual' });
  try {
    const recorder = new CopyRecorder(model);
    recorder.attach(sim);
    const result = await runBaseline({
      sim,
      recorder,
      set,
      profile,
      strategy: job.strategy,
      planOrderDurations: planOrderDurations(set, model),
    });
    parentPort?.postMessage(result);
  } finally {
    await sim.close();
  }
}

await run(workerData as BaselineJob);
