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

export interface Policy {
  /** Unique; lowercase letters, digits and '-'. */
  readonly name: string;
  /** Cron expression: 5 fields, or 6 with seconds first. */
  readonly schedule: string;
  /** IANA time zone the schedule is read in; default 'UTC'. */
  readonly timezone: string;
  readonly source: {
    readonly region: string;
    readonly fileSystemIds: readonly string[];
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
