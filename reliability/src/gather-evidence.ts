import { spawn, type StdioOptions } from 'node:child_process';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CopyOutcome } from '../../src/copy/outcome.js';
import type { FsxSimulator } from '../../simulator/src/index.js';
import type { CopyRequestFact, RegionPeak } from './admission-audit.js';
import type { CopyFact } from './audit.js';
import type { CliProcess } from './cli-process.js';
import { DESTINATION_REGIONS, type ChaosTopology } from './chaos-topology.js';
import { CLI_PATH } from './repo-paths.js';
import type { SourceBackupFact } from './required-copies.js';

const OUTCOME_EVENTS: ReadonlySet<string> = new Set(['copy.succeeded', 'copy.failed', 'copy.expired']);

/** What `fsx-dr outcomes --json` printed, read the way a script reads it (through a pipe, e.g. into `jq`). */
export interface CliOutcomes {
  readonly outcomes: CopyOutcome[];
  /** Set when the output read through a pipe was not the whole JSON document the same command writes to a file. */
  readonly pipeProblem?: string;
}

const OUTCOMES_ARGS = ['outcomes', '--json', '--limit', '100000'];

/**
 * The outcomes as an operator reads them: `fsx-dr outcomes --json`, the CLI's own view of Redis. The audit uses
 * what the command writes to a file (complete whatever the reader does), and also reads it through a pipe, as
 * `fsx-dr outcomes --json | jq` would: output cut short there is a defect an operator would hit, so it is reported.
 */
export async function outcomesFromCli(env: Readonly<Record<string, string>>): Promise<CliOutcomes> {
  const dir = await mkdtemp(join(tmpdir(), 'fsxdr-chaos-outcomes-'));
  try {
    const file = join(dir, 'outcomes.json');
    const handle = await open(file, 'w');
    const code = await runCli(env, ['ignore', handle.fd, 'pipe']);
    await handle.close();
    if (code.exit !== 0) throw new Error(`fsx-dr outcomes exited ${code.exit}: ${code.stderr.trim()}`);
    const text = await readFile(file, 'utf8');
    const outcomes = JSON.parse(text) as CopyOutcome[];
    const piped = await runCli(env, ['ignore', 'pipe', 'pipe']);
    if (piped.stdout === text) return { outcomes };
    return {
      outcomes,
      pipeProblem: `through a pipe fsx-dr outcomes --json wrote ${piped.stdout.length} of ${text.length} characters (exit ${piped.exit})`,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function runCli(
  env: Readonly<Record<string, string>>,
  stdio: StdioOptions,
): Promise<{ exit: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI_PATH, ...OUTCOMES_ARGS], { env, stdio });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { exit, stdout, stderr };
}

/** Outcome events per job id, over the logs of every process the run started. */
export function outcomeEventsPerJob(processes: readonly CliProcess[]): Map<string, number> {
  const perJob = new Map<string, number>();
  for (const p of processes) {
    for (const line of p.kept) {
      if (!line.event || !OUTCOME_EVENTS.has(line.event) || typeof line['jobId'] !== 'string') continue;
      perJob.set(line['jobId'], (perJob.get(line['jobId']) ?? 0) + 1);
    }
  }
  return perJob;
}

/** Every backup of the source Regions as FSx holds it now. */
export function sourceFacts(sim: FsxSimulator, topology: ChaosTopology): SourceBackupFact[] {
  const regions = [...new Set(topology.policies.map((p) => p.sourceRegion))];
  return regions.flatMap((region) =>
    sim.backups(region).map((b) => ({
      region,
      backupId: b.backupId,
      fileSystemId: b.fileSystemId,
      lifecycle: b.lifecycle,
      creationTime: b.creationTime.getTime(),
      origin: b.origin,
    })),
  );
}

/** The copies the service made in every destination Region (foreign copies are not the service's). */
export function serviceCopyFacts(sim: FsxSimulator): CopyFact[] {
  return DESTINATION_REGIONS.flatMap((region) =>
    sim
      .backups(region)
      .filter((b) => b.origin === 'service-copy')
      .map((b) => ({
        backupId: b.backupId,
        region,
        sourceBackupId: b.sourceBackupId ?? '',
        sourceRegion: b.sourceRegion ?? '',
        lifecycle: b.lifecycle,
        ...(b.deletedVia === 'DeleteBackup' ? { pruned: true } : {}),
      })),
  );
}

export function copyRequestFacts(sim: FsxSimulator): CopyRequestFact[] {
  return sim.requests
    .filter((r) => r.operation === 'CopyBackup')
    .map((r) => {
      const token = (r.params as { ClientRequestToken?: unknown } | undefined)?.ClientRequestToken;
      return {
        time: r.time,
        region: r.region,
        token: typeof token === 'string' ? token : undefined,
        inFlightService: r.inFlightAtArrival?.service ?? 0,
      };
    });
}

export function regionPeaks(sim: FsxSimulator): RegionPeak[] {
  return DESTINATION_REGIONS.map((region) => {
    const peak = sim.peakInFlight(region);
    return { region, service: peak.service, total: peak.total };
  });
}

/** What the simulator saw: requests per fault, CopyBackup calls, and the refusals a full Region caused. */
export interface TrafficFacts {
  readonly fsxRequests: number;
  readonly copyBackupCalls: number;
  readonly regionFullRefusals: number;
  readonly injected: Readonly<Record<string, number>>;
}

export function trafficFacts(sim: FsxSimulator): TrafficFacts {
  const injected: Record<string, number> = {};
  let copyBackupCalls = 0;
  let regionFullRefusals = 0;
  for (const r of sim.requests) {
    if (r.injected) injected[r.injected] = (injected[r.injected] ?? 0) + 1;
    if (r.operation !== 'CopyBackup') continue;
    copyBackupCalls += 1;
    if (r.errorName === 'ServiceLimitExceeded') regionFullRefusals += 1;
  }
  return { fsxRequests: sim.requests.length, copyBackupCalls, regionFullRefusals, injected };
}
