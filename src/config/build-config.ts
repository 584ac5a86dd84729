import { parseDuration } from './duration.js';
import { DEFAULT_ACCOUNT } from '../copy/account-region.js';
import type { RetentionRules } from '../retention/retention-types.js';
import type {
  AccountInput,
  DestinationInput,
  PolicyInput,
  RetentionRulesInput,
  SelectorInput,
  SettingsInput,
  SourceInput,
} from './policy-schema.js';
import { DEADLINE_UNITS, POLL_INTERVAL_UNITS } from './policy-schema.js';
import type { Account, Config, Destination, FileSystemSelector, Policy, Settings } from './types.js';
import { SELECTABLE_FILE_SYSTEM_TYPES } from './types.js';

/** What a file contributes once it has validated cleanly. */
export interface ValidFile {
  readonly file: string;
  readonly settings?: SettingsInput;
  readonly accounts?: readonly AccountInput[];
  readonly policies: readonly PolicyInput[];
}

export const DEFAULT_SETTINGS: Settings = Object.freeze({
  pollIntervalMs: 30_000,
  maxInFlightPerRegion: 5,
  startDeadlineMs: 8 * 3_600_000,
  completionDeadlineMs: 48 * 3_600_000,
  outcomeRetentionCount: 10_000,
  outcomeRetentionMs: 30 * 86_400_000,
  retention: Object.freeze({ dryRun: false, maxDeletionsPerSweep: 20, sweepIntervalMs: 3_600_000 }),
});

/** The frozen Config from validated files: defaults applied, policy tags and copyTags merged into destinations. */
export function buildConfig(files: readonly ValidFile[]): Config {
  const settingsInput = files.find((f) => f.settings !== undefined)?.settings;
  const config: Config = {
    settings: buildSettings(settingsInput),
    policies: files.flatMap((f) => f.policies.map((p) => buildPolicy(p, f.file))),
    accounts: files.flatMap((f) => (f.accounts ?? []).map(buildAccount)),
    files: files.map((f) => f.file),
  };
  return deepFreeze(config);
}

function buildSettings(input: SettingsInput | undefined): Settings {
  const duration = (text: string | undefined, units: typeof DEADLINE_UNITS, fallback: number): number =>
    text === undefined ? fallback : (parseDuration(text, units) ?? fallback);
  return {
    pollIntervalMs: duration(input?.pollInterval, POLL_INTERVAL_UNITS, DEFAULT_SETTINGS.pollIntervalMs),
    maxInFlightPerRegion: input?.maxInFlightPerRegion ?? DEFAULT_SETTINGS.maxInFlightPerRegion,
    startDeadlineMs: duration(input?.startDeadline, DEADLINE_UNITS, DEFAULT_SETTINGS.startDeadlineMs),
    completionDeadlineMs: duration(
      input?.completionDeadline,
      DEADLINE_UNITS,
      DEFAULT_SETTINGS.completionDeadlineMs,
    ),
    outcomeRetentionCount: input?.outcomeRetention?.maxCount ?? DEFAULT_SETTINGS.outcomeRetentionCount,
    outcomeRetentionMs: duration(
      input?.outcomeRetention?.maxAge,
      DEADLINE_UNITS,
      DEFAULT_SETTINGS.outcomeRetentionMs,
    ),
    retention: {
      dryRun: input?.retention?.dryRun ?? DEFAULT_SETTINGS.retention.dryRun,
      maxDeletionsPerSweep:
        input?.retention?.maxDeletionsPerSweep ?? DEFAULT_SETTINGS.retention.maxDeletionsPerSweep,
      sweepIntervalMs: duration(
        input?.retention?.sweepInterval,
        DEADLINE_UNITS,
        DEFAULT_SETTINGS.retention.sweepIntervalMs,
      ),
    },
  };
}

/** The rules as the retention decision takes them: every rule present, 0 for off, keepWithin in ms. */
export function buildRetentionRules(input: RetentionRulesInput): RetentionRules {
  return {
    keepLast: input.keepLast ?? 0,
    keepHourly: input.keepHourly ?? 0,
    keepDaily: input.keepDaily ?? 0,
    keepWeekly: input.keepWeekly ?? 0,
    keepMonthly: input.keepMonthly ?? 0,
    keepYearly: input.keepYearly ?? 0,
    keepWithinMs: input.keepWithin === undefined ? 0 : (parseDuration(input.keepWithin, DEADLINE_UNITS) ?? 0),
  };
}

function buildPolicy(input: PolicyInput, file: string): Policy {
  return {
    name: input.name,
    account: input.account ?? DEFAULT_ACCOUNT,
    schedule: input.schedule.trim().split(/\s+/).join(' '),
    timezone: input.timezone ?? 'UTC',
    source: buildSource(input.source),
    destinations: input.destinations.map((d) => buildDestination(d, input)),
    ...rpo(input.rpo),
    file,
  };
}

function buildSource(input: SourceInput): Policy['source'] {
  return {
    region: input.region,
    fileSystemIds: [...(input.fileSystemIds ?? [])],
    ...(input.selector !== undefined ? { selector: buildSelector(input.selector) } : {}),
    exclude: [...(input.exclude ?? [])],
  };
}

function buildSelector(input: SelectorInput): FileSystemSelector {
  return {
    tags: { ...input.tags },
    fileSystemTypes: [...(input.fileSystemTypes ?? SELECTABLE_FILE_SYSTEM_TYPES)],
  };
}

function buildAccount(input: AccountInput): Account {
  return {
    name: input.name,
    roleArn: input.roleArn,
    ...(input.externalId !== undefined ? { externalId: input.externalId } : {}),
  };
}

function rpo(text: string | undefined): { rpoMs?: number } {
  const ms = text === undefined ? undefined : parseDuration(text, DEADLINE_UNITS);
  return ms === undefined ? {} : { rpoMs: ms };
}

function buildDestination(input: DestinationInput, policy: PolicyInput): Destination {
  // A destination's rules replace the policy's for that Region (they are not merged rule by rule).
  const retention = input.retention ?? policy.retention;
  return {
    region: input.region,
    ...(input.kmsKeyId !== undefined ? { kmsKeyId: input.kmsKeyId } : {}),
    copyTags: input.copyTags ?? policy.copyTags ?? false,
    tags: { ...policy.tags, ...input.tags },
    inRegion: input.region === policy.source.region,
    ...(retention !== undefined ? { retention: buildRetentionRules(retention) } : {}),
  };
}

/** Freezes `value` and everything it holds, so no consumer can change the config another one reads. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
