import { SERVICE_TAG_KEYS } from '../config/types.js';
import type { DestinationBackup } from './destination-backup.js';
import type { RetentionPair } from './retention-pair.js';
import type { RetentionScope } from './retention-scope.js';

/** A copy this deployment made, as the sweep sees it: its pair, its source and its recovery point. */
export interface ServiceCopy {
  readonly backupId: string;
  readonly pair: RetentionPair;
  readonly sourceBackupId: string;
  /** The source backup's CreationTime (epoch ms), from the copy's `fsx-dr:recovery-point` tag. */
  readonly recoveryPointMs: number;
  readonly lifecycle: string;
  /** The policy that asked for it (`fsx-dr:policy`), for messages only: a pair's copies are shared. */
  readonly policy?: string;
}

/**
 * Why a backup in the destination is not a copy this deployment may ever delete:
 * - `not-user-initiated`: AUTOMATIC or AWS_BACKUP (or no type reported);
 * - `no-service-tags`: not made by this service;
 * - `no-deployment-tag`: made by this service before copies carried `fsx-dr:deployment`: kept for ever;
 * - `other-deployment`: another deployment's copy (another FSXDR_PREFIX);
 * - `source-mismatch`: its SourceBackupId/SourceBackupRegion (missing, or) not what its tags say: e.g. someone's
 *   copy of one of our copies, which carries our tags along;
 * - `file-system-mismatch`: FSx reports another file system than its tag names;
 * - `no-recovery-point`: its recovery point tag is missing or unreadable.
 */
export const NOT_A_CANDIDATE = [
  'not-user-initiated',
  'no-service-tags',
  'no-deployment-tag',
  'other-deployment',
  'source-mismatch',
  'file-system-mismatch',
  'no-recovery-point',
] as const;
export type NotACandidate = (typeof NOT_A_CANDIDATE)[number];

export type Identified = { readonly copy: ServiceCopy } | { readonly ignored: NotACandidate };

/**
 * Whether a backup listed in the scope's Region is a copy this deployment made, found by its own tags and checked
 * against what FSx says of it (type, source, file system). Pure; the guards run on every listing and again on the
 * re-read right before DeleteBackup.
 */
export function identifyServiceCopy(
  backup: DestinationBackup,
  scope: RetentionScope,
  deployment: string,
): Identified {
  if (backup.type !== 'USER_INITIATED') return { ignored: 'not-user-initiated' };
  const tags = backup.tags;
  const sourceBackupId = tags[SERVICE_TAG_KEYS.sourceBackupId];
  const sourceRegion = tags[SERVICE_TAG_KEYS.sourceRegion];
  const fileSystemId = tags[SERVICE_TAG_KEYS.fileSystemId];
  const tagged = tags[SERVICE_TAG_KEYS.deployment];
  if (tagged === undefined) {
    return { ignored: sourceBackupId === undefined ? 'no-service-tags' : 'no-deployment-tag' };
  }
  if (tagged !== deployment) return { ignored: 'other-deployment' };
  if (!sourceBackupId || !sourceRegion || !fileSystemId) return { ignored: 'no-service-tags' };
  if (backup.sourceBackupId !== sourceBackupId || backup.sourceRegion !== sourceRegion) {
    return { ignored: 'source-mismatch' };
  }
  if (backup.fileSystemId !== undefined && backup.fileSystemId !== fileSystemId) {
    return { ignored: 'file-system-mismatch' };
  }
  const recoveryPointMs = Date.parse(tags[SERVICE_TAG_KEYS.recoveryPoint] ?? '');
  if (!Number.isFinite(recoveryPointMs)) return { ignored: 'no-recovery-point' };
  const policy = tags[SERVICE_TAG_KEYS.policy];
  return {
    copy: {
      backupId: backup.backupId,
      pair: { ...scope, sourceRegion, fileSystemId },
      sourceBackupId,
      recoveryPointMs,
      // No Lifecycle reported: treated as in progress, which is never deleted.
      lifecycle: backup.lifecycle ?? 'UNKNOWN',
      ...(policy !== undefined ? { policy } : {}),
    },
  };
}
