import type { RecordedRequest } from '../../simulator/src/index.js';
import { apiEconomy, type ApiEconomy } from './api-economy.js';
import {
  breachSummary,
  deadlineOrder,
  listSchedule,
  type BreachSummary,
  type DeadlineJob,
} from './breach-accounting.js';
import { breachOracle } from './breach-oracle.js';
import { deadlineJobs, type ContendedSet } from './contended-set.js';
import type { CopyInterval } from './copy-recorder.js';
import type { CopySet } from './copy-set.js';
import { freeSlotUse, waitingWindow, type FreeSlotUse, type SlotInterval } from './free-slot-time.js';
import { slotMetrics } from './slot-metrics.js';
import type { EconomyRunOutput } from './run-economy.js';

/** What each economy scenario measured, per behaviour, and the bounds it is judged against. Pure. */
export type Behaviour = 'today' | 'new';

export interface ContendedRow {
  readonly behaviour: Behaviour;
  readonly label: string;
  readonly measured: BreachSummary;
  /** The order the service started its copies in, replayed with zero hand-over: what the order alone costs. */
  readonly replayed: BreachSummary;
  /** Copies that never landed (failed): counted apart, not as breaches. */
  readonly missing: number;
  readonly wallMs: number;
}

export interface ContendedReference {
  readonly oracle: BreachSummary & {
    readonly exact: boolean;
    readonly lowerBoundMs: number;
    readonly nodes: number;
  };
  /** Earliest deadline first with zero hand-over: the ideal of urgency-first admission. */
  readonly deadlineFirst: BreachSummary;
  /** Plan order with zero hand-over: the ideal of FIFO. */
  readonly planOrder: BreachSummary;
}

function sumBreaches(list: readonly BreachSummary[]): BreachSummary {
  return {
    pairs: list.reduce((a, b) => a + b.pairs, 0),
    breaches: list.reduce((a, b) => a + b.breaches, 0),
    totalBreachMs: list.reduce((a, b) => a + b.totalBreachMs, 0),
    maxLatenessMs: Math.max(0, ...list.map((b) => b.maxLatenessMs)),
  };
}

function summaryOf(jobs: readonly DeadlineJob[], landed: readonly number[]): BreachSummary {
  return breachSummary(
    landed,
    jobs.map((j) => j.deadlineMs),
  );
}

/** The oracle, earliest-deadline-first and plan order of every contended Region, summed over the Regions. */
export function contendedReference(set: ContendedSet, slots: number): ContendedReference {
  const oracles = [...set.pairs.values()].map((pairs) => {
    const jobs = deadlineJobs(pairs);
    const o = breachOracle(jobs, slots);
    return { o, summary: summaryOf(jobs, o.landedMs) };
  });
  const ideal = (order: (jobs: DeadlineJob[]) => number[]): BreachSummary =>
    sumBreaches(
      [...set.pairs.values()].map((pairs) => {
        const jobs = deadlineJobs(pairs);
        return summaryOf(jobs, listSchedule(jobs, order(jobs), slots));
      }),
    );
  return {
    oracle: {
      ...sumBreaches(oracles.map((x) => x.summary)),
      exact: oracles.every((x) => x.o.exact),
      lowerBoundMs: oracles.reduce((a, x) => a + x.o.lowerBoundMs, 0),
      nodes: oracles.reduce((a, x) => a + x.o.nodes, 0),
    },
    deadlineFirst: ideal(deadlineOrder),
    planOrder: ideal((jobs) => jobs.map((_, i) => i)),
  };
}

/** Breaches of one run: landing times from each Region's first copy start, against the pairs' slacks. */
export function contendedRow(
  set: ContendedSet,
  run: Pick<EconomyRunOutput, 'intervals' | 'wallMs'>,
  behaviour: Behaviour,
  label: string,
  slots: number,
): ContendedRow {
  const measured: BreachSummary[] = [];
  const replayed: BreachSummary[] = [];
  let missing = 0;
  for (const [region, pairs] of set.pairs) {
    const mine = run.intervals.filter((c) => c.destinationRegion === region);
    const origin = Math.min(...mine.map((c) => c.start));
    const byBackup = new Map(mine.map((c) => [c.sourceBackupId, c]));
    const copies = pairs.map((p) => byBackup.get(p.sourceBackupId));
    missing += copies.filter((c) => c === undefined).length;
    const jobs = deadlineJobs(pairs);
    const landed = copies.map((c) => (c === undefined ? Number.NaN : c.end - origin));
    measured.push(summaryOf(jobs, landed));
    const order = pairs
      .map((_, i) => i)
      .filter((i) => copies[i] !== undefined)
      .sort((a, b) => (copies[a]?.start ?? 0) - (copies[b]?.start ?? 0));
    replayed.push(summaryOf(jobs, listSchedule(jobs, order, slots)));
  }
  return {
    behaviour,
    label,
    measured: sumBreaches(measured),
    replayed: sumBreaches(replayed),
    missing,
    wallMs: run.wallMs,
  };
}

export interface ForeignRow {
  readonly behaviour: Behaviour;
  readonly label: string;
  readonly copies: number;
  readonly use: FreeSlotUse;
  readonly api: ApiEconomy;
  readonly makespanMs: number;
  readonly failedCopies: number;
  readonly wallMs: number;
}

export function foreignRow(
  set: CopySet,
  run: Pick<EconomyRunOutput, 'intervals' | 'requests' | 'foreignIntervals' | 'wallMs' | 'failedCopies'>,
  behaviour: Behaviour,
  label: string,
  slots: number,
): ForeignRow {
  const region = set.spec.destinations[0] ?? '';
  const mine: SlotInterval[] = run.intervals.filter((c) => c.destinationRegion === region);
  const window = waitingWindow(mine);
  return {
    behaviour,
    label,
    copies: mine.length,
    use: freeSlotUse({ service: mine, foreign: run.foreignIntervals, slots, ...window }),
    api: apiEconomy(
      run.requests.filter((r) => r.region === region),
      mine.length,
      slots,
    ),
    makespanMs: Math.max(...mine.map((c) => c.end)) - window.from,
    failedCopies: run.failedCopies,
    wallMs: run.wallMs,
  };
}

export interface PollingRow {
  readonly set: 'large' | 'short';
  readonly title: string;
  readonly behaviour: Behaviour;
  readonly label: string;
  readonly pollFraction: number;
  readonly pollMs: number;
  readonly copies: number;
  /** Calls to the destination Region only: the polls and CopyBackups (not the plan's listing of the source). */
  readonly api: ApiEconomy;
  readonly ratio: number;
  readonly idealRatio: number;
  readonly handoverP50Ms: number;
  readonly handoverP99Ms: number;
  readonly wallMs: number;
}

export function pollingRow(input: {
  readonly set: CopySet;
  readonly size: PollingRow['set'];
  readonly intervals: readonly CopyInterval[];
  readonly requests: readonly RecordedRequest[];
  readonly planOrderDurations: ReadonlyMap<string, readonly number[]>;
  readonly behaviour: Behaviour;
  readonly label: string;
  readonly pollFraction: number;
  readonly pollMs: number;
  readonly slots: number;
  readonly wallMs: number;
}): PollingRow {
  const regions = input.set.spec.destinations;
  const mine = input.intervals.filter((c) => regions.includes(c.destinationRegion));
  const slots = slotMetrics(mine, input.planOrderDurations, input.slots);
  return {
    set: input.size,
    title: input.set.spec.title,
    behaviour: input.behaviour,
    label: input.label,
    pollFraction: input.pollFraction,
    pollMs: input.pollMs,
    copies: mine.length,
    api: apiEconomy(
      input.requests.filter((r) => regions.includes(r.region)),
      mine.length,
      input.slots,
    ),
    ratio: slots.ratio,
    idealRatio: slots.idealRatio,
    handoverP50Ms: slots.handover.p50Ms,
    handoverP99Ms: slots.handover.p99Ms,
    wallMs: input.wallMs,
  };
}

export interface EconomyResults {
  readonly contended: { readonly reference: ContendedReference; readonly rows: readonly ContendedRow[] };
  readonly foreign: { readonly rows: readonly ForeignRow[]; readonly regionFullDelayMs: number };
  readonly polling: readonly PollingRow[];
  /** Whether (a), (b) and (c)'s short set shared a process per behaviour (the quick profile). */
  readonly sharedProcess: boolean;
}
