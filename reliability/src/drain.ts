import type { ChaosLog } from './chaos-log.js';
import { pause } from './chaos-log.js';
import type { ChaosTopology } from './chaos-topology.js';
import { DESTINATION_REGIONS } from './chaos-topology.js';
import type { ChaosWorld } from './chaos-world.js';
import { sourceFacts } from './gather-evidence.js';
import type { QueueInspector } from './queue-inspector.js';
import { copyKey, requiredCopies } from './required-copies.js';

export interface DrainResult {
  readonly drained: boolean;
  readonly tookMs: number;
  /** Required copies still without a succeeded outcome when the drain ended. */
  readonly missing: number;
  readonly unfinishedJobs: number;
  readonly inFlight: number;
}

interface DrainStatus {
  readonly missing: number;
  readonly unfinishedJobs: number;
  readonly inFlight: number;
}

/**
 * Waits, with FSx healthy again and every source settled, until the service has caught up: every required copy
 * has a succeeded outcome, no copy job is unfinished, and FSx has none of the service's copies in progress; twice
 * in a row, a second apart (a plan job may be between listing and enqueueing). Bounded: a service that never gets
 * there is what the audit then reports as lost.
 */
export async function drain(
  world: ChaosWorld,
  topology: ChaosTopology,
  inspector: QueueInspector,
  timeoutMs: number,
  log: ChaosLog,
): Promise<DrainResult> {
  const started = Date.now();
  let settled = 0;
  let lastLog = 0;
  for (;;) {
    const status = await drainStatus(world, topology, inspector);
    const done = status.missing === 0 && status.unfinishedJobs === 0 && status.inFlight === 0;
    settled = done ? settled + 1 : 0;
    const tookMs = Date.now() - started;
    if (settled >= 2) return { drained: true, tookMs, ...status };
    if (tookMs > timeoutMs) return { drained: false, tookMs, ...status };
    if (Date.now() - lastLog > 5_000) {
      lastLog = Date.now();
      log.info(
        `draining: ${status.missing} required copies pending, ${status.unfinishedJobs} unfinished jobs, ${status.inFlight} copies in FSx`,
      );
    }
    await pause(1_000);
  }
}

async function drainStatus(
  world: ChaosWorld,
  topology: ChaosTopology,
  inspector: QueueInspector,
): Promise<DrainStatus> {
  const required = requiredCopies(topology.policies, topology.fileSystems, sourceFacts(world.sim, topology));
  const outcomes = await world.outcomes.list({ limit: 1_000_000 });
  const succeeded = new Set(
    outcomes
      .filter((o) => o.status === 'succeeded')
      .map((o) => copyKey(o.sourceRegion, o.sourceBackupId, o.destinationRegion)),
  );
  const missing = [...required].filter((k) => !succeeded.has(k)).length;
  const unfinished = await inspector.unfinished();
  const inFlight = DESTINATION_REGIONS.reduce((n, r) => n + world.sim.inFlight(r).service, 0);
  return { missing, unfinishedJobs: unfinished.copy, inFlight };
}
