import type { ChaosProfile, RetentionProfile } from './chaos-profile.js';

/**
 * What the chaos run copies: two source Regions, three destination Regions, and three policies, one of which asks
 * for copies another policy already makes (the service must still make each copy once).
 */
export const DESTINATION_REGIONS = ['us-west-2', 'eu-west-1', 'ap-southeast-2'] as const;

export type FileSystemType = 'WINDOWS' | 'LUSTRE' | 'OPENZFS' | 'ONTAP';

export interface ChaosFileSystem {
  readonly region: string;
  readonly fileSystemId: string;
  readonly type: FileSystemType;
}

export interface ChaosPolicy {
  readonly name: string;
  readonly schedule: string;
  readonly sourceRegion: string;
  readonly fileSystemIds: readonly string[];
  readonly destinations: readonly string[];
}

export interface ChaosTopology {
  readonly fileSystems: readonly ChaosFileSystem[];
  readonly policies: readonly ChaosPolicy[];
  /** Every policy keeps `keepLast` copies per pair. */
  readonly retention: RetentionProfile;
}

/** FSx can copy these; ONTAP backups it cannot, and the service must skip them at planning. */
export function isCopyable(type: FileSystemType): boolean {
  return type !== 'ONTAP';
}

const COPYABLE_TYPES: readonly FileSystemType[] = ['WINDOWS', 'LUSTRE', 'OPENZFS'];

function fileSystemsOf(region: string, count: number, base: number): ChaosFileSystem[] {
  return Array.from({ length: count }, (_, i) => ({
    region,
    fileSystemId: `fs-${(base + i).toString(16).padStart(17, '0')}`,
    type: i === 0 ? 'ONTAP' : (COPYABLE_TYPES[i % COPYABLE_TYPES.length] ?? 'WINDOWS'),
  }));
}

/** A cron (seconds first) firing every `period` seconds, starting `offset` seconds into the minute. */
function everySeconds(period: number, offset: number): string {
  return offset === 0 ? `*/${period} * * * * *` : `${offset}-59/${period} * * * * *`;
}

export function chaosTopology(profile: ChaosProfile): ChaosTopology {
  const east = fileSystemsOf('us-east-1', profile.fileSystemsEast, 0x1000);
  const central = fileSystemsOf('eu-central-1', profile.fileSystemsCentral, 0x2000);
  const period = profile.schedulePeriodS;
  const ids = (list: readonly ChaosFileSystem[]): string[] => list.map((f) => f.fileSystemId);
  return {
    fileSystems: [...east, ...central],
    retention: profile.retention,
    policies: [
      {
        name: 'chaos-east',
        schedule: everySeconds(period, 0),
        sourceRegion: 'us-east-1',
        fileSystemIds: ids(east),
        destinations: [...DESTINATION_REGIONS],
      },
      {
        name: 'chaos-central',
        schedule: everySeconds(period, Math.floor(period / 2)),
        sourceRegion: 'eu-central-1',
        fileSystemIds: ids(central),
        destinations: [...DESTINATION_REGIONS],
      },
      {
        name: 'chaos-overlap',
        schedule: everySeconds(period, 0),
        sourceRegion: 'us-east-1',
        fileSystemIds: ids(east.slice(1, 1 + profile.overlapFileSystems)),
        destinations: ['eu-west-1'],
      },
    ],
  };
}

/**
 * The policy file the service processes run with. Deadlines are the shortest the loader accepts (one minute), so
 * a source that stays CREATING for longer ends in StartDeadlineExceeded within the run. Retention stays on, with a
 * small keepLast and a short sweep interval, so copies are deleted all through the chaos.
 */
export function policyYaml(topology: ChaosTopology): string {
  const policies = topology.policies.map((p) =>
    [
      `  - name: ${p.name}`,
      `    schedule: "${p.schedule}"`,
      `    source:`,
      `      region: ${p.sourceRegion}`,
      `      fileSystemIds: [${p.fileSystemIds.join(', ')}]`,
      `    retention: { keepLast: ${topology.retention.keepLast} }`,
      `    destinations:`,
      ...p.destinations.map((d) => `      - region: ${d}`),
    ].join('\n'),
  );
  return [
    'settings:',
    '  pollInterval: 250ms',
    '  maxInFlightPerRegion: 5',
    '  startDeadline: 1m',
    '  completionDeadline: 2m',
    `  retention: { sweepInterval: ${topology.retention.sweepInterval}, maxDeletionsPerSweep: ${topology.retention.maxDeletionsPerSweep} }`,
    'policies:',
    ...policies,
    '',
  ].join('\n');
}
