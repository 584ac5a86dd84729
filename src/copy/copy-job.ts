import type { CopyKey } from './copy-key.js';

/**
 * What a copy job carries: everything the worker needs to make the copy, resolved when the slot was planned, so
 * that a config reload never changes a copy half-way (and its CopyBackup parameters stay the same across retries,
 * which FSx's idempotency token requires).
 */
export interface CopyJobData extends CopyKey {
  readonly policy: string;
  readonly fileSystemId: string;
  /** Creation time of the source backup (epoch ms), to keep the newest copy per file system and Region. */
  readonly sourceCreatedAt: number;
  /** The slot that asked for the copy (epoch ms). */
  readonly slotMs: number;
  /**
   * Recovery point of the newest copy the pair already had in the destination when the slot was planned (epoch ms);
   * absent when it had none. With `rpoMs`, what admission orders waiting copies by (src/schedule/admission-priority.ts).
   */
  readonly newestRecoveryPointAt?: number;
  /** The policy's RPO (ms) when it has one. */
  readonly rpoMs?: number;
  readonly kmsKeyId?: string;
  readonly copyTags: boolean;
  /** User tags and the service's own tags, ready for CopyBackup. */
  readonly tags: Readonly<Record<string, string>>;
  readonly enqueuedAt: number;
  /** Give up waiting for the source (or for a free slot) after this time (epoch ms). */
  readonly startDeadlineAt: number;
  /** How long a started copy may run before it is recorded as expired. */
  readonly completionDeadlineMs: number;
  readonly pollIntervalMs: number;
  /** Set by the worker the moment CopyBackup returns (or an existing copy is found): resume attaches to it. */
  readonly checkpoint?: CopyCheckpoint;
  /** When the worker first took the job (epoch ms). */
  readonly startedAt?: number;
  readonly transientFailures?: number;
  /** A CopyBackup was sent and its answer lost (a copy may exist): the same token must be sent again. */
  readonly copyRequested?: boolean;
  readonly sourceWaits?: number;
}

export interface CopyCheckpoint {
  readonly destinationBackupId: string;
  /** When the copy started in FSx, as far as the service knows (epoch ms). */
  readonly copyStartedAt: number;
  /** True when the worker found a copy already in the destination instead of starting one. */
  readonly reusedExistingCopy: boolean;
}

/** Reads job data from Redis defensively: a job written by another version must fail clearly, not crash later. */
export function parseCopyJobData(value: unknown): CopyJobData | { readonly error: string } {
  if (typeof value !== 'object' || value === null) return { error: 'job data is not an object' };
  const v = value as Record<string, unknown>;
  const strings = ['sourceRegion', 'sourceBackupId', 'destinationRegion', 'policy', 'fileSystemId'] as const;
  for (const k of strings) {
    if (typeof v[k] !== 'string' || v[k] === '') return { error: `job data has no ${k}` };
  }
  const numbers = [
    'sourceCreatedAt',
    'slotMs',
    'enqueuedAt',
    'startDeadlineAt',
    'completionDeadlineMs',
    'pollIntervalMs',
  ] as const;
  for (const k of numbers) {
    if (typeof v[k] !== 'number' || !Number.isFinite(v[k])) return { error: `job data has no ${k}` };
  }
  if (typeof v['copyTags'] !== 'boolean') return { error: 'job data has no copyTags' };
  if (v['account'] !== undefined && (typeof v['account'] !== 'string' || v['account'] === '')) {
    return { error: 'job data has an account that is not a name' };
  }
  if (typeof v['tags'] !== 'object' || v['tags'] === null) return { error: 'job data has no tags' };
  return value as CopyJobData;
}
