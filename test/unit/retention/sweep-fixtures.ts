import { buildRetentionRules } from '../../../src/config/build-config.js';
import type { Config, Destination, Policy, Settings } from '../../../src/config/types.js';
import { SERVICE_TAG_KEYS } from '../../../src/config/types.js';
import type { DestinationBackup } from '../../../src/retention/destination-backup.js';
import type { RetentionRules } from '../../../src/retention/retention-types.js';

export const DEPLOYMENT = 'prod';
export const SOURCE = 'us-east-1';
export const DEST = 'us-west-2';
export const FS1 = 'fs-00000000000000001';
export const FS2 = 'fs-00000000000000002';
export const HOUR = 3_600_000;
export const T0 = Date.parse('2026-03-01T00:00:00Z');

/** Every rule off: tests switch on the ones they need. */
export const OFF: RetentionRules = buildRetentionRules({});

export function settings(maxDeletionsPerSweep = 20, dryRun = false): Settings {
  return {
    pollIntervalMs: 30_000,
    maxInFlightPerRegion: 5,
    startDeadlineMs: 8 * HOUR,
    completionDeadlineMs: 48 * HOUR,
    outcomeRetentionCount: 10_000,
    outcomeRetentionMs: 30 * 24 * HOUR,
    retention: { dryRun, maxDeletionsPerSweep, sweepIntervalMs: HOUR },
  };
}

export function policy(
  name: string,
  retention: RetentionRules | undefined,
  opts: { fileSystemIds?: string[]; destinations?: string[]; sourceRegion?: string; account?: string } = {},
): Policy {
  const sourceRegion = opts.sourceRegion ?? SOURCE;
  return {
    name,
    schedule: '0 * * * *',
    timezone: 'UTC',
    account: opts.account ?? 'default',
    source: { region: sourceRegion, fileSystemIds: opts.fileSystemIds ?? [FS1], exclude: [] },
    destinations: (opts.destinations ?? [DEST]).map((region): Destination => ({
      region,
      copyTags: false,
      tags: {},
      inRegion: region === sourceRegion,
      ...(retention ? { retention } : {}),
    })),
    file: 'p.yaml',
  };
}

export function config(policies: Policy[], s: Settings = settings()): Pick<Config, 'policies' | 'settings'> {
  return { policies, settings: s };
}

let counter = 0;
/** A copy this deployment made of FS1 (unless told otherwise), `hours` after T0 as its recovery point. */
export function copy(
  hours: number,
  opts: Partial<DestinationBackup> & {
    fileSystemId?: string;
    deployment?: string | null;
    sourceRegion?: string;
    region?: string;
  } = {},
): DestinationBackup {
  counter += 1;
  const id = opts.backupId ?? `backup-${counter.toString(16).padStart(17, '0')}`;
  const sourceBackupId = `backup-${(1_000_000 + counter).toString(16).padStart(17, '0')}`;
  const fileSystemId = opts.fileSystemId ?? FS1;
  const sourceRegion = opts.sourceRegion ?? SOURCE;
  const tags: Record<string, string> = {
    [SERVICE_TAG_KEYS.policy]: 'p1',
    [SERVICE_TAG_KEYS.sourceBackupId]: sourceBackupId,
    [SERVICE_TAG_KEYS.sourceRegion]: sourceRegion,
    [SERVICE_TAG_KEYS.fileSystemId]: fileSystemId,
    [SERVICE_TAG_KEYS.recoveryPoint]: new Date(T0 + hours * HOUR).toISOString(),
    ...(opts.deployment === null ? {} : { [SERVICE_TAG_KEYS.deployment]: opts.deployment ?? DEPLOYMENT }),
  };
  return {
    backupId: id,
    type: 'USER_INITIATED',
    lifecycle: 'AVAILABLE',
    creationTime: T0 + hours * HOUR + 60_000,
    sourceBackupId,
    sourceRegion,
    fileSystemId,
    fileSystemType: 'WINDOWS',
    ...opts,
    tags: { ...tags, ...opts.tags },
  };
}

/** The backup without one field, as FSx sends it when it leaves that member out. */
export function without<K extends keyof DestinationBackup>(b: DestinationBackup, key: K): DestinationBackup {
  const copied: Partial<DestinationBackup> = { ...b };
  delete copied[key];
  return copied as DestinationBackup;
}
