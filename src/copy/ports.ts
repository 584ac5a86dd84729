import type { CopyOutcome } from './outcome.js';

/**
 * What the copy logic needs from FSx and from Redis, stated by the core: the FSx adapter (src/fsx) and the stores
 * (src/queue) implement these, so the service depends on nothing but plain data and the core's own types.
 */

/** A backup as the service reads it back from FSx: only what it acts on. */
export interface BackupState {
  readonly backupId: string;
  readonly lifecycle?: string;
  readonly failureMessage?: string;
  readonly sizeInBytes?: number;
  /** FSx's own progress of a copy; not read yet, kept for progress-aware polling (issue 13). */
  readonly progressPercent?: number;
  readonly sourceBackupId?: string;
  readonly sourceRegion?: string;
  readonly creationTime?: number;
  /** Its tags: the look-up for an existing copy attaches only to one carrying this deployment's own. */
  readonly tags?: Readonly<Record<string, string>>;
}

/** One CopyBackup, in the destination Region; the same request (token included) on every retry of a job. */
export interface CopyRequest {
  readonly destinationRegion: string;
  readonly sourceRegion: string;
  readonly sourceBackupId: string;
  readonly kmsKeyId?: string;
  readonly copyTags: boolean;
  readonly tags: Readonly<Record<string, string>>;
  readonly clientRequestToken: string;
}

/** The source a destination copy was made from: what the look-up for an existing copy finds it by. */
export interface CopySource {
  readonly sourceRegion: string;
  readonly sourceBackupId: string;
  readonly fileSystemId: string;
}

/** The FSx calls one copy job makes. */
export interface CopyGateway {
  /** Returns the new copy, or the existing one when the token was used before. */
  copyBackup(req: CopyRequest): Promise<BackupState>;
  /** One backup's state, or undefined when FSx says it does not exist. */
  describeBackup(region: string, backupId: string): Promise<BackupState | undefined>;
  /** Copies of the source already in the destination Region, in any Lifecycle, anyone's, with their tags. */
  findCopiesOf(destinationRegion: string, source: CopySource): Promise<BackupState[]>;
}

/** Where a copy job records how it ended, and learns whether its copy was made before. */
export interface OutcomeRecorder {
  /** Records one outcome per job; false when the job already had one (nothing is written twice). */
  record(outcome: CopyOutcome, copyKeyId: string, sourceCreatedAt: number): Promise<boolean>;
  /** The destination backup id of a copy already made of this key, if any. */
  copiedAs(copyKeyId: string): Promise<string | undefined>;
}
