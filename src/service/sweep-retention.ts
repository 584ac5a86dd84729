import type { PolicySelections } from '../copy/policy-file-systems.js';
import { accountMember } from '../copy/account-region.js';
import type { Logger } from 'pino';
import type { Config } from '../config/types.js';
import type { CopyKey } from '../copy/copy-key.js';
import { logEvent } from '../log.js';
import { deletionJobData, type DeletionJobData } from '../retention/deletion-job.js';
import { buildDeletionRecord, type DeletionRecord } from '../retention/deletion-record.js';
import type { DestinationBackup } from '../retention/destination-backup.js';
import { planSweep, type PlannedDeletion, type SweepInput, type SweepPlan } from '../retention/plan-sweep.js';
import type { RetentionScope } from '../retention/retention-scope.js';

/** What a sweep needs from FSx and Redis, stated here; the adapters are wired in workers/. */
export interface SweepPorts {
  readonly listUserInitiatedBackups: (scope: RetentionScope) => Promise<DestinationBackup[]>;
  /** What each selector matched at its last slot: the pairs a selector policy covers. */
  readonly selections: () => Promise<PolicySelections>;
  /** The unfinished copy job that refers to a copy, if any. */
  readonly referencedBy: (key: CopyKey, backupId: string) => Promise<string | undefined>;
  readonly addDeletions: (scope: RetentionScope, deletions: readonly DeletionJobData[]) => Promise<number>;
  /** Writes a record once per id; false when it was written before. */
  readonly record: (record: DeletionRecord) => Promise<boolean>;
  readonly saveSnapshot: (
    scope: RetentionScope,
    plan: SweepPlan,
    full: boolean,
    now: number,
  ) => Promise<void>;
  readonly onRecord?: (record: DeletionRecord) => void;
  readonly logger: Logger;
  readonly now: () => number;
}

export interface SweepRequest {
  readonly scope: RetentionScope;
  /** The sweep job's id: deletions and records say which sweep decided them. */
  readonly sweepId: string;
  /** Every pair of the scope, or only these (by pair key: the sweep right after their copies succeeded). */
  readonly onlyPairs?: ReadonlySet<string>;
  readonly config: Pick<Config, 'policies' | 'settings'>;
  readonly deployment: string;
}

export interface SweepResult {
  readonly pairs: number;
  readonly serviceCopies: number;
  readonly candidates: number;
  readonly enqueued: number;
  readonly wouldDelete: number;
  readonly deferred: number;
  readonly referenced: number;
}

/** The log fields of one copy decided on: the copy and its pair's ids (the policies covering it, comma-separated). */
export function deletionFields(d: DeletionJobData) {
  return {
    backupId: d.backupId,
    account: d.account,
    policy: d.policies.join(','),
    fileSystemId: d.fileSystemId,
    sourceRegion: d.sourceRegion,
    destinationRegion: d.destinationRegion,
    sourceBackupId: d.sourceBackupId,
  };
}

/** Those, and the rule evaluation: why it goes, under which rules, and the newer copy that superseded it. */
export function decisionFields(d: DeletionJobData) {
  return { ...deletionFields(d), why: d.why, rules: d.rules, keeperBackupId: d.keeperBackupId };
}

/**
 * One sweep of one (account, destination Region): list the Region's user-initiated backups (every page, no
 * `file-system-id` filter), decide per pair (pure), look up whether a copy job refers to any copy to be deleted,
 * and then either enqueue at most `maxDeletionsPerSweep` deletion jobs (each re-reads its copy before
 * DeleteBackup) or, in a dry run, record and log what would be deleted. Safe to run twice: deletion job ids come
 * from the backup ids, and records are written once per id.
 */
export async function sweepRetention(request: SweepRequest, ports: SweepPorts): Promise<SweepResult> {
  const { scope, config } = request;
  const log = ports.logger.child({
    account: scope.account,
    destinationRegion: scope.destinationRegion,
    sweepId: request.sweepId,
  });
  const [backups, selections] = await Promise.all([
    ports.listUserInitiatedBackups(scope),
    ports.selections(),
  ]);
  const now = ports.now();
  const base = {
    scope,
    deployment: request.deployment,
    config,
    selections,
    backups,
    now,
    ...(request.onlyPairs !== undefined ? { onlyPairs: request.onlyPairs } : {}),
  };
  const { plan, referenced } = await decideSweep(base, ports.referencedBy);
  await ports.saveSnapshot(scope, plan, request.onlyPairs === undefined, now);

  let enqueued = 0;
  let wouldDelete = 0;
  const jobs = plan.deletions.map((d) => deletionJobData(scope, d, request.sweepId, now));
  if (config.settings.retention.dryRun) {
    for (const job of jobs) {
      const record = buildDeletionRecord({
        id: `${request.sweepId}.${job.backupId}`,
        result: 'would-delete',
        job,
        now,
      });
      if (!(await ports.record(record))) continue;
      wouldDelete += 1;
      ports.onRecord?.(record);
      logEvent(
        log,
        'retention.would_delete',
        { ...decisionFields(job), recoveryPoint: record.recoveryPoint, dryRun: true },
        'dry run: would delete a copy',
      );
    }
  } else if (jobs.length > 0) {
    enqueued = await ports.addDeletions(scope, jobs);
  }
  const result: SweepResult = {
    pairs: plan.pairs.length,
    serviceCopies: plan.serviceCopies,
    candidates: plan.candidates.length,
    enqueued,
    wouldDelete,
    deferred: plan.deferred,
    referenced: referenced.size,
  };
  logEvent(
    log,
    'retention.swept',
    {
      kind: request.onlyPairs === undefined ? 'full' : 'pairs',
      ...result,
      deletions: plan.deletions.length,
      ignored: Object.values(plan.ignored).reduce((a, b) => a + b, 0),
      dryRun: config.settings.retention.dryRun,
    },
    'retention sweep done',
  );
  return result;
}

/**
 * A sweep's decision with the copy jobs taken into account: decide once, ask Redis about the copies that would go
 * (only those: a look-up per candidate, not per copy), and decide again with the referenced ones kept. Referenced
 * copies only gain a reason to stay, so the second decision differs from the first in those alone.
 */
export async function decideSweep(
  input: SweepInput,
  referencedBy: SweepPorts['referencedBy'],
): Promise<{ readonly plan: SweepPlan; readonly referenced: ReadonlyMap<string, string> }> {
  const first = planSweep(input);
  const referenced = await references(first.candidates, input.scope, referencedBy);
  return { plan: referenced.size === 0 ? first : planSweep({ ...input, referenced }), referenced };
}

/** Copies to be deleted that an unfinished copy job refers to: backupId -> job id. */
async function references(
  candidates: readonly PlannedDeletion[],
  scope: RetentionScope,
  referencedBy: SweepPorts['referencedBy'],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const c of candidates) {
    const key = {
      ...accountMember(scope.account),
      sourceRegion: c.copy.pair.sourceRegion,
      sourceBackupId: c.copy.sourceBackupId,
      destinationRegion: scope.destinationRegion,
    };
    const jobId = await referencedBy(key, c.copy.backupId);
    if (jobId !== undefined) found.set(c.copy.backupId, jobId);
  }
  return found;
}
