import { Worker } from 'node:worker_threads';
import type { BenchProfile } from './bench-profile.js';
import type { BaselineJob } from './baseline-worker.js';
import type { StrategyRun } from './strategy-run.js';

function runInThread(job: BaselineJob): Promise<StrategyRun> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./baseline-worker.js', import.meta.url), { workerData: job });
    let result: StrategyRun | undefined;
    worker.once('message', (message: StrategyRun) => (result = message));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (result) resolve(result);
      else reject(new Error(`baseline ${job.strategy} on scenario ${job.scenarioIndex} exited with ${code}`));
    });
  });
}

/** Every baseline on every scenario, each in its own worker thread, all at once; results in scenario order. */
export async function runBaselinesInThreads(profile: BenchProfile): Promise<StrategyRun[]> {
  const jobs: BaselineJob[] = profile.scenarios.flatMap((_, scenarioIndex) =>
    (['sequential', 'retry-all'] as const).map((strategy) => ({ profile, scenarioIndex, strategy })),
  );
  return Promise.all(jobs.map(runInThread));
}
