import { matchesSelector, matchesSelectorTags } from '../config/file-system-selector.js';
import type { Policy } from '../config/types.js';

/** A file system as selection sees it (taken off DescribeFileSystems by the FSx adapter). */
export interface DescribedFileSystem {
  readonly fileSystemId: string;
  /** `WINDOWS`, `LUSTRE`, `OPENZFS`, `ONTAP`. */
  readonly type: string;
  readonly lifecycle: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Lustre `SCRATCH_1`, `PERSISTENT_2`, ...; Windows `MULTI_AZ_1`, ... */
  readonly deploymentType?: string;
  /** `SSD`, `HDD`, `INTELLIGENT_TIERING`. */
  readonly storageType?: string;
  /** Lustre linked to an S3 data repository (it has no backups). */
  readonly s3Linked: boolean;
}

/**
 * Why a file system whose tags match is not copied. The first four are FSx's (docs/fsx-notes.md,
 * "DescribeFileSystems"): such a file system is never sent to CopyBackup, whatever `fileSystemTypes` says, and each
 * slot says so (`plan.skipped`). The last three are the policy's own choice, shown by `fsx-dr plan` only.
 */
export type LeftOutReason =
  | 'ontap-not-copyable'
  | 'lustre-scratch'
  | 'lustre-s3-linked'
  | 'openzfs-intelligent-tiering'
  | 'not-available'
  | 'type-not-selected'
  | 'excluded';

export interface LeftOut {
  readonly fileSystemId: string;
  readonly type: string;
  readonly lifecycle: string;
  readonly reason: LeftOutReason;
}

export interface Selection {
  /** Ids the selector matched that can be copied now, sorted: what the slot copies. */
  readonly selected: readonly string[];
  /**
   * The selected ones and those the selector covers but that are not AVAILABLE or UPDATING now (a file system in
   * trouble stays watched: its RPO alarm must not disappear exactly when its copies stop), sorted.
   */
  readonly covered: readonly string[];
  /** Tag matches left out, sorted by id. */
  readonly leftOut: readonly LeftOut[];
}

/** Lifecycles in which a file system's backups are taken and copied as usual. */
const SELECTABLE_LIFECYCLES: ReadonlySet<string> = new Set(['AVAILABLE', 'UPDATING']);

/** Reasons that are FSx's rather than the policy's: worth a `plan.skipped` line at each slot. */
export const SKIPPED_REASONS: ReadonlySet<LeftOutReason> = new Set([
  'ontap-not-copyable',
  'lustre-scratch',
  'lustre-s3-linked',
  'openzfs-intelligent-tiering',
  'not-available',
]);

/** Why FSx cannot copy backups of this file system, if it cannot. */
function uncopyable(fs: DescribedFileSystem): LeftOutReason | undefined {
  if (fs.type === 'ONTAP') return 'ontap-not-copyable';
  if (fs.type === 'LUSTRE' && fs.deploymentType?.startsWith('SCRATCH')) return 'lustre-scratch';
  if (fs.type === 'LUSTRE' && fs.s3Linked) return 'lustre-s3-linked';
  if (fs.type === 'OPENZFS' && fs.storageType === 'INTELLIGENT_TIERING') return 'openzfs-intelligent-tiering';
  return undefined;
}

/**
 * Which of a Region's file systems a policy's selector picks at this slot. A file system is selected when its tags
 * match, its type is one of `fileSystemTypes`, it is AVAILABLE or UPDATING, FSx can copy its backups, and it is not
 * in `exclude`. Of the others, those whose tags match are left out with the reason (the rest are not the policy's
 * business). Pure: the listing comes in.
 */
export function selectFileSystems(
  policy: Pick<Policy, 'source'>,
  fileSystems: readonly DescribedFileSystem[],
): Selection {
  const selector = policy.source.selector;
  if (selector === undefined) return { selected: [], covered: [], leftOut: [] };
  const excluded = new Set(policy.source.exclude);
  const selected: string[] = [];
  const leftOut: LeftOut[] = [];
  for (const fs of [...fileSystems].sort((a, b) => a.fileSystemId.localeCompare(b.fileSystemId))) {
    // Tags first: a file system the tags do not pick is none of this policy's business, whatever its type.
    if (!matchesSelectorTags(selector, fs)) continue;
    const base = { fileSystemId: fs.fileSystemId, type: fs.type, lifecycle: fs.lifecycle };
    const reason =
      uncopyable(fs) ??
      (excluded.has(fs.fileSystemId) ? 'excluded' : undefined) ??
      (matchesSelector(selector, fs) ? undefined : 'type-not-selected') ??
      (SELECTABLE_LIFECYCLES.has(fs.lifecycle) ? undefined : 'not-available');
    if (reason === undefined) selected.push(fs.fileSystemId);
    else leftOut.push({ ...base, reason });
  }
  const covered = [
    ...selected,
    ...leftOut.filter((l) => l.reason === 'not-available').map((l) => l.fileSystemId),
  ];
  return { selected, covered: covered.sort(), leftOut };
}
