/**
 * `npm run bench`: how close the service gets to the five-copy limit's lower bound, what simpler scripts get, what
 * it costs in FSx calls, how it scales, and issue 13's economy scenarios (admission order in a contended Region,
 * slots shared with foreign copies, FSx calls per copy), each with today's behaviour beside the new default. Prints
 * the tables and writes latest.{md,json}, in-flight.svg and economy-slots.svg (with `--quick`: quick.{md,json},
 * quick-in-flight.svg and quick-economy-slots.svg) to bench/out/, which git ignores; only `--publish` (a full
 * run) writes bench/results/, the committed files the README quotes.
 *
 *   npm run bench                 # full (about 12 minutes): 500 + 1,000 copies at three poll intervals, baselines,
 *                                 # economy scenarios, 30,000-job scale
 *   npm run bench -- --publish    # the same, written to bench/results/ to be committed
 *   npm run bench -- --quick      # under a minute: smaller sets, one poll interval
 *   npm run bench -- --cpu-prof   # also writes a V8 CPU profile of every service process (to a temporary folder)
 *
 * Needs `npm run build` first and `redis-server` on the PATH (a private one is started).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsTestEnv } from '../../test/support/aws-env.js';
import { parseBenchArgs, type BenchArgs } from './bench-args.js';
import { startFsxSimulator } from '../../simulator/src/index.js';
import { startRedis } from '../../test/support/redis-server.js';
import { FULL_PROFILE, QUICK_PROFILE, type BenchProfile, type ScenarioSpec } from './bench-profile.js';
import { checkGoals, summarizeRun, type BenchResults } from './bench-results.js';
import { checkEconomyGoals } from './economy-goals.js';
import type { EconomyResults } from './economy-results.js';
import { CopyRecorder } from './copy-recorder.js';
import { buildCopySet, planOrderDurations } from './copy-set.js';
import { foreignSlotsChart, type SlotTimeline } from './foreign-slots-chart.js';
import { inFlightChart } from './in-flight-chart.js';
import { machineInfo } from './machine-info.js';
import { resultsMarkdown } from './results-markdown.js';
import { runBaselinesInThreads } from './run-baselines-in-threads.js';
import { runEconomyScenarios } from './run-economy-scenarios.js';
import { runScale, type ScaleResult } from './run-scale.js';
import { runServiceScenario } from './run-service-scenario.js';
import { REPO_ROOT } from './service-launcher.js';
import type { StrategyRun } from './strategy-run.js';

function progress(text: string): void {
  process.stderr.write(`[bench] ${text}\n`);
}

function describeRun(run: StrategyRun): string {
  const s = run.slots;
  return (
    `${run.scenario}, ${run.label}: makespan ${(s.makespanMs / 1000).toFixed(1)} s = ${s.ratio.toFixed(3)} × bound ` +
    `(ideal ${s.idealRatio.toFixed(3)}), hand-over p50 ${s.handover.p50Ms} ms p99 ${s.handover.p99Ms} ms, ` +
    `${run.api.serviceLimitExceeded} refused, ${(run.wallMs / 1000).toFixed(1)} s wall`
  );
}

/** The service on every scenario at every poll interval, one run at a time on a quiet machine. */
async function runService(profile: BenchProfile, cpuProfileDir: string | undefined): Promise<StrategyRun[]> {
  const model = { seed: profile.seed, meanMs: profile.meanCopyMs, sigma: profile.sigma };
  const redis = await startRedis({ forcePrivate: true });
  const sim = await startFsxSimulator({ seed: profile.seed });
  const recorder = new CopyRecorder(model);
  recorder.attach(sim);
  const runs: StrategyRun[] = [];
  try {
    for (const [index, spec] of profile.scenarios.entries()) {
      const set = buildCopySet(spec, index + 1);
      const durations = planOrderDurations(set, model);
      for (const pollFraction of profile.pollFractions) {
        const run = await runServiceScenario({
          sim,
          redis,
          recorder,
          set,
          profile,
          pollFraction,
          planOrderDurations: durations,
          ...(cpuProfileDir !== undefined && { cpuProfileDir }),
        });
        progress(describeRun(run));
        runs.push(run);
      }
    }
  } finally {
    await Promise.allSettled([sim.close(), redis.stop()]);
  }
  return runs;
}

async function runUtilisation(
  profile: BenchProfile,
  cpuProfileDir: string | undefined,
): Promise<StrategyRun[]> {
  const ours = await runService(profile, cpuProfileDir);
  const baselines = await runBaselinesInThreads(profile);
  for (const run of baselines) progress(describeRun(run));
  // Table order: per scenario, the service's runs, then the baselines.
  return profile.scenarios.flatMap((s) => [...ours, ...baselines].filter((r) => r.scenario === s.id));
}

function chartRows(profile: BenchProfile, runs: readonly StrategyRun[]) {
  const finest = Math.min(...profile.pollFractions);
  const pick =
    (strategy: StrategyRun['strategy'], poll?: number) =>
    (scenario: ScenarioSpec): StrategyRun | undefined =>
      runs.find(
        (r) =>
          r.scenario === scenario.id &&
          r.strategy === strategy &&
          (poll === undefined || r.pollFraction === poll),
      );
  return [pick('service', finest), pick('retry-all'), pick('sequential')];
}

async function main(): Promise<void> {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(process.argv.slice(2), REPO_ROOT);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
    return;
  }
  // The in-process part of the scale run uses the SDK too; nothing may reach AWS.
  Object.assign(process.env, awsTestEnv());
  const profile = args.quick ? QUICK_PROFILE : FULL_PROFILE;
  const { out, name } = args;
  const cpuProfileDir = args.cpuProf ? join(tmpdir(), `fsx-dr-bench-profiles-${Date.now()}`) : undefined;
  await mkdir(out, { recursive: true });
  if (cpuProfileDir !== undefined) {
    await mkdir(cpuProfileDir, { recursive: true });
    progress(`CPU profiles of the service processes go to ${cpuProfileDir}`);
  }
  const startedAt = new Date();
  const machine = machineInfo();
  progress(
    `${profile.name} profile on ${machine.cpuModel} × ${machine.cores}, load ${machine.loadAverage.join(' ')}`,
  );

  const runs = args.skipUtilisation ? [] : await runUtilisation(profile, cpuProfileDir);
  let economy: EconomyResults | undefined;
  let timelines: SlotTimeline[] = [];
  if (!args.skipEconomy) {
    const largeBatched = runs.filter((r) => r.strategy === 'service' && r.scenario === 'one-region');
    ({ results: economy, timelines } = await runEconomyScenarios(profile, largeBatched));
  }
  let scale: ScaleResult | undefined;
  if (!args.skipScale) {
    scale = await runScale(
      profile,
      Math.round(profile.meanCopyMs * Math.min(...profile.pollFractions)),
      cpuProfileDir,
    );
    progress(
      `scale: ${scale.jobs} jobs planned and enqueued in ${(scale.scheduler.planEnqueueMs / 1000).toFixed(2)} s, ` +
        `${scale.overheadCpuMsPerJob.toFixed(2)} ms CPU per job`,
    );
  }
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  const results: BenchResults = {
    profile,
    startedAt: startedAt.toISOString(),
    wallMs: Date.now() - startedAt.getTime(),
    machine,
    loadAtEnd: [one, five, fifteen],
    runs: runs.map(summarizeRun),
    ...(scale && { scale }),
    ...(economy && { economy }),
    goals: [
      ...checkGoals(runs, scale, profile),
      ...(economy ? checkEconomyGoals(economy, profile.name === 'quick') : []),
    ],
  };
  const markdown = resultsMarkdown(results);
  const chart = inFlightChart(
    profile.scenarios,
    chartRows(profile, runs),
    profile.meanCopyMs,
    profile.slotsPerRegion,
  );
  await writeFile(join(out, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(
    join(out, `${name}.md`),
    markdown.replace('in-flight.svg', args.chartName).replace('economy-slots.svg', args.economyChartName),
  );
  await writeFile(join(out, args.chartName), chart);
  if (timelines.length > 0) {
    await writeFile(
      join(out, args.economyChartName),
      foreignSlotsChart(timelines, profile.meanCopyMs, profile.slotsPerRegion),
    );
  }
  process.stdout.write(markdown);
  progress(
    `wrote ${join(out, `${name}.md`)}, ${name}.json and the chart in ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
