import type { FsxSimulator } from '../../simulator/src/index.js';
import type { ScenarioSpec } from './bench-profile.js';
import { copyDurationMs, type CopyDurationModel } from './copy-durations.js';

/** One copy to make: what the service plans as a copy job, and what a baseline client is handed. */
export interface CopyTarget {
  readonly sourceRegion: string;
  readonly sourceBackupId: string;
  readonly destinationRegion: string;
  readonly fileSystemId: string;
}

/**
 * The copies of one scenario, in the order the service plans them (file systems in policy order, each to every
 * destination in policy order); the baselines are handed the same list in the same order, so a FIFO of either
 * sees the same sequence of durations.
 */
export interface CopySet {
  readonly spec: ScenarioSpec;
  readonly fileSystemIds: readonly string[];
  readonly backupIds: readonly string[];
  readonly targets: readonly CopyTarget[];
}

/** Ids of the shape FSx uses (17 hex digits), distinct per `group`. */
export function hexId(prefix: string, group: number, index: number): string {
  return `${prefix}${group.toString(16).padStart(5, '0')}${index.toString(16).padStart(12, '0')}`;
}

/** Deterministic ids, distinct per `group`, so every run of a scenario copies the very same backups. */
export function buildCopySet(spec: ScenarioSpec, group: number): CopySet {
  const fileSystemIds: string[] = [];
  const backupIds: string[] = [];
  const targets: CopyTarget[] = [];
  for (let i = 0; i < spec.fileSystems; i += 1) {
    const fileSystemId = hexId('fs-', group, i);
    const sourceBackupId = hexId('backup-', group, i);
    fileSystemIds.push(fileSystemId);
    backupIds.push(sourceBackupId);
    for (const destinationRegion of spec.destinations) {
      targets.push({ sourceRegion: spec.sourceRegion, sourceBackupId, destinationRegion, fileSystemId });
    }
  }
  return { spec, fileSystemIds, backupIds, targets };
}

/** Puts the scenario's file systems and their one AVAILABLE backup each into the simulator's source Region. */
export function seedCopySet(sim: FsxSimulator, set: CopySet, createdAt: number): void {
  set.fileSystemIds.forEach((fileSystemId, i) => {
    sim.addFileSystem({ region: set.spec.sourceRegion, fileSystemId, type: 'WINDOWS' });
    sim.addBackup({
      region: set.spec.sourceRegion,
      fileSystemId,
      backupId: set.backupIds[i],
      creationTime: createdAt,
    });
  });
}

/** The scenario's policy as it sits under `policies:` (its file systems to every destination, a yearly schedule). */
export function policyBlockFor(set: CopySet, name = `bench-${set.spec.id}`): string {
  const ids = set.fileSystemIds.map((id) => `        - ${id}`).join('\n');
  const destinations = set.spec.destinations.map((d) => `      - region: ${d}`).join('\n');
  return `  - name: ${name}
    schedule: "0 0 1 1 *"
    source:
      region: ${set.spec.sourceRegion}
      fileSystemIds:
${ids}
    destinations:
${destinations}
`;
}

/** The policy file a user would write for the scenario (catch-up fires its one slot when the service starts). */
export function policyYamlFor(set: CopySet, pollIntervalMs: number): string {
  return policyFileYaml(pollIntervalMs, policyBlockFor(set));
}

/** A policy file of the given policy blocks. */
export function policyFileYaml(pollIntervalMs: number, ...policies: readonly string[]): string {
  return `settings:
  pollInterval: ${pollIntervalMs}ms
policies:
${policies.join('')}`;
}

/** Per destination Region, the durations of its copies in plan order (what an ideal FIFO would run). */
export function planOrderDurations(set: CopySet, model: CopyDurationModel): Map<string, number[]> {
  const out = new Map<string, number[]>(set.spec.destinations.map((d) => [d, []]));
  for (const t of set.targets) {
    out.get(t.destinationRegion)?.push(copyDurationMs(model, t.sourceBackupId, t.destinationRegion));
  }
  return out;
}
