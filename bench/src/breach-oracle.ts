import { deadlineOrder, listSchedule, orderBreachMs, type DeadlineJob } from './breach-accounting.js';

/**
 * The best order an oracle that knows every copy's real duration could pick for a contended Region: the one that
 * minimises total breach time on `slots` slots, copies started at the first copy start, never preempted, zero
 * hand-over. Searched over start orders, each run as a non-delay list schedule (the next copy in the order takes
 * the slot that frees first): for identical slots and a regular objective such as total lateness past deadlines,
 * some list schedule is optimal (any schedule, replayed in the order of its start times, starts no copy later), so
 * nothing is lost by searching orders only. It is a lower bound on what the service can reach: it knows durations
 * the service cannot, and pays no poll to see a slot free.
 *
 * Branch and bound (P|·|ΣT is NP-hard; a few dozen copies are tractable): depth-first over which copy takes the
 * next free slot; the incumbent starts from earliest-deadline-first and a local search of it; a node is cut when
 * its breach time so far plus a lower bound of the rest cannot beat the incumbent, or when the same set of started
 * copies was reached with the same slot-free times at no greater cost, or when an identical copy (same duration
 * and deadline) was already tried there. The bound of the rest: in any schedule the k-th landing of the remaining
 * copies is no earlier than (1) the k-th smallest of `free_i + (sum of the q shortest remaining durations)` over
 * slots i and counts q (slot i's q-th copy lands no sooner), nor (2) the earliest free time plus the k-th shortest
 * duration; landings sorted ascending against deadlines sorted ascending minimise Σ max(0, landing − deadline)
 * (the rearrangement inequality for a convex, non-decreasing penalty).
 */
export interface OracleResult {
  /** Job indices in start order. */
  readonly order: readonly number[];
  readonly landedMs: readonly number[];
  readonly totalBreachMs: number;
  /** True when the search finished: no order has less total breach time. */
  readonly exact: boolean;
  /** What no order can beat: `totalBreachMs` when exact, else the bound at the root. */
  readonly lowerBoundMs: number;
  readonly nodes: number;
}

export interface OracleOptions {
  /** Search nodes before giving up on proving optimality (the best order found so far is still returned). */
  readonly maxNodes?: number;
}

const MAX_JOBS = 30;

function remainingLowerBound(
  free: readonly number[],
  mask: number,
  byDuration: readonly number[],
  byDeadline: readonly number[],
  jobs: readonly DeadlineJob[],
): number {
  const ps: number[] = [];
  for (const j of byDuration) if (mask & (1 << j)) ps.push(jobs[j]?.durationMs ?? 0);
  const r = ps.length;
  if (r === 0) return 0;
  // q-th landing on slot i is at least free_i + S_q; merge the slots' increasing sequences for the r smallest.
  const prefix: number[] = [];
  let sum = 0;
  for (const p of ps) prefix.push((sum += p));
  const next = new Array<number>(free.length).fill(0);
  let k = 0;
  let lb = 0;
  for (const j of byDeadline) {
    if (!(mask & (1 << j))) continue;
    let best = 0;
    let bestValue = Number.POSITIVE_INFINITY;
    for (let i = 0; i < free.length; i += 1) {
      const q = next[i] ?? 0;
      if (q >= r) continue;
      const v = (free[i] ?? 0) + (prefix[q] ?? 0);
      if (v < bestValue) {
        bestValue = v;
        best = i;
      }
    }
    next[best] = (next[best] ?? 0) + 1;
    const landing = Math.max(bestValue, (free[0] ?? 0) + (ps[k] ?? 0));
    lb += Math.max(0, landing - (jobs[j]?.deadlineMs ?? 0));
    k += 1;
  }
  return lb;
}

/** Insertion moves until none improves: a good incumbent makes the search short. */
function localSearch(jobs: readonly DeadlineJob[], start: readonly number[], slots: number): number[] {
  let order = [...start];
  let cost = orderBreachMs(jobs, order, slots);
  for (let improved = true; improved && cost > 0;) {
    improved = false;
    for (let from = 0; from < order.length; from += 1) {
      for (let to = 0; to < order.length; to += 1) {
        if (to === from) continue;
        const candidate = [...order];
        const [moved] = candidate.splice(from, 1);
        if (moved === undefined) continue;
        candidate.splice(to, 0, moved);
        const c = orderBreachMs(jobs, candidate, slots);
        if (c < cost - 1e-9) {
          order = candidate;
          cost = c;
          improved = true;
        }
      }
    }
  }
  return order;
}

export function breachOracle(
  jobs: readonly DeadlineJob[],
  slots: number,
  options: OracleOptions = {},
): OracleResult {
  if (jobs.length > MAX_JOBS)
    throw new Error(`the oracle searches at most ${MAX_JOBS} copies, not ${jobs.length}`);
  const maxNodes = options.maxNodes ?? 20_000_000;
  const edd = deadlineOrder(jobs);
  const spt = jobs
    .map((_, i) => i)
    .sort((a, b) => (jobs[a]?.durationMs ?? 0) - (jobs[b]?.durationMs ?? 0) || a - b);
  let bestOrder = [edd, spt]
    .map((o) => localSearch(jobs, o, slots))
    .reduce((a, b) => (orderBreachMs(jobs, b, slots) < orderBreachMs(jobs, a, slots) ? b : a));
  let best = orderBreachMs(jobs, bestOrder, slots);
  const byDuration = spt;
  const byDeadline = edd;
  const all = (1 << jobs.length) - 1;
  const rootBound = remainingLowerBound(new Array<number>(slots).fill(0), all, byDuration, byDeadline, jobs);
  const seen = new Map<string, number>();
  const path: number[] = [];
  let nodes = 0;
  let aborted = false;

  const visit = (free: readonly number[], mask: number, cost: number): void => {
    if (aborted) return;
    if (mask === 0) {
      if (cost < best - 1e-9) {
        best = cost;
        bestOrder = [...path];
      }
      return;
    }
    nodes += 1;
    if (nodes > maxNodes) {
      aborted = true;
      return;
    }
    const key = `${mask}:${free.join(',')}`;
    const before = seen.get(key);
    if (before !== undefined && before <= cost) return;
    if (seen.size < 4_000_000) seen.set(key, cost);
    const t = free[0] ?? 0;
    const tried: DeadlineJob[] = [];
    for (const j of byDeadline) {
      if (!(mask & (1 << j))) continue;
      const job = jobs[j];
      if (!job) continue;
      if (tried.some((o) => o.durationMs === job.durationMs && o.deadlineMs === job.deadlineMs)) continue;
      tried.push(job);
      const nextCost = cost + Math.max(0, t + job.durationMs - job.deadlineMs);
      if (nextCost >= best - 1e-9) continue;
      const nextFree = [...free.slice(1), t + job.durationMs].sort((a, b) => a - b);
      const nextMask = mask & ~(1 << j);
      if (nextCost + remainingLowerBound(nextFree, nextMask, byDuration, byDeadline, jobs) >= best - 1e-9)
        continue;
      path.push(j);
      visit(nextFree, nextMask, nextCost);
      path.pop();
    }
  };
  if (best > 0 && rootBound < best - 1e-9) visit(new Array<number>(slots).fill(0), all, 0);
  const exact = !aborted;
  return {
    order: bestOrder,
    landedMs: listSchedule(jobs, bestOrder, slots),
    totalBreachMs: best,
    exact,
    lowerBoundMs: exact ? best : rootBound,
    nodes,
  };
}
