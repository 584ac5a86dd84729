/**
 * The exact record of copy slots in one destination Region: every interval a copy spent `COPYING`, half-open
 * `[start, end)`. FSx's five-copy limit and the service's promise to respect it are both statements about these
 * intervals, so the simulator keeps them rather than sampling, and reports the true maximum overlap.
 */

/** Whether the service under test started the copy (a CopyBackup request) or something else in the account did. */
export type CopyOrigin = 'service' | 'foreign';

/** One interval a copy held a slot; `end` is `Infinity` while it is held open by hand. */
export interface CopySlot {
  readonly backupId: string;
  readonly origin: CopyOrigin;
  readonly start: number;
  end: number;
}

/** Copies in progress, split by who started them. */
export interface InFlightCount {
  readonly total: number;
  readonly service: number;
  readonly foreign: number;
}

export class InFlightLedger {
  readonly #slots: CopySlot[] = [];

  /** Records a slot held from `start` until `end` (exclusive). */
  open(backupId: string, origin: CopyOrigin, start: number, end: number): CopySlot {
    const slot: CopySlot = { backupId, origin, start, end };
    this.#slots.push(slot);
    return slot;
  }

  /** Copies holding a slot at time `t`. */
  countAt(t: number): InFlightCount {
    let service = 0;
    let foreign = 0;
    for (const slot of this.#slots) {
      if (slot.start <= t && t < slot.end) {
        if (slot.origin === 'service') service += 1;
        else foreign += 1;
      }
    }
    return { total: service + foreign, service, foreign };
  }

  /**
   * The largest number of slots ever held at once (each figure maximised on its own, so `total` can be less than
   * `service + foreign` when their peaks came at different times). A sweep over interval ends: at equal times an
   * end is applied before a start, because a copy that finishes frees its slot for one that starts that instant.
   */
  peak(): InFlightCount {
    return {
      total: peakOf(this.#slots),
      service: peakOf(this.#slots.filter((s) => s.origin === 'service')),
      foreign: peakOf(this.#slots.filter((s) => s.origin === 'foreign')),
    };
  }
}

function peakOf(slots: readonly CopySlot[]): number {
  const events: Array<readonly [time: number, delta: number]> = [];
  for (const slot of slots) {
    if (slot.end <= slot.start) continue;
    events.push([slot.start, 1], [slot.end, -1]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let current = 0;
  let peak = 0;
  for (const [, delta] of events) {
    current += delta;
    peak = Math.max(peak, current);
  }
  return peak;
}
