import type { Logger } from 'pino';
import type { Policy, Settings } from '../config/types.js';
import type { LatestCopyRecord } from '../queue/outcome-store.js';
import { latestCopyField } from '../queue/outcome-store.js';
import { planCopies, type PlannedCopy, type SourceBackup } from '../schedule/plan-copies.js';

export interface PlanSlotPorts {
  readonly listSourceBackups: (region: string, fileSystemIds: readonly string[]) => Promise<SourceBackup[]>;
  readonly latestCopies: () => Promise<Map<string, LatestCopyRecord>>;
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
    latestCopy: (fs, dest) => latest.get(latestCopyField(policy.source.region, fs, dest)),
    slotMs,
    now: ports.now(),
    deployment: ports.deployment,
  });
  for (const s of plan.skipped) {
    if (s.reason === 'already-copied') continue;
    log.warn(
      { event: 'plan.skipped', fileSystemId: s.fileSystemId, sourceBackupId: s.backupId, reason: s.reason },
      s.reason === 'no-eligible-backup' ? 'no backup to copy' : 'file system type cannot be copied',
    );
  }
  const enqueued = await ports.enqueue(plan.copies);
  log.info(
    {
      event: 'schedule.planned',
      backupsListed: backups.length,
      planned: plan.copies.length,
      enqueued,
      alreadyCopied: plan.skipped.filter((s) => s.reason === 'already-copied').length,
    },
    'slot planned',
  );
  return { planned: plan.copies.length, enqueued, skipped: plan.skipped.length };
}
