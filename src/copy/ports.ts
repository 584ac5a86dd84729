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
  /** FSx's own progress of a copy (0–100): progress-aware polling estimates the copy's end from it. */
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

/** What one poll of a followed copy found. */
export type PollAnswer =
  | { readonly kind: 'found'; readonly state: BackupState }
  /** FSx says the backup does not exist (`BackupNotFound`, or absent from the answer). */
  | { readonly kind: 'missing' }
  /** The DescribeBackups call failed: what it threw, for the job to classify as it classifies its own calls. */
  | { readonly kind: 'error'; readonly error: unknown };

/** A copy a job waits to hear about: poll it no earlier than `earliestAt`, and by `dueAt`. */
export interface PollRequest {
  readonly region: string;
  readonly backupId: string;
  readonly earliestAt: number;
  readonly dueAt: number;
}

/**
 * Polls the copies of one account that the process's jobs follow, a Region's copies together in one DescribeBackups
 * per round (batched polling). Jobs come and go at any time.
 */
export interface CopyPoller {
  /** The next state of one copy. Rejects with an `AbortError` as soon as `signal` aborts (the job leaves). */
  poll(req: PollRequest, signal: AbortSignal): Promise<PollAnswer>;
}

/** Where a copy job records how it ended, and learns whether its copy was made before. */
export interface OutcomeRecorder {
  /** Records one outcome per job; false when the job already had one (nothing is written twice). */
  record(outcome: CopyOutcome, copyKeyId: string, sourceCreatedAt: number): Promise<boolean>;
  /** The destination backup id of a copy already made of this key, if any. */
  copiedAs(copyKeyId: string): Promise<string | undefined>;
}
