import type { BackupField, FsxSimulator } from '../../simulator/src/index.js';
import type { ChaosLog } from './chaos-log.js';
import { pause } from './chaos-log.js';
import type { ChaosRandom } from './chaos-random.js';
import { DESTINATION_REGIONS } from './chaos-topology.js';
import type { SimHooks } from './sim-hooks.js';

/** Every kind of bad day FSx can have that issue 4 names (sources CREATING for long come from the feeder). */
export const FAULT_KINDS = [
  'server-errors',
  'throttling-burst',
  'latency-spikes',
  'hung-responses',
  'malformed-json',
  'failed-copies',
  'foreign-copies',
  'unknown-lifecycle',
  'missing-fields',
  'lost-copy-responses',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Members FSx documents as optional, left out of every response; one of the riskier sets joins them in turn. */
const ALWAYS_DROPPED: readonly BackupField[] = [
  'SizeInBytes',
  'ProgressPercent',
  'ResourceARN',
  'OwnerId',
  'KmsKeyId',
  'FailureDetails',
  'ResourceType',
];
const DROPPED_IN_TURN: readonly (readonly BackupField[])[] = [
  ['CreationTime'],
  ['Lifecycle'],
  ['SourceBackupId', 'SourceBackupRegion'],
];
const NEW_LIFECYCLES = ['ARCHIVING', 'OPTIMIZING', 'MIGRATING'] as const;

/**
 * FSx faults in phases: each phase turns on one or two kinds (drawn so that every kind comes up), holds them for a
 * few seconds, and turns everything off again. Rates are the simulator's seeded ones; latency and copy failures
 * go through the chaos hooks so the ledger can see them.
 */
export class FaultPhases {
  readonly applied: Record<FaultKind, number> = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<
    FaultKind,
    number
  >;
  foreignCopies = 0;
  private droppedTurn = 0;

  constructor(
    private readonly sim: FsxSimulator,
    private readonly hooks: SimHooks,
    private readonly random: ChaosRandom,
    private readonly log: ChaosLog,
    private readonly baseCopyFailureRate: number,
  ) {}

  /** Runs phases until `until` (epoch ms), then clears every fault. */
  async run(until: number, phaseMs: readonly [number, number]): Promise<void> {
    let queue: FaultKind[] = [];
    while (Date.now() < until) {
      if (queue.length < 2) queue = [...queue, ...this.random.shuffle(FAULT_KINDS)];
      const kinds = queue.splice(0, this.random.chance(0.5) ? 2 : 1);
      // Lost answers narrow the fault rates to CopyBackup: that phase runs alone.
      if (kinds.length === 2 && kinds.includes('lost-copy-responses'))
        queue.unshift(kinds.pop() as FaultKind);
      const ms = Math.min(this.random.between(phaseMs), until - Date.now());
      this.log.info(`FSx faults: ${kinds.join(' + ')} for ${ms} ms`);
      for (const kind of kinds) this.apply(kind);
      await pause(ms / 2);
      if (kinds.includes('foreign-copies')) this.addForeignCopies();
      await pause(ms / 2);
      this.clear();
    }
  }

  /** Back to a healthy FSx (the drain runs with no faults, so that "nothing lost" is decidable). */
  clear(): void {
    this.sim.configure({
      serverErrorRate: 0,
      throttleRate: 0,
      hangRate: 0,
      malformedRate: 0,
      unknownLifecycle: undefined,
      dropFields: [],
      faultOperations: undefined,
    });
    this.hooks.latency = undefined;
    this.hooks.copyFailureRate = this.baseCopyFailureRate;
  }

  private apply(kind: FaultKind): void {
    this.applied[kind] += 1;
    switch (kind) {
      case 'server-errors':
        return this.sim.configure({ serverErrorRate: 0.15 });
      case 'throttling-burst':
        return this.sim.configure({ throttleRate: 0.5 });
      case 'latency-spikes':
        // Some spikes pass the service's 1.5 s request time-out: the request still takes effect afterwards.
        this.hooks.latency = { share: 0.12, rangeMs: [300, 2_500] };
        return;
      case 'hung-responses':
        return this.sim.configure({ hangRate: 0.03 });
      case 'malformed-json':
        return this.sim.configure({ malformedRate: 0.05 });
      case 'failed-copies':
        this.hooks.copyFailureRate = 0.3;
        return;
      case 'foreign-copies':
        return this.addForeignCopies();
      case 'unknown-lifecycle':
        return this.sim.configure({ unknownLifecycle: this.random.pick(NEW_LIFECYCLES) });
      case 'missing-fields':
        return this.dropFields();
      case 'lost-copy-responses':
        // The copy is made and the answer is lost: it never comes, is a 500, or is cut short. Only the
        // idempotency token (or the look for an existing copy) prevents a second copy, and the job must keep its
        // slot while it finds out.
        this.sim.configure({ malformedRate: 0.3, faultOperations: ['CopyBackup'] });
        this.sim.hangNext({ operation: 'CopyBackup', afterEffect: true, count: 2 });
        this.sim.failNext({
          operation: 'CopyBackup',
          name: 'InternalServerError',
          status: 500,
          afterEffect: true,
          count: 2,
        });
        return;
    }
  }

  private dropFields(): void {
    const extra = DROPPED_IN_TURN[this.droppedTurn % DROPPED_IN_TURN.length] ?? [];
    this.droppedTurn += 1;
    this.sim.configure({ dropFields: [...ALWAYS_DROPPED, ...extra] });
    this.log.info(`FSx responses leave out ${[...ALWAYS_DROPPED, ...extra].join(', ')}`);
  }

  /**
   * Copies another tool starts: as many as FSx would let it (the Region's free slots, up to a few), so the limit
   * stays FSx's five and "peak in flight, total" stays meaningful.
   */
  private addForeignCopies(): void {
    const region = this.random.pick(DESTINATION_REGIONS);
    const free = 5 - this.sim.inFlight(region).total;
    const count = Math.min(this.random.int(2, 5), free);
    if (count <= 0) return;
    this.sim.addForeignCopies(region, count, this.random.int(2_000, 6_000));
    this.foreignCopies += count;
  }
}
