import type { Logger } from 'pino';
import type { Policy, Settings } from '../config/types.js';
import {
  DEFAULT_ACCOUNT,
  accountMember,
  type AccountFailure,
  type AccountReach,
} from '../copy/account-region.js';
import type { LatestCopies } from '../copy/latest-copy.js';
import { selectionKey, slotFileSystems } from '../copy/policy-file-systems.js';
import { planCopies, type PlannedCopy, type SourceBackup } from '../schedule/plan-copies.js';
import {
  SKIPPED_REASONS,
  selectFileSystems,
  type DescribedFileSystem,
  type Selection,
} from '../schedule/select-file-systems.js';
import { errorFields, logEvent } from '../log.js';

export interface PlanSlotPorts {
  readonly listSourceBackups: (
    account: string,
    region: string,
    fileSystemIds: readonly string[],
  ) => Promise<SourceBackup[]>;
  /** DescribeFileSystems of the account's source Region, every page: only asked for a policy with a selector. */
  readonly listFileSystems: (account: string, region: string) => Promise<DescribedFileSystem[]>;
  readonly latestCopies: () => Promise<LatestCopies>;
  /** Adds copy jobs to their queues; adding a job id that exists (or a key in flight) adds nothing. */
  readonly enqueue: (copies: readonly PlannedCopy[]) => Promise<number>;
  /**
   * Keeps what a selector matched at a slot (under its `selectionKey`), for RPO, metrics, status and retention
   * between slots; true for the first answer of that slot only.
   */
  readonly recordSelection: (key: string, selection: Selection, slotMs: number) => Promise<boolean>;
  /** Keeps whether the account could be reached. */
  readonly recordAccountReach: (account: string, reach: AccountReach) => Promise<void>;
  /** Tells an AssumeRole failure from any other error (undefined for those). */
  readonly accountFailure: (err: unknown) => AccountFailure | undefined;
  readonly logger: Logger;
  readonly now: () => number;
  /** This deployment's FSXDR_PREFIX, for the copies' `fsx-dr:deployment` tag. */
  readonly deployment: string;
}

export interface PlanSlotResult {
  readonly planned: number;
  readonly enqueued: number;
  readonly skipped: number;
  /** The STS error name when the slot's account could not be reached. */
  readonly accountError?: string;
}

/** Resolves the selector (when there is one) and says what it left out and why. */
async function resolveSelection(
  policy: Policy,
  slotMs: number,
  ports: PlanSlotPorts,
  log: Logger,
): Promise<Selection | undefined> {
  const selector = policy.source.selector;
  if (selector === undefined) return undefined;
  const selection = selectFileSystems(
    policy,
    await ports.listFileSystems(policy.account, policy.source.region),
  );
  // Said once per slot: a plan job retried for the same slot (a listing failed after this) stays quiet.
  if (!(await ports.recordSelection(selectionKey(policy), selection, slotMs))) return selection;
  for (const left of selection.leftOut) {
    if (!SKIPPED_REASONS.has(left.reason)) continue;
    logEvent(
      log,
      'plan.skipped',
      { fileSystemId: left.fileSystemId, fileSystemType: left.type, reason: left.reason },
      left.reason === 'not-available' ? 'file system is not available' : 'file system cannot be copied',
    );
  }
  if (selection.selected.length === 0) {
    logEvent(
      log,
      'plan.selector_empty',
      { selector, leftOut: selection.leftOut.length },
      'selector matched no file system that can be copied',
    );
  }
  return selection;
}

/**
 * One schedule slot of one policy: resolve its selector, list the source Region's backups, plan (pure), enqueue.
 * Safe to run twice for the same slot: job ids are derived from (copy key, slot) and a key already in flight is not
 * added again. An account whose role cannot be assumed fails the slot loudly (`plan.account_failed`) and nothing
 * else: other policies' slots plan on their own.
 */
export async function planSlot(
  policy: Policy,
  settings: Settings,
  slotMs: number,
  ports: PlanSlotPorts,
): Promise<PlanSlotResult> {
  const log = ports.logger.child({
    policy: policy.name,
    ...accountMember(policy.account),
    sourceRegion: policy.source.region,
    slot: new Date(slotMs).toISOString(),
  });
  let fileSystemIds: string[];
  let backups: SourceBackup[];
  let latest: LatestCopies;
  try {
    const selection = await resolveSelection(policy, slotMs, ports, log);
    fileSystemIds = slotFileSystems(policy, selection?.selected);
    [backups, latest] = await Promise.all([
      fileSystemIds.length === 0
        ? Promise.resolve([])
        : ports.listSourceBackups(policy.account, policy.source.region, fileSystemIds),
      ports.latestCopies(),
    ]);
  } catch (err) {
    const failure = ports.accountFailure(err);
    if (!failure) throw err;
    logEvent(
      log,
      'plan.account_failed',
      {
        account: failure.account,
        roleArn: failure.roleArn,
        ...errorFields(err),
        errorName: failure.errorName,
      },
      'could not assume the account’s role: this slot plans nothing',
    );
    await ports.recordAccountReach(failure.account, {
      ok: false,
      at: ports.now(),
      errorName: failure.errorName,
      roleArn: failure.roleArn,
    });
    if (failure.transient) throw err;
    return { planned: 0, enqueued: 0, skipped: 0, accountError: failure.errorName };
  }
  // Only a named account is reached by a role; the service's own credentials are not an account `status` lists.
  if (policy.account !== DEFAULT_ACCOUNT) {
    await ports.recordAccountReach(policy.account, { ok: true, at: ports.now() });
  }
  const plan = planCopies({
    policy,
    settings,
    fileSystemIds,
    backups,
    latestCopy: (fs, dest) =>
      latest.of({
        account: policy.account,
        sourceRegion: policy.source.region,
        fileSystemId: fs,
        destinationRegion: dest,
      }),
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
      fileSystems: fileSystemIds.length,
      backupsListed: backups.length,
      planned: plan.copies.length,
      enqueued,
      alreadyCopied: plan.skipped.filter((s) => s.reason === 'already-copied').length,
    },
    'slot planned',
  );
  return { planned: plan.copies.length, enqueued, skipped: plan.skipped.length };
}
