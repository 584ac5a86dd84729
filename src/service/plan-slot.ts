import type { Logger } from 'pino';
import type { Policy, Settings } from '../config/types.js';
import type { LatestCopies } from '../copy/latest-copy.js';
import { planCopies, type PlannedCopy, type SourceBackup } from '../schedule/plan-copies.js';
import { logEvent } from '../log.js';

export interface PlanSlotPorts {
  readonly listSourceBackups: (region: string, fileSystemIds: readonly string[]) => Promise<SourceBackup[]>;
  readonly latestCopies: () => Promise<LatestCopies>;
  /** Adds copy jobs to their Regions' queues; adding a job id that exists (or a key in flight) adds nothing. */
  readonly enqueue: (copies: readonly PlannedCopy[]) => Promise<number>;
  readonly logger: Logger;
  readonly now: () => number;
  /** This deployment's FSXDR_PREFIX, for the copies' `fsx-dr:deployment` tag. */
  readonly deployment: string;
}

export interface PlanSlotResult {
  readonly planned: number;
  readonly enqueued: number;
  readonly skipped: number;
}

/**
 * One schedule slot of one policy: list the source Region's backups, plan (pure), enqueue. Safe to run twice for
 * the same slot: job ids are derived from (copy key, slot) and a key already in flight is not added again.
 */
export async function planSlot(
  policy: Policy,
  settings: Settings,
  slotMs: number,
  ports: PlanSlotPorts,
): Promise<PlanSlotResult> {
  const log = ports.logger.child({
    policy: policy.name,
    sourceRegion: policy.source.region,
    slot: new Date(slotMs).toISOString(),
  });
  const [backups, latest] = await Promise.all([
    ports.listSourceBackups(policy.source.region, policy.source.fileSystemIds),
    ports.latestCopies(),
  ]);
  const plan = planCopies({
    policy,
    settings,
    backups,
    latestCopy: (fs, dest) => latest.of(policy.source.region, fs, dest),
    slotMs,
    now: ports.now(),
    deployment: ports.deployment,
  });
  for (const s of plan.skipped) {
    if (s.reason === 'already-copied') continue;
    logEvent(
      log,
      'plan.skipped',
      { fileSystemId: s.fileSystemId, sourceBackupId: s.backupId, reason: s.reason },
      s.reason === 'no-eligible-backup' ? 'no backup to copy' : 'file system type cannot be copied',
    );
  }
  const enqueued = await ports.enqueue(plan.copies);
  logEvent(
    log,
    'schedule.planned',
    {
      backupsListed: backups.length,
      planned: plan.copies.length,
      enqueued,
      alreadyCopied: plan.skipped.filter((s) => s.reason === 'already-copied').length,
    },
    'slot planned',
  );
  return { planned: plan.copies.length, enqueued, skipped: plan.skipped.length };
}
