import { Queue } from 'bullmq';
import { buildRetentionRules } from '../../src/config/build-config.js';
import type { CopyOutcome } from '../../src/copy/outcome.js';
import { DeletionStore } from '../../src/queue/deletion-store.js';
import type { RedisClient } from '../../src/queue/redis-connection.js';
import type { FsxSimulator } from '../../simulator/src/index.js';
import type { ChaosLog } from './chaos-log.js';
import { pause } from './chaos-log.js';
import { DESTINATION_REGIONS, isCopyable, type ChaosTopology } from './chaos-topology.js';
import type {
  DeleteRequestFact,
  DestinationFact,
  RetentionAuditInput,
  RetentionPairSpec,
} from './retention-audit.js';
import { auditRetention } from './retention-audit.js';
import type { SimHooks } from './sim-hooks.js';

const DEPLOYMENT_TAG = 'fsx-dr:deployment';
const RECOVERY_POINT_TAG = 'fsx-dr:recovery-point';

/** Every backup of every destination Region as the simulator holds it, with its source's truth and the ledger's. */
export function destinationFacts(
  sim: FsxSimulator,
  hooks: SimHooks,
  topology: ChaosTopology,
): DestinationFact[] {
  const sourceRegions = [...new Set(topology.policies.map((p) => p.sourceRegion))];
  const created = new Map<string, number>();
  for (const region of sourceRegions) {
    for (const b of sim.backups(region)) created.set(`${region}|${b.backupId}`, b.creationTime.getTime());
  }
  return DESTINATION_REGIONS.flatMap((region) =>
    sim.backups(region).map((b): DestinationFact => {
      const ledger = hooks.copies.get(b.backupId);
      const deployment = b.tags.find((t) => t.Key === DEPLOYMENT_TAG)?.Value;
      const recoveryPointMs =
        b.sourceRegion === undefined ? undefined : created.get(`${b.sourceRegion}|${b.sourceBackupId ?? ''}`);
      const failed = ledger ? ledger.failed : b.lifecycle === 'FAILED';
      return {
        backupId: b.backupId,
        region,
        origin: b.origin,
        type: b.type,
        lifecycle: b.lifecycle,
        ...(deployment !== undefined ? { deployment } : {}),
        hasRecoveryPointTag: b.tags.some((t) => t.Key === RECOVERY_POINT_TAG),
        ...(b.sourceRegion !== undefined ? { sourceRegion: b.sourceRegion } : {}),
        ...(b.sourceBackupId !== undefined ? { sourceBackupId: b.sourceBackupId } : {}),
        fileSystemId: b.fileSystemId,
        ...(recoveryPointMs !== undefined ? { recoveryPointMs } : {}),
        ...(ledger && !ledger.failed ? { availableAt: ledger.end } : {}),
        failed,
        ...(b.deletedAt !== undefined ? { deletedAt: b.deletedAt.getTime() } : {}),
        ...(b.deletedVia !== undefined ? { deletedVia: b.deletedVia } : {}),
      };
    }),
  );
}

/** Every DeleteBackup request the simulator received, in any Region. */
export function deleteRequestFacts(sim: FsxSimulator): DeleteRequestFact[] {
  return sim.requests
    .filter((r) => r.operation === 'DeleteBackup')
    .map((r) => {
      const id = (r.params as { BackupId?: unknown } | undefined)?.BackupId;
      return {
        time: r.time,
        region: r.region,
        backupId: typeof id === 'string' ? id : '',
        ...(r.status !== undefined ? { status: r.status } : {}),
      };
    });
}

/** Each (source, file system, destination) the policies copy, with the union of the rules that cover it. */
export function retentionPairs(topology: ChaosTopology): RetentionPairSpec[] {
  const copyable = new Set(topology.fileSystems.filter((f) => isCopyable(f.type)).map((f) => f.fileSystemId));
  const pairs = new Map<string, RetentionPairSpec>();
  const rules = buildRetentionRules({ keepLast: topology.retention.keepLast });
  for (const policy of topology.policies) {
    for (const fileSystemId of policy.fileSystemIds) {
      if (!copyable.has(fileSystemId)) continue;
      for (const destinationRegion of policy.destinations) {
        const key = `${policy.sourceRegion}|${fileSystemId}|${destinationRegion}`;
        const current = pairs.get(key);
        const zoned = { rules, timeZone: 'UTC' };
        pairs.set(key, {
          sourceRegion: policy.sourceRegion,
          fileSystemId,
          destinationRegion,
          rules: [...(current?.rules ?? []), zoned],
        });
      }
    }
  }
  return [...pairs.values()];
}

export function retentionAuditInput(
  sim: FsxSimulator,
  hooks: SimHooks,
  topology: ChaosTopology,
  outcomes: readonly CopyOutcome[],
  deployment: string,
): RetentionAuditInput {
  return {
    backups: destinationFacts(sim, hooks, topology),
    deleteRequests: deleteRequestFacts(sim),
    outcomes,
    pairs: retentionPairs(topology),
    sourceRegions: [...new Set(topology.policies.map((p) => p.sourceRegion))],
    deployment,
    now: Date.now(),
  };
}

/**
 * After the copy drain, waits until every pair holds what its rules keep (twice in a row, a second apart: a sweep
 * may be between listing and deleting), bounded: a retention that never gets there is what the audit reports.
 */
export async function settleRetention(
  read: () => Promise<RetentionAuditInput>,
  timeoutMs: number,
  log: ChaosLog,
  diagnose: () => Promise<string[]> = () => Promise.resolve([]),
): Promise<{ readonly settled: boolean; readonly tookMs: number }> {
  const started = Date.now();
  let settled = 0;
  let lastLog = 0;
  for (;;) {
    const audit = auditRetention(await read());
    settled = audit.pairsAsRulesKeep === audit.pairs ? settled + 1 : 0;
    const tookMs = Date.now() - started;
    if (settled >= 2) return { settled: true, tookMs };
    if (tookMs > timeoutMs) {
      for (const line of await diagnose().catch((e: unknown) => [`diagnostics failed: ${String(e)}`]))
        log.info(line);
      return { settled: false, tookMs };
    }
    if (Date.now() - lastLog > 5_000) {
      lastLog = Date.now();
      log.info(
        `retention settling: ${audit.pairsAsRulesKeep} of ${audit.pairs} pairs hold what their rules keep`,
      );
    }
    await pause(1_000);
  }
}

/**
 * What the retention queues and records say when retention does not settle: jobs per state in each Region's queue,
 * why the failed ones failed, and the recent records by result and guard. Read-only, for the run's log.
 */
export async function retentionDiagnostics(reader: RedisClient, prefix: string): Promise<string[]> {
  const lines: string[] = [];
  for (const region of DESTINATION_REGIONS) {
    const queue = new Queue(`retention-${region}`, { connection: reader, prefix });
    queue.on('error', () => undefined);
    try {
      const counts = await queue.getJobCounts(
        'waiting',
        'active',
        'delayed',
        'prioritized',
        'failed',
        'completed',
      );
      lines.push(`retention-${region}: ${JSON.stringify(counts)}`);
      for (const job of await queue.getFailed(0, 4)) {
        lines.push(
          `  failed ${job.name} ${job.id ?? ''}: ${job.failedReason} (attempts ${job.attemptsMade})`,
        );
      }
      for (const job of [...(await queue.getWaiting(0, 2)), ...(await queue.getDelayed(0, 2))]) {
        lines.push(`  waiting/delayed ${job.name} ${job.id ?? ''}`);
      }
    } finally {
      await queue.close();
    }
  }
  const records = await new DeletionStore(reader, prefix, { maxCount: 1e9, maxAgeMs: 1e12 }).list({
    limit: 300,
  });
  const by = new Map<string, number>();
  for (const r of records) {
    const key = `${r.result}${r.guard ? ` (${r.guard})` : ''}${r.errorName ? ` ${r.errorName}` : ''}`;
    by.set(key, (by.get(key) ?? 0) + 1);
  }
  lines.push(`last ${records.length} records: ${[...by].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  return lines;
}
