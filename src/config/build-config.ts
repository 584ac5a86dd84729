import { parseDuration } from './duration.js';
import type { DestinationInput, PolicyInput, SettingsInput } from './policy-schema.js';
import { DEADLINE_UNITS, POLL_INTERVAL_UNITS } from './policy-schema.js';
import type { Config, Destination, Policy, Settings } from './types.js';

/** What a file contributes once it has validated cleanly. */
export interface ValidFile {
  readonly file: string;
  readonly settings?: SettingsInput;
  readonly policies: readonly PolicyInput[];
}

export const DEFAULT_SETTINGS: Settings = Object.freeze({
  pollIntervalMs: 30_000,
  maxInFlightPerRegion: 5,
  startDeadlineMs: 8 * 3_600_000,
  completionDeadlineMs: 48 * 3_600_000,
  outcomeRetentionCount: 10_000,
  outcomeRetentionMs: 30 * 86_400_000,
});

/** The frozen Config from validated files: defaults applied, policy tags and copyTags merged into destinations. */
export function buildConfig(files: readonly ValidFile[]): Config {
  const settingsInput = files.find((f) => f.settings !== undefined)?.settings;
  const config: Config = {
    settings: buildSettings(settingsInput),
    policies: files.flatMap((f) => f.policies.map((p) => buildPolicy(p, f.file))),
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
  };
}

function buildPolicy(input: PolicyInput, file: string): Policy {
  return {
    name: input.name,
    schedule: input.schedule.trim().split(/\s+/).join(' '),
    timezone: input.timezone ?? 'UTC',
    source: { region: input.source.region, fileSystemIds: [...input.source.fileSystemIds] },
    destinations: input.destinations.map((d) => buildDestination(d, input)),
    ...rpo(input.rpo),
    file,
  };
}

function rpo(text: string | undefined): { rpoMs?: number } {
  const ms = text === undefined ? undefined : parseDuration(text, DEADLINE_UNITS);
  return ms === undefined ? {} : { rpoMs: ms };
}

function buildDestination(input: DestinationInput, policy: PolicyInput): Destination {
  return {
    region: input.region,
    ...(input.kmsKeyId !== undefined ? { kmsKeyId: input.kmsKeyId } : {}),
    copyTags: input.copyTags ?? policy.copyTags ?? false,
    tags: { ...policy.tags, ...input.tags },
    inRegion: input.region === policy.source.region,
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
