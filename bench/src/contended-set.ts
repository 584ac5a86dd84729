import { createSeededRandom, type SeededRandom } from '../../simulator/src/seeded-random.js';
import type { DeadlineJob } from './breach-accounting.js';
import { hexId } from './copy-set.js';

/**
 * Scenario (a), a contended Region: three policies of different `rpo` copy into the same Regions, more copies than
 * five slots, long and short copies mixed, and every pair already has a copy of a different age, so deadlines
 * (recovery point of that copy + `rpo`) differ. Plan order (policies in file order, file systems in policy order) is
 * unrelated to the deadlines, as it is in a real policy file. Durations and slacks are drawn from the seed. Pure.
 */
export interface ContendedPolicySpec {
  readonly name: string;
  /** As in the policy file; longer than the daily schedule's 24 h, as `fsx-dr validate` requires. */
  readonly rpo: string;
  readonly rpoMs: number;
}

export interface ContendedSpec {
  readonly sourceRegion: string;
  /** Each Region is a contended Region of its own (five slots), with its own copies of every file system. */
  readonly regions: readonly string[];
  readonly policies: readonly ContendedPolicySpec[];
  readonly fileSystemsPerPolicy: number;
  /** Share of long copies, and the means of long and short ones (log-normal, shape `sigma`). */
  readonly longShare: number;
  readonly longMeanMs: number;
  readonly shortMeanMs: number;
  readonly sigma: number;
  /**
   * Slack (deadline − first copy start): the copy's own duration (a deadline sooner than that is hopeless whatever
   * the order, and says nothing about it) plus a share drawn uniformly in [lo, hi] of the time the Region needs to
   * work through its queue (Σ durations / slots).
   */
  readonly slack: readonly [lo: number, hi: number];
}

export interface ContendedPair {
  readonly policy: string;
  readonly rpoMs: number;
  readonly fileSystemId: string;
  /** The new backup the slot copies. */
  readonly sourceBackupId: string;
  readonly destinationRegion: string;
  readonly durationMs: number;
  /** Deadline in ms after the Region's first copy start. */
  readonly slackMs: number;
}

export interface ContendedSet {
  readonly spec: ContendedSpec;
  /** Per Region, its pairs in plan order. */
  readonly pairs: ReadonlyMap<string, readonly ContendedPair[]>;
}

function logNormal(random: SeededRandom, meanMs: number, sigma: number): number {
  const z = Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
  return Math.max(1, Math.round(meanMs * Math.exp(sigma * z - (sigma * sigma) / 2)));
}

export function buildContendedSet(spec: ContendedSpec, seed: number, group: number): ContendedSet {
  const random = createSeededRandom(seed ^ 0x0a11ce);
  const pairs = new Map<string, ContendedPair[]>();
  for (const region of spec.regions) {
    const drawn = spec.policies.flatMap((policy, p) =>
      Array.from({ length: spec.fileSystemsPerPolicy }, (_, f) => {
        const index = p * spec.fileSystemsPerPolicy + f;
        const long = random.next() < spec.longShare;
        return {
          policy: policy.name,
          rpoMs: policy.rpoMs,
          fileSystemId: hexId('fs-', group, index),
          sourceBackupId: hexId('backup-', group, index),
          destinationRegion: region,
          durationMs: logNormal(random, long ? spec.longMeanMs : spec.shortMeanMs, spec.sigma),
        };
      }),
    );
    const perSlot = drawn.reduce((a, c) => a + c.durationMs, 0) / 5;
    const [lo, hi] = spec.slack;
    pairs.set(
      region,
      drawn.map((c) => ({
        ...c,
        slackMs: c.durationMs + Math.round((lo + (hi - lo) * random.next()) * perSlot),
      })),
    );
  }
  return { spec, pairs };
}

/** The file systems of each policy, in plan order (the same ids in every Region). */
export function contendedFileSystems(set: ContendedSet): Map<string, string[]> {
  const out = new Map<string, string[]>(set.spec.policies.map((p) => [p.name, []]));
  const first = set.pairs.get(set.spec.regions[0] ?? '') ?? [];
  for (const pair of first) out.get(pair.policy)?.push(pair.fileSystemId);
  return out;
}

/** The Region's copies as the oracle and the accounting see them. */
export function deadlineJobs(pairs: readonly ContendedPair[]): DeadlineJob[] {
  return pairs.map((p) => ({ durationMs: p.durationMs, deadlineMs: p.slackMs }));
}

/** The policies a user would write: a daily schedule (catch-up fires its slot at start), `rpo`, every Region. */
export function contendedPoliciesYaml(set: ContendedSet): string {
  const fileSystems = contendedFileSystems(set);
  return set.spec.policies
    .map((policy) => {
      const ids = (fileSystems.get(policy.name) ?? []).map((id) => `        - ${id}`).join('\n');
      const destinations = set.spec.regions.map((r) => `      - region: ${r}`).join('\n');
      return `  - name: ${policy.name}
    schedule: "0 0 * * *"
    rpo: ${policy.rpo}
    source:
      region: ${set.spec.sourceRegion}
      fileSystemIds:
${ids}
    destinations:
${destinations}
`;
    })
    .join('');
}
