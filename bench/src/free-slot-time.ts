/**
 * Scenario (b)'s measure: the share of free slot time the service used. In one Region, over the window in which
 * the service had copies waiting (from its first copy start to its last copy start: every copy was planned before
 * the first started, and after the last start none waits), free slot time is the slot-time not held by foreign
 * copies, ∫ (slots − foreign(t)) dt, and the service used ∫ service(t) dt of it. Slot-time is in slot-milliseconds.
 * Time the service lost to its own hand-over (a poll to see a copy end) counts as unused, as it should. Pure.
 */
export interface SlotInterval {
  readonly start: number;
  readonly end: number;
}

export interface FreeSlotUse {
  readonly windowMs: number;
  readonly freeSlotMs: number;
  readonly usedSlotMs: number;
  readonly foreignSlotMs: number;
  /** `usedSlotMs / freeSlotMs` (NaN for an empty window). */
  readonly share: number;
  /** Slot-time with more copies in progress than slots: 0 unless FSx (the simulator) over-admitted. */
  readonly overLimitSlotMs: number;
}

export function freeSlotUse(input: {
  readonly service: readonly SlotInterval[];
  readonly foreign: readonly SlotInterval[];
  readonly slots: number;
  readonly from: number;
  readonly to: number;
}): FreeSlotUse {
  const { from, to, slots } = input;
  const events: Array<readonly [time: number, service: number, foreign: number]> = [];
  const clip = (list: readonly SlotInterval[], service: boolean): void => {
    for (const c of list) {
      const start = Math.max(c.start, from);
      const end = Math.min(c.end, to);
      if (end <= start) continue;
      events.push([start, service ? 1 : 0, service ? 0 : 1], [end, service ? -1 : 0, service ? 0 : -1]);
    }
  };
  clip(input.service, true);
  clip(input.foreign, false);
  events.sort((a, b) => a[0] - b[0]);
  let service = 0;
  let foreign = 0;
  let at = from;
  let freeSlotMs = 0;
  let usedSlotMs = 0;
  let foreignSlotMs = 0;
  let overLimitSlotMs = 0;
  const advance = (t: number): void => {
    const span = t - at;
    if (span <= 0) return;
    freeSlotMs += Math.max(0, slots - foreign) * span;
    usedSlotMs += service * span;
    foreignSlotMs += foreign * span;
    overLimitSlotMs += Math.max(0, service + foreign - slots) * span;
    at = t;
  };
  for (const [t, ds, df] of events) {
    advance(t);
    service += ds;
    foreign += df;
  }
  advance(to);
  const windowMs = Math.max(0, to - from);
  return {
    windowMs,
    freeSlotMs,
    usedSlotMs,
    foreignSlotMs,
    share: freeSlotMs === 0 ? Number.NaN : usedSlotMs / freeSlotMs,
    overLimitSlotMs,
  };
}

/** The window of scenario (b): from the service's first copy start to its last copy start. */
export function waitingWindow(service: readonly SlotInterval[]): { from: number; to: number } {
  const starts = service.map((c) => c.start);
  return { from: Math.min(...starts), to: Math.max(...starts) };
}
