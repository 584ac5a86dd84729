import type { PolicySelections } from '../copy/policy-file-systems.js';
import type { Config } from '../config/types.js';
import { lifecycleState } from '../copy/backup-lifecycle.js';
import type { DeletionJobData } from './deletion-job.js';
import type { DestinationBackup } from './destination-backup.js';
import { identifyServiceCopy, type NotACandidate } from './identify-service-copy.js';
import { pairPolicy, pairPolicyFingerprint, retentionPairKey } from './retention-pair.js';
import { retentionScope } from './retention-scope.js';

/**
 * Why a copy decided on is not deleted after all, found when it is re-read right before DeleteBackup:
 * - `already-gone`: FSx no longer lists it, or lists it DELETED;
 * - the reasons it is not this deployment's copy ({@link NotACandidate}), or `pair-changed` (its tags now name
 *   another pair);
 * - `source-region`: the pair's source is the destination Region;
 * - `no-policy` / `kept-forever`: no policy covers the pair any more, or one now keeps every copy;
 * - `rules-changed`: the rules are not the ones it was decided under (the next sweep decides again);
 * - `dry-run`: the config now says dryRun;
 * - `in-progress`: it is being made (or its Lifecycle is unknown);
 * - `newest-available`: the copy that made it superseded is not an AVAILABLE, newer copy of the pair any more;
 * - `referenced`: an unfinished copy job refers to it (checked by the caller, through Redis).
 */
export type DeletionGuard =
  | 'already-gone'
  | NotACandidate
  | 'pair-changed'
  | 'source-region'
  | 'no-policy'
  | 'kept-forever'
  | 'rules-changed'
  | 'dry-run'
  | 'in-progress'
  | 'newest-available'
  | 'referenced';

export interface DeletionCheckInput {
  readonly job: DeletionJobData;
  /** The copy as FSx shows it now; undefined when FSx does not know it. */
  readonly current: DestinationBackup | undefined;
  /** The pair's newest AVAILABLE copy at decision time, as FSx shows it now. */
  readonly keeper: DestinationBackup | undefined;
  readonly config: Pick<Config, 'policies' | 'settings'>;
  /** What each selector matched at its last slot: the pairs its policy covers. */
  readonly selections?: PolicySelections;
  readonly deployment: string;
}

/** The first guard that holds, or undefined when the copy may be deleted now. Pure. */
export function checkDeletion(input: DeletionCheckInput): DeletionGuard | undefined {
  const { job, current, config, deployment } = input;
  if (current === undefined || lifecycleState(current.lifecycle) === 'deleted') return 'already-gone';
  const scope = retentionScope(job.destinationRegion, job.account);
  const found = identifyServiceCopy(current, scope, deployment);
  if ('ignored' in found) return found.ignored;
  const pair = found.copy.pair;
  const expected = { ...scope, sourceRegion: job.sourceRegion, fileSystemId: job.fileSystemId };
  if (
    retentionPairKey(pair) !== retentionPairKey(expected) ||
    found.copy.sourceBackupId !== job.sourceBackupId
  ) {
    return 'pair-changed';
  }
  if (pair.sourceRegion === pair.destinationRegion) return 'source-region';
  const policy = pairPolicy(config, pair, input.selections);
  if (policy.kind !== 'rules') return policy.kind;
  if (pairPolicyFingerprint(policy) !== job.rulesFingerprint) return 'rules-changed';
  if (config.settings.retention.dryRun) return 'dry-run';
  const state = lifecycleState(found.copy.lifecycle);
  if (state === 'in-progress') return 'in-progress';
  if (!supersedes(input.keeper, found.copy.recoveryPointMs, state === 'failed', input))
    return 'newest-available';
  return undefined;
}

/**
 * The keeper is an AVAILABLE copy of the same pair by this deployment, newer than the candidate (for a FAILED
 * candidate strictly newer, as the decision requires; for an AVAILABLE one, as the decision orders them).
 */
function supersedes(
  keeper: DestinationBackup | undefined,
  candidateRecoveryPointMs: number,
  candidateFailed: boolean,
  input: DeletionCheckInput,
): boolean {
  const { job } = input;
  if (keeper === undefined || keeper.backupId === job.backupId) return false;
  const found = identifyServiceCopy(
    keeper,
    retentionScope(job.destinationRegion, job.account),
    input.deployment,
  );
  if ('ignored' in found) return false;
  const k = found.copy;
  if (k.pair.sourceRegion !== job.sourceRegion || k.pair.fileSystemId !== job.fileSystemId) return false;
  if (lifecycleState(k.lifecycle) !== 'available') return false;
  if (k.recoveryPointMs !== candidateRecoveryPointMs) return k.recoveryPointMs > candidateRecoveryPointMs;
  return !candidateFailed && k.backupId < job.backupId;
}
