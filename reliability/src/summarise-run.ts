import { auditAdmission } from './admission-audit.js';
import { auditCopies } from './audit.js';
import type { BackupFeeder } from './backup-feeder.js';
import type { ChaosProfile } from './chaos-profile.js';
import type { ChaosSummary } from './chaos-summary.js';
import { DESTINATION_REGIONS, type ChaosTopology } from './chaos-topology.js';
import type { ChaosWorld } from './chaos-world.js';
import { dumpEvidence } from './evidence-dump.js';
import type { FaultPhases } from './fault-phases.js';
import {
  copyRequestFacts,
  outcomeEventsPerJob,
  outcomesFromCli,
  regionPeaks,
  serviceCopyFacts,
  sourceFacts,
  trafficFacts,
} from './gather-evidence.js';
import type { ProcessFleet } from './process-fleet.js';
import type { QueueInspector } from './queue-inspector.js';
import { countRecoveries, distinctOutcomeEvents, serviceEvents } from './lost-write-recoveries.js';
import { requiredCopies } from './required-copies.js';
import { auditRetention } from './retention-audit.js';
import { retentionAuditInput } from './retention-evidence.js';
import { CHAOS_PREFIX } from './chaos-world.js';
import { DeletionStore } from '../../src/queue/deletion-store.js';
import type { ScenarioResult } from './scenario.js';

export interface RunParts {
  readonly profile: ChaosProfile;
  readonly seed: number;
  readonly topology: ChaosTopology;
  readonly world: ChaosWorld;
  readonly fleet: ProcessFleet;
  readonly feeder: BackupFeeder;
  readonly faults: FaultPhases;
  readonly inspector: QueueInspector;
  readonly scenario: ScenarioResult;
  readonly startedAt: number;
  readonly evidenceDir?: string | undefined;
}

/**
 * Reads the evidence once the service has stopped (outcomes through the CLI, jobs from BullMQ, copies and
 * requests from the simulator, events from every process's log) and audits it.
 */
export async function summariseRun(parts: RunParts): Promise<ChaosSummary> {
  const { world, topology, profile } = parts;
  const { outcomes, pipeProblem } = await outcomesFromCli(world.env());
  const stored = await world.outcomes.list({ limit: 1_000_000 });
  const serviceCopies = serviceCopyFacts(world.sim);
  const jobs = await parts.inspector.allCopyJobs();
  if (parts.evidenceDir !== undefined) {
    await dumpEvidence(parts.evidenceDir, world, outcomes, jobs, parts.fleet.history);
  }
  const recoveries = countRecoveries({
    events: serviceEvents(parts.fleet.history.flatMap((p) => p.kept)),
    faults: world.redisFaults,
    jobsAtEnd: new Set(jobs.map((j) => j.jobId)),
    outcomeJobs: new Set(outcomes.map((o) => o.jobId)),
    succeededCopies: new Set(
      outcomes.filter((o) => o.status === 'succeeded').flatMap((o) => o.destinationBackupId ?? []),
    ),
  });
  const copies = auditCopies({
    jobs,
    outcomes,
    serviceCopies,
    required: requiredCopies(topology.policies, topology.fileSystems, sourceFacts(world.sim, topology)),
    outcomeEventsPerJob: distinctOutcomeEvents(
      outcomeEventsPerJob(parts.fleet.history),
      recoveries.rewrittenJobs,
    ),
  });
  const retention = auditRetention(
    retentionAuditInput(world.sim, world.hooks, topology, outcomes, CHAOS_PREFIX),
  );
  const records: Record<string, number> = {};
  const store = new DeletionStore(world.reader, world.keyPrefix, { maxCount: 1e9, maxAgeMs: 1e12 });
  for (const r of await store.list({ limit: 1_000_000 })) records[r.result] = (records[r.result] ?? 0) + 1;
  const failoverLines = parts.fleet.history.flatMap((p) => p.events('redis.failover'));
  const admission = auditAdmission(
    copyRequestFacts(world.sim),
    [...world.hooks.copies.values()],
    regionPeaks(world.sim),
    5,
  );
  return {
    profile: profile.name,
    seed: parts.seed,
    workers: profile.workers,
    schedulers: profile.schedulers,
    policies: topology.policies.length,
    destinationRegions: DESTINATION_REGIONS.length,
    copies,
    retention: {
      ...retention,
      records,
      bait: world.retentionBait,
      keepLast: profile.retention.keepLast,
      sweepInterval: profile.retention.sweepInterval,
      maxDeletionsPerSweep: profile.retention.maxDeletionsPerSweep,
    },
    admission,
    fleet: parts.fleet.counters,
    redis: world.redis.topology,
    redisRestarts: world.redisRestarts,
    redisFaults: world.redisFaults,
    failoverLines: failoverLines.length,
    processesThatSawFailover: new Set(
      parts.fleet.history.filter((p) => p.events('redis.failover').length > 0).map((p) => p.name),
    ).size,
    stalledWorkers: parts.fleet.history.reduce((n, p) => n + p.events('worker.stalled').length, 0),
    recoveries,
    scenario: parts.scenario,
    traffic: trafficFacts(world.sim),
    faultsApplied: parts.faults.applied,
    foreignCopies: parts.faults.foreignCopies,
    copiesFailedInFsx: serviceCopies.filter((c) => c.lifecycle === 'FAILED').length,
    feed: parts.feeder.counts,
    cliOutcomes: outcomes.length,
    ...(pipeProblem !== undefined ? { cliPipeProblem: pipeProblem } : {}),
    storedOutcomes: stored.length,
    minExpectedCopies: profile.minExpectedCopies,
    wallMs: Date.now() - parts.startedAt,
  };
}
