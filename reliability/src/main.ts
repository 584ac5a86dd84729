/**
 * `npm run chaos` (full, about 5 minutes) and `npm run chaos -- --quick` (CI, about 2 minutes): the reliability
 * suite of issue 4. It starts the real service processes (`fsx-dr run --role worker|scheduler`, as users run
 * them) against the FSx simulator and a private redis-server with AOF, kills and restarts them, restarts Redis,
 * makes FSx misbehave, takes the whole service down across two fire times, drains, and audits every copy. It
 * prints one table and exits 1 on any duplicate, loss, over-admission, failed outcome without a reason, crash or
 * coverage gap. Definitions of "expected", "lost" and "duplicated" are in audit.ts. The table also goes to
 * reliability/out/ (ignored by git); only `--publish` (a full run) writes the committed reliability/latest.md.
 *
 *   npm run chaos -- --quick --seed 1234   # repeat a run: every run prints its seed
 *   npm run chaos -- --publish             # a full run whose table replaces reliability/latest.md
 */
import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BackupFeeder } from './backup-feeder.js';
import { parseChaosArgs, type ChaosArgs } from './chaos-args.js';
import { ChaosLog } from './chaos-log.js';
import { chaosProfile } from './chaos-profile.js';
import { ChaosRandom } from './chaos-random.js';
import { failureReasons, type ChaosSummary } from './chaos-summary.js';
import { DESTINATION_REGIONS, chaosTopology } from './chaos-topology.js';
import { ChaosWorld } from './chaos-world.js';
import { FaultPhases } from './fault-phases.js';
import { ProcessFleet } from './process-fleet.js';
import { QueueInspector } from './queue-inspector.js';
import { CLI_PATH, RELIABILITY_DIR } from './repo-paths.js';
import { formatMarkdown, formatProblems, formatText, repeatCommand, reportFileName } from './report.js';
import { runScenario } from './scenario.js';
import { summariseRun } from './summarise-run.js';

async function run(args: ChaosArgs, log: ChaosLog): Promise<ChaosSummary> {
  const startedAt = Date.now();
  const profile = chaosProfile(args.quick, args.redis);
  const topology = chaosTopology(profile);
  const world = await ChaosWorld.start(profile, topology, args.seed, args.redis);
  const inspector = new QueueInspector(world.reader, world.keyPrefix, DESTINATION_REGIONS);
  const fleet = new ProcessFleet(
    world.configPath,
    () => world.env(),
    log,
    profile.workers,
    profile.schedulers,
  );
  const interrupt = (): void => {
    log.info('interrupted: stopping every process');
    void fleet
      .stopAll('SIGKILL')
      .then(() => world.close())
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    const feeder = new BackupFeeder(world.sim, topology, profile.feed, new ChaosRandom(args.seed, 3), log);
    const faults = new FaultPhases(
      world.sim,
      world.hooks,
      new ChaosRandom(args.seed, 2),
      log,
      profile.baseCopyFailureRate,
    );
    const random = new ChaosRandom(args.seed, 1);
    const parts = { profile, topology, world, fleet, feeder, faults, inspector, random, log };
    const scenario = await runScenario(parts);
    log.info('stopping every process (SIGTERM) and auditing');
    await fleet.stopAll('SIGTERM');
    return await summariseRun({
      ...parts,
      seed: args.seed,
      scenario,
      startedAt,
      evidenceDir: args.evidenceDir,
    });
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    await fleet.stopAll('SIGKILL');
    await inspector.close();
    await world.close();
  }
}

/**
 * reliability/latest.md when publishing (a full run), else reliability/out/latest[-quick].md, which git ignores; on
 * Sentinel or a cluster, latest-sentinel.md, latest-cluster.md and so on.
 */
async function writeReport(summary: ChaosSummary, publish: boolean): Promise<string> {
  const dir = publish ? RELIABILITY_DIR : join(RELIABILITY_DIR, 'out');
  await mkdir(dir, { recursive: true });
  const file = join(dir, reportFileName(summary.profile, summary.redis));
  await writeFile(file, formatMarkdown(summary, new Date()));
  return file;
}

async function main(): Promise<number> {
  let args: ChaosArgs;
  try {
    args = parseChaosArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  if (!existsSync(CLI_PATH)) {
    process.stderr.write(`chaos: ${CLI_PATH} is missing: run npm run build first\n`);
    return 2;
  }
  // Latency spikes hold many simulated responses at once, each waiting on the simulator's one close signal.
  setMaxListeners(0);
  const log = new ChaosLog();
  const repeat = repeatCommand({
    profile: args.quick ? 'quick' : 'full',
    redis: args.redis,
    seed: args.seed,
  });
  log.info(
    `chaos run (${args.quick ? 'quick' : 'full'}, Redis ${args.redis}), seed ${args.seed}: repeat with \`${repeat}\``,
  );
  const summary = await run(args, log);
  process.stdout.write(`${formatText(summary)}\n${formatProblems(summary)}\n`);
  if (args.report !== 'none')
    log.info(`table written to ${await writeReport(summary, args.report === 'publish')}`);
  return failureReasons(summary).length === 0 ? 0 : 1;
}

process.exitCode = await main();
