import type { Policy } from '../config/types.js';
import { nextFireTime, previousFireTime } from './next-fire-times.js';

/** A slot of a policy the scheduler should fire now. */
export interface DueSlot {
  readonly policy: string;
  readonly slotMs: number;
  /** The slot makes up for time nothing ran (first start, a missed slot, or a late fire): logged as a catch-up. */
  readonly catchUp: boolean;
}

export interface DueSlots {
  readonly due: readonly DueSlot[];
  /** The earliest next fire of any policy (epoch ms): when the scheduler should look again. */
  readonly wakeAt: number;
}

/**
 * Which slots to fire now, from the last slot each policy fired (kept in Redis) and the time. Per policy only the
 * newest slot at or before `now` can be due, and only when it is later than the last one fired: a downtime that
 * missed many slots is caught up once (the newest backup is what counts), a clock that goes backwards fires nothing
 * twice, and the slots are those `nextFireTimes` gives (daylight-saving changes included). Pure: `now` comes in.
 *
 * @param lateAfterMs a due slot older than this was missed by a scheduler that was not running (it never sleeps
 * longer), so it counts as a catch-up even when no earlier slot was missed.
 */
export function dueSlots(input: {
  readonly policies: readonly Pick<Policy, 'name' | 'schedule' | 'timezone'>[];
  readonly lastSlots: ReadonlyMap<string, number>;
  readonly now: number;
  readonly lateAfterMs: number;
}): DueSlots {
  const { now } = input;
  const due: DueSlot[] = [];
  let wakeAt = Number.POSITIVE_INFINITY;
  for (const policy of input.policies) {
    const slot = dueSlot(policy, input.lastSlots.get(policy.name), now, input.lateAfterMs);
    if (slot) due.push(slot);
    wakeAt = Math.min(wakeAt, nextFireTime(policy.schedule, policy.timezone, new Date(now)).getTime());
  }
  return { due, wakeAt };
}

function dueSlot(
  policy: Pick<Policy, 'name' | 'schedule' | 'timezone'>,
  lastSlotMs: number | undefined,
  now: number,
  lateAfterMs: number,
): DueSlot | undefined {
  const slotMs = previousFireTime(policy.schedule, policy.timezone, new Date(now))?.getTime();
  if (slotMs === undefined || (lastSlotMs !== undefined && slotMs <= lastSlotMs)) return undefined;
  const missedOne =
    lastSlotMs !== undefined &&
    nextFireTime(policy.schedule, policy.timezone, new Date(lastSlotMs)).getTime() < slotMs;
  return {
    policy: policy.name,
    slotMs,
    catchUp: lastSlotMs === undefined || missedOne || now - slotMs > lateAfterMs,
  };
}
