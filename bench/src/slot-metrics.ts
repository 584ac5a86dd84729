import type { CopyInterval } from './copy-recorder.js';
import { summarizeLatencies, type LatencySummary } from './latency-summary.js';

/**
 * How well a run used the five copy slots of each destination Region. The lower bound on the time to finish N
 * copies into one Region is Σd / 5 (every slot busy all the time); the makespan is measured from the first copy
 * start to the last copy end in the simulator, so planning and start-up are not counted here (they are reported on
 * their own). `ideal` is a FIFO over the same copies in plan order with zero hand-over time: the part of the gap to
 * the bound that no dispatcher working in that order can close (the last long copies running alone at the end).
 */
export interface RegionSlotMetrics {
  readonly region: string;
  readonly copies: number;
  readonly busyMs: number;
  readonly boundMs: number;
  readonly makespanMs: number;
  readonly ratio: number;
  readonly utilisation: number;
  readonly idealMakespanMs: number;
  readonly handover: LatencySummary;
  readonly peakInFlight: number;
}

export interface SlotMetrics {
  readonly copies: number;
  readonly makespanMs: number;
  /** The largest per-Region bound: nothing can finish every copy sooner. */
  readonly boundMs: number;
  readonly ratio: number;
  /** Busy slot-time over available slot-time, pooled over Regions: Σ busy / (slots × Σ makespan). */
  readonly utilisation: number;
  readonly idealMakespanMs: number;
  readonly idealRatio: number;
  /** From a copy's end to the next copy start in its Region, pooled over Regions. */
  readonly handover: LatencySummary;
  readonly handoverSamplesMs: readonly number[];
  readonly regions: readonly RegionSlotMetrics[];
}

/** Makespan of a zero-latency FIFO over `durations` on `slots` slots. */
export function fifoMakespan(durations: readonly number[], slots: number): number {
  const free = new Array<number>(slots).fill(0);
  let end = 0;
  for (const d of durations) {
    let best = 0;
    for (let i = 1; i < slots; i += 1) if ((free[i] ?? 0) < (free[best] ?? 0)) best = i;
    const finish = (free[best] ?? 0) + d;
    free[best] = finish;
    end = Math.max(end, finish);
  }
  return end;
}

/**
 * Each copy end is matched with the first copy start at or after it not already matched to an earlier end: the
 * start that took the freed slot. Ends after the last start have nothing to hand over to and are left out.
 */
export function handoverLatencies(intervals: readonly CopyInterval[]): number[] {
  const starts = intervals.map((c) => c.start).sort((a, b) => a - b);
  const ends = intervals.map((c) => c.end).sort((a, b) => a - b);
  const out: number[] = [];
  let j = 0;
  for (const end of ends) {
    while (j < starts.length && (starts[j] ?? 0) < end) j += 1;
    if (j >= starts.length) break;
    out.push((starts[j] ?? 0) - end);
    j += 1;
  }
  return out;
}

/** The most copies in progress at once (an end frees its slot before a start at the same instant). */
export function peakInFlight(intervals: readonly CopyInterval[]): number {
  const events = intervals.flatMap((c) => [
    [c.start, 1],
    [c.end, -1],
  ]);
  events.sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0) || (a[1] ?? 0) - (b[1] ?? 0));
  let current = 0;
  let peak = 0;
  for (const [, delta] of events) {
    current += delta ?? 0;
    peak = Math.max(peak, current);
  }
  return peak;
}

function regionMetrics(
  region: string,
  intervals: readonly CopyInterval[],
  planOrderDurations: readonly number[],
  slots: number,
): RegionSlotMetrics & { readonly samples: number[] } {
  const busyMs = intervals.reduce((a, c) => a + (c.end - c.start), 0);
  const first = Math.min(...intervals.map((c) => c.start));
  const last = Math.max(...intervals.map((c) => c.end));
  const makespanMs = last - first;
  const boundMs = busyMs / slots;
  const samples = handoverLatencies(intervals);
  return {
    region,
    copies: intervals.length,
    busyMs,
    boundMs,
    makespanMs,
    ratio: makespanMs / boundMs,
    utilisation: busyMs / (slots * makespanMs),
    idealMakespanMs: fifoMakespan(planOrderDurations, slots),
    handover: summarizeLatencies(samples),
    peakInFlight: peakInFlight(intervals),
    samples,
  };
}

/**
 * Slot figures of one run. `planOrderDurations` gives, per Region, the durations of its copies in the order the
 * service plans them (for the ideal FIFO).
 */
export function slotMetrics(
  intervals: readonly CopyInterval[],
  planOrderDurations: ReadonlyMap<string, readonly number[]>,
  slots: number,
): SlotMetrics {
  const regions = [...planOrderDurations.keys()].map((region) =>
    regionMetrics(
      region,
      intervals.filter((c) => c.destinationRegion === region),
      planOrderDurations.get(region) ?? [],
      slots,
    ),
  );
  const first = Math.min(...intervals.map((c) => c.start));
  const last = Math.max(...intervals.map((c) => c.end));
  const makespanMs = last - first;
  const boundMs = Math.max(...regions.map((r) => r.boundMs));
  const idealMakespanMs = Math.max(...regions.map((r) => r.idealMakespanMs));
  const busy = regions.reduce((a, r) => a + r.busyMs, 0);
  const available = regions.reduce((a, r) => a + slots * r.makespanMs, 0);
  const samples = regions.flatMap((r) => r.samples);
  return {
    copies: intervals.length,
    makespanMs,
    boundMs,
    ratio: makespanMs / boundMs,
    utilisation: busy / available,
    idealMakespanMs,
    idealRatio: idealMakespanMs / boundMs,
    handover: summarizeLatencies(samples),
    handoverSamplesMs: samples,
    regions: regions.map(({ samples: _, ...r }) => r),
  };
}
