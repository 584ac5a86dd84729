import type { FsxSimulator } from '../../simulator/src/index.js';
import { createSeededRandom } from '../../simulator/src/seeded-random.js';
import type { SlotInterval } from './free-slot-time.js';

/**
 * Scenario (b)'s other tool: copies someone else starts in the service's destination Region (AWS Backup, a person).
 * How many it wants in progress changes at random (seeded): 0 to `maxForeign` for spans drawn from an exponential
 * of mean `meanSpanMs`. Like any FSx client it gets a slot only when one is free, so it races the service for slots
 * a copy frees (it looks every millisecond or two, so it usually wins); when it wants fewer it ends copies at once
 * (`setLifecycle` to AVAILABLE), and the freed slots are for the service to find.
 */
export interface ForeignTarget {
  /** From this many ms after the service's first copy start... */
  readonly fromMs: number;
  /** ...the other tool wants this many copies in progress. */
  readonly count: number;
}

export function foreignTargets(input: {
  readonly seed: number;
  readonly maxForeign: number;
  readonly meanSpanMs: number;
  readonly totalMs: number;
}): ForeignTarget[] {
  const random = createSeededRandom(input.seed ^ 0xf0e1);
  const out: ForeignTarget[] = [];
  for (let t = 0; t < input.totalMs;) {
    out.push({ fromMs: Math.round(t), count: Math.floor(random.next() * (input.maxForeign + 1)) });
    t += -Math.log(1 - random.next()) * input.meanSpanMs;
  }
  return out;
}

/** The count wanted `ms` after the origin (0 after the last span). */
export function targetAt(targets: readonly ForeignTarget[], ms: number): number {
  let count = 0;
  for (const t of targets) {
    if (t.fromMs > ms) break;
    count = t.count;
  }
  return count;
}

export class ForeignCopyDriver {
  readonly #held: Array<{ id: string; start: number }> = [];
  readonly #intervals: SlotInterval[] = [];
  #timer: NodeJS.Timeout | undefined;
  #origin: number | undefined;

  constructor(
    private readonly sim: FsxSimulator,
    private readonly region: string,
    private readonly targets: readonly ForeignTarget[],
    private readonly slots: number,
    /** When the service's first copy in the Region started (undefined until it has). */
    private readonly firstServiceStart: () => number | undefined,
  ) {}

  start(): void {
    this.#timer = setInterval(() => this.#tick(), 1);
  }

  #tick(): void {
    this.#origin ??= this.firstServiceStart();
    if (this.#origin === undefined) return;
    const now = this.sim.clock.now();
    const want = targetAt(this.targets, now - this.#origin);
    while (this.#held.length > want) this.#end(now);
    const free = this.slots - this.sim.inFlight(this.region).total;
    const add = Math.min(want - this.#held.length, free);
    if (add <= 0) return;
    for (const id of this.sim.addForeignCopies(this.region, add)) this.#held.push({ id, start: now });
  }

  #end(now: number): void {
    const copy = this.#held.pop();
    if (!copy) return;
    this.sim.setLifecycle(this.region, copy.id, 'AVAILABLE');
    this.#intervals.push({ start: copy.start, end: now });
  }

  /** Ends every foreign copy still held; returns the slots the other tool held, for the accounting. */
  stop(): SlotInterval[] {
    if (this.#timer) clearInterval(this.#timer);
    const now = this.sim.clock.now();
    while (this.#held.length > 0) this.#end(now);
    return [...this.#intervals];
  }
}
