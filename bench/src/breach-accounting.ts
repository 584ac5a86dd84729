/**
 * RPO breaches of a contended Region, counted as the issue counts them: a pair breaches when its new copy lands
 * (becomes AVAILABLE) after its deadline, the recovery point of the newest copy it already had plus its policy's
 * `rpo`. Times are relative to the run's first copy start, so the process start-up (the same whatever the order, a
 * second here, nothing against RPOs of hours in production) is not counted against any order. Pure.
 */
export interface DeadlineJob {
  /** The copy's real duration in the simulator (ms). */
  readonly durationMs: number;
  /** Its deadline, in ms after the first copy start (negative: already breached before anything started). */
  readonly deadlineMs: number;
}

export interface BreachSummary {
  readonly pairs: number;
  /** Pairs whose copy landed after its deadline. */
  readonly breaches: number;
  /** Σ over pairs of max(0, landing − deadline). */
  readonly totalBreachMs: number;
  readonly maxLatenessMs: number;
}

/** Breaches of copies that landed at `landedMs` (same origin and order as `deadlinesMs`). */
export function breachSummary(landedMs: readonly number[], deadlinesMs: readonly number[]): BreachSummary {
  let breaches = 0;
  let totalBreachMs = 0;
  let maxLatenessMs = 0;
  landedMs.forEach((end, i) => {
    const late = end - (deadlinesMs[i] ?? Number.NaN);
    if (late > 0) {
      breaches += 1;
      totalBreachMs += late;
      maxLatenessMs = Math.max(maxLatenessMs, late);
    }
  });
  return { pairs: landedMs.length, breaches, totalBreachMs, maxLatenessMs };
}

/**
 * Landing times of jobs started in `order` on `slots` slots with zero hand-over: each job takes the slot that frees
 * first, at the moment it frees (a non-delay list schedule, which is all a dispatcher without preemption does).
 * Returns the landing time of each job by its index in `jobs`.
 */
export function listSchedule(
  jobs: readonly DeadlineJob[],
  order: readonly number[],
  slots: number,
): number[] {
  const free = new Array<number>(slots).fill(0);
  const landed = new Array<number>(jobs.length).fill(Number.NaN);
  for (const j of order) {
    let best = 0;
    for (let i = 1; i < slots; i += 1) if ((free[i] ?? 0) < (free[best] ?? 0)) best = i;
    const end = (free[best] ?? 0) + (jobs[j]?.durationMs ?? 0);
    free[best] = end;
    landed[j] = end;
  }
  return landed;
}

/** Total breach time of `order` as a zero-hand-over list schedule. */
export function orderBreachMs(jobs: readonly DeadlineJob[], order: readonly number[], slots: number): number {
  return breachSummary(
    listSchedule(jobs, order, slots),
    jobs.map((j) => j.deadlineMs),
  ).totalBreachMs;
}

/** Earliest deadline first, ties in index (plan) order: what urgency-first admission aims at. */
export function deadlineOrder(jobs: readonly DeadlineJob[]): number[] {
  return jobs
    .map((_, i) => i)
    .sort((a, b) => (jobs[a]?.deadlineMs ?? 0) - (jobs[b]?.deadlineMs ?? 0) || a - b);
}
