import type { RetentionRules } from '../retention/retention-types.js';

/**
 * The validated, frozen configuration the rest of the service runs on. Produced only by `loadConfig`
 * (src/config/load-config.ts); everything downstream trusts it and never re-validates.
 */

/** Service-wide settings (the YAML `settings:` block), with defaults applied. */
export interface Settings {
  /** How often an in-flight copy is checked in the destination Region. YAML `pollInterval`, default 30s. */
  readonly pollIntervalMs: number;
  /** Copies in flight per destination Region across all workers, 1..5. YAML `maxInFlightPerRegion`, default 5. */
  readonly maxInFlightPerRegion: number;
  /** How long a copy may wait for its source to become AVAILABLE. YAML `startDeadline`, default 8h. */
  readonly startDeadlineMs: number;
  /** How long a started copy may stay in progress before it is recorded as expired. YAML `completionDeadline`, default 48h. */
  readonly completionDeadlineMs: number;
  /** Outcome records kept: at most this many. YAML `outcomeRetention.maxCount`, default 10000. */
  readonly outcomeRetentionCount: number;
  /** Outcome records kept: at most this old. YAML `outcomeRetention.maxAge`, default 30d. */
  readonly outcomeRetentionMs: number;
  /** How retention runs (YAML `retention:` under settings). */
  readonly retention: RetentionSettings;
}

/** How the service prunes its own copies (the rules themselves are per policy and destination). */
export interface RetentionSettings {
  /** Decide and log what would be deleted, delete nothing. YAML `dryRun`, default false. */
  readonly dryRun: boolean;
  /** Most deletions per (account, destination Region) per sweep. YAML `maxDeletionsPerSweep`, default 20. */
  readonly maxDeletionsPerSweep: number;
  /** How often every pair is swept. YAML `sweepInterval`, default 1h. */
  readonly sweepIntervalMs: number;
}

/** One destination of a policy, with the policy-level `copyTags`/`tags` already merged in. */
export interface Destination {
  readonly region: string;
  /** KMS key in the destination Region; absent means the FSx-managed key. */
  readonly kmsKeyId?: string;
  readonly copyTags: boolean;
  /** Policy tags merged with the destination's own (the destination wins on a key conflict). */
  readonly tags: Readonly<Record<string, string>>;
  /** True when the destination is the source Region and the policy says it means an in-Region copy. */
  readonly inRegion: boolean;
  /**
   * Which copies to keep here: the destination's own `retention`, else the policy's. Absent: every copy is kept for
   * ever.
   */
  readonly retention?: RetentionRules;
}

/**
 * An AWS account the service reaches by assuming a role (YAML `accounts:`), so one deployment can copy the backups
 * of several accounts. Policies name it in `account`; without one they run with the service's own credentials.
 */
export interface Account {
  /** Unique across all files; lowercase letters, digits and '-'; never `default` (the service's own account). */
  readonly name: string;
  /** The IAM role assumed for this account's FSx calls, in the partition of the Regions its policies use. */
  readonly roleArn: string;
  /** Passed to AssumeRole when the role's trust policy asks for one (the confused-deputy guard). */
  readonly externalId?: string;
}

/** The file system types whose backups CopyBackup can copy: ONTAP's cannot be. */
export type SelectableFileSystemType = 'WINDOWS' | 'LUSTRE' | 'OPENZFS';

/** Every selectable type, the default of a selector's `fileSystemTypes`. */
export const SELECTABLE_FILE_SYSTEM_TYPES = [
  'WINDOWS',
  'LUSTRE',
  'OPENZFS',
] as const satisfies readonly SelectableFileSystemType[];

/**
 * Which file systems of the source Region (and account) a policy covers besides those it lists by id, decided at
 * each slot from the file systems' tags and types, so a new file system tagged for DR is copied without a config
 * change. Never empty: at least one tag or an explicit list of types (validation refuses a selector that would pick
 * every file system by accident).
 */
export interface FileSystemSelector {
  /** Every entry must match; the value '*' matches any value of a present key. */
  readonly tags: Readonly<Record<string, string>>;
  /** Default all three. */
  readonly fileSystemTypes: readonly SelectableFileSystemType[];
}

export interface Policy {
  /** Unique; lowercase letters, digits and '-'. */
  readonly name: string;
  /**
   * The account's name from `accounts:`; DEFAULT_ACCOUNT ('default', src/copy/account-region.ts) when the
   * policy names none.
   */
  readonly account: string;
  /** Cron expression: 5 fields, or 6 with seconds first. */
  readonly schedule: string;
  /** IANA time zone the schedule is read in; default 'UTC'. */
  readonly timezone: string;
  /**
   * The file systems covered: those listed in `fileSystemIds` and those the selector picks (a union), less `exclude`.
   * At least one of `fileSystemIds` (non-empty) and `selector` is given.
   */
  readonly source: {
    readonly region: string;
    /** Listed by id; empty when the policy only selects. */
    readonly fileSystemIds: readonly string[];
    readonly selector?: FileSystemSelector;
    /** Never covered, even when the selector picks them. */
    readonly exclude: readonly string[];
  };
  readonly destinations: readonly Destination[];
  /**
   * Recovery point objective: the newest copy of each file system in each destination must be a backup taken less
   * than this long ago (YAML `rpo`, e.g. 26h). Absent means not watched.
   */
  readonly rpoMs?: number;
  /** Where the policy was defined, for messages: the file path. */
  readonly file: string;
}

export interface Config {
  readonly settings: Settings;
  readonly policies: readonly Policy[];
  /** From every file, in load order. */
  readonly accounts: readonly Account[];
  /** The YAML files the config was read from, in load order. */
  readonly files: readonly string[];
}

/**
 * Tag keys the service puts on every copy so it can recognise its own copies later. Users may not set them.
 * `deployment` holds the deployment's FSXDR_PREFIX: retention only ever touches copies carrying its own value, and
 * IAM allows DeleteBackup only on backups with that tag. `fileSystemId` and `recoveryPoint` (the source backup's
 * CreationTime, ISO 8601) say which pair a copy belongs to and how old its data is, after the source is long gone.
 */
export const SERVICE_TAG_PREFIX = 'fsx-dr:';
export const SERVICE_TAG_KEYS = {
  policy: 'fsx-dr:policy',
  sourceBackupId: 'fsx-dr:source-backup-id',
  sourceRegion: 'fsx-dr:source-region',
  deployment: 'fsx-dr:deployment',
  fileSystemId: 'fsx-dr:file-system-id',
  recoveryPoint: 'fsx-dr:recovery-point',
} as const;
/** FSx allows 50 tags on a backup; the service's own tags take this many of them. */
export const SERVICE_TAG_COUNT = Object.keys(SERVICE_TAG_KEYS).length;
