import type { PolicySelections } from '../copy/policy-file-systems.js';
import type { Config } from '../config/types.js';
import { lifecycleState } from '../copy/backup-lifecycle.js';
import { decideRetention } from './decide-retention.js';
import type { DestinationBackup } from './destination-backup.js';
import { describeRules } from './describe-rules.js';
import {
  identifyServiceCopy,
  NOT_A_CANDIDATE,
  type NotACandidate,
  type ServiceCopy,
} from './identify-service-copy.js';
import { limitDeletions } from './limit-deletions.js';
import {
  configuredPairs,
  pairPolicy,
  pairPolicyFingerprint,
  retentionPairKey,
  type PairPolicy,
  type RetentionPair,
} from './retention-pair.js';
import type { RetentionScope } from './retention-scope.js';
import type { DeleteWhy, RetentionVerdict } from './retention-types.js';

export interface SweepInput {
  readonly scope: RetentionScope;
  /** This deployment's FSXDR_PREFIX: only copies tagged with it are candidates. */
  readonly deployment: string;
  readonly config: Pick<Config, 'policies' | 'settings'>;
  /** What each selector matched at its last slot: the pairs its policy covers. */
  readonly selections?: PolicySelections;
  /** The scope Region's USER_INITIATED backups, every page. */
  readonly backups: readonly DestinationBackup[];
  /** Sweep only these pairs (by {@link retentionPairKey}); every pair when absent. */
  readonly onlyPairs?: ReadonlySet<string>;
  /** Copies an unfinished copy job of their key refers to: backupId -> that job's id. */
  readonly referenced?: ReadonlyMap<string, string>;
  readonly now: number;
}

/** Why a copy stays, in words the CLI and the logs show: a rule, a guard, or what the config says of the pair. */
export type CopyVerdict =
  | { readonly copy: ServiceCopy; readonly action: 'keep'; readonly reasons: readonly string[] }
  | { readonly copy: ServiceCopy; readonly action: 'delete'; readonly why: DeleteWhy };

export interface PairSweep {
  readonly pair: RetentionPair;
  readonly key: string;
  readonly policy: PairPolicy;
  /** Newest recovery point first; DELETED copies are left out. */
  readonly verdicts: readonly CopyVerdict[];
  readonly newestAvailable?: ServiceCopy;
  /** AVAILABLE copies of the pair in the Region now. */
  readonly available: number;
}

/** A deletion the sweep decided, with everything the deletion job re-checks before DeleteBackup. */
export interface PlannedDeletion {
  readonly copy: ServiceCopy;
  readonly why: DeleteWhy;
  /** The pair's newest AVAILABLE copy when this was decided: it must still be there, and newer, to delete. */
  readonly keeperBackupId: string;
  readonly policies: readonly string[];
  /** The rules that decided, in words (`keepLast 2 (UTC)`), and as a fingerprint compared before deleting. */
  readonly rules: string;
  readonly rulesFingerprint: string;
}

export interface SweepPlan {
  readonly pairs: readonly PairSweep[];
  /** Every deletion the rules allow, before the limit. */
  readonly candidates: readonly PlannedDeletion[];
  /** This sweep's: at most `maxDeletionsPerSweep`, oldest recovery point first. */
  readonly deletions: readonly PlannedDeletion[];
  /** Deletions left for the next sweep. */
  readonly deferred: number;
  /** Backups in the Region that are not this deployment's copies, by why. */
  readonly ignored: Readonly<Record<NotACandidate, number>>;
  /** Every USER_INITIATED backup in the Region (anyone's, DELETED left out), by file system type. */
  readonly userInitiatedByType: Readonly<Record<string, number>>;
  readonly serviceCopies: number;
}

function countIgnored(): Record<NotACandidate, number> {
  return Object.fromEntries(NOT_A_CANDIDATE.map((k) => [k, 0])) as Record<NotACandidate, number>;
}

/**
 * One sweep of one (account, destination Region), decided: which of this deployment's copies each pair keeps (and
 * why) and which it deletes, at most `maxDeletionsPerSweep` of them. Pure: the listing, the copy jobs' references
 * and `now` come in. Pairs of the config with no copy are included (they hold 0); pairs whose copies remain but no
 * policy covers any more are kept whole.
 */
export function planSweep(input: SweepInput): SweepPlan {
  const { scope, config } = input;
  const ignored = countIgnored();
  const byType: Record<string, number> = {};
  const copiesByPair = new Map<string, ServiceCopy[]>();
  const pairs = new Map<string, RetentionPair>(
    configuredPairs(config, scope, input.selections).map((p) => [retentionPairKey(p), p]),
  );
  let serviceCopies = 0;
  for (const backup of input.backups) {
    if (lifecycleState(backup.lifecycle) === 'deleted') continue;
    if (backup.type === 'USER_INITIATED') {
      const type = backup.fileSystemType ?? 'UNKNOWN';
      byType[type] = (byType[type] ?? 0) + 1;
    }
    const found = identifyServiceCopy(backup, scope, input.deployment);
    if ('ignored' in found) {
      ignored[found.ignored] += 1;
      continue;
    }
    serviceCopies += 1;
    const key = retentionPairKey(found.copy.pair);
    if (!pairs.has(key)) pairs.set(key, found.copy.pair);
    copiesByPair.set(key, [...(copiesByPair.get(key) ?? []), found.copy]);
  }
  const swept: PairSweep[] = [];
  for (const [key, pair] of pairs) {
    if (input.onlyPairs !== undefined && !input.onlyPairs.has(key)) continue;
    swept.push(sweepPair(pair, key, copiesByPair.get(key) ?? [], input));
  }
  const candidates = swept.flatMap(plannedDeletions);
  const byBackup = new Map(candidates.map((c) => [c.copy.backupId, c]));
  const batch = limitDeletions(
    candidates.map((c): RetentionVerdict => ({
      backupId: c.copy.backupId,
      recoveryPointMs: c.copy.recoveryPointMs,
      action: 'delete',
      why: c.why,
    })),
    config.settings.retention.maxDeletionsPerSweep,
  );
  return {
    pairs: swept,
    candidates,
    deletions: batch.deletions.flatMap((d) => byBackup.get(d.backupId) ?? []),
    deferred: batch.deferred,
    ignored,
    userInitiatedByType: byType,
    serviceCopies,
  };
}

function sweepPair(
  pair: RetentionPair,
  key: string,
  copies: readonly ServiceCopy[],
  input: SweepInput,
): PairSweep {
  const policy = pairPolicy(input.config, pair, input.selections);
  const live = copies.filter((c) => lifecycleState(c.lifecycle) !== 'deleted');
  const available = live.filter((c) => lifecycleState(c.lifecycle) === 'available');
  const byId = new Map(live.map((c) => [c.backupId, c]));
  const newest = [...available].sort(
    (a, b) => b.recoveryPointMs - a.recoveryPointMs || (a.backupId < b.backupId ? -1 : 1),
  )[0];
  const base = {
    pair,
    key,
    policy,
    available: available.length,
    ...(newest ? { newestAvailable: newest } : {}),
  };
  if (policy.kind === 'source-region' || policy.kind === 'no-policy') {
    const verdicts = [...live]
      .sort((a, b) => b.recoveryPointMs - a.recoveryPointMs)
      .map((copy): CopyVerdict => ({ copy, action: 'keep', reasons: [policy.kind] }));
    return { ...base, verdicts };
  }
  const decided = decideRetention(
    live.map((c) => ({
      backupId: c.backupId,
      recoveryPointMs: c.recoveryPointMs,
      lifecycle: c.lifecycle,
      referenced: input.referenced?.has(c.backupId) ?? false,
    })),
    policy.kind === 'rules' ? policy.rules : undefined,
    input.now,
  );
  const verdicts = decided.flatMap((v): CopyVerdict[] => {
    const copy = byId.get(v.backupId);
    if (!copy) return [];
    return [
      v.action === 'keep'
        ? { copy, action: 'keep', reasons: v.reasons }
        : { copy, action: 'delete', why: v.why },
    ];
  });
  return { ...base, verdicts };
}

function plannedDeletions(pair: PairSweep): PlannedDeletion[] {
  const { policy, newestAvailable } = pair;
  // decideRetention deletes nothing without a newer AVAILABLE copy; a pair without one deletes nothing here either.
  if (policy.kind !== 'rules' || newestAvailable === undefined) return [];
  return pair.verdicts.flatMap((v) =>
    v.action === 'delete' && v.copy.backupId !== newestAvailable.backupId
      ? [
          {
            copy: v.copy,
            why: v.why,
            keeperBackupId: newestAvailable.backupId,
            policies: policy.policies,
            rules: describeRules(policy.rules),
            rulesFingerprint: pairPolicyFingerprint(policy),
          },
        ]
      : [],
  );
}
