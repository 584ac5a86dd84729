/** The queue of copy jobs into one destination Region: the FSx five-copy limit is per destination Region. */
export function copyQueueName(destinationRegion: string): string {
  return `copy-${destinationRegion}`;
}

/** The queue of schedule slots to plan (kept apart so a trigger never waits behind hours-long copies). */
export const PLAN_QUEUE_NAME = 'plan';

/** Redis key names of the service's own records, under the same prefix as its queues. */
export function serviceKeys(prefix: string) {
  return {
    outcomes: `${prefix}:outcomes`,
    outcomeIndex: `${prefix}:outcomes:index`,
    latestCopies: `${prefix}:latest-copies`,
    scheduleLastSlot: `${prefix}:schedule:last-slot`,
    rpoFirstSeen: `${prefix}:rpo:first-seen`,
    rpoState: `${prefix}:rpo:state`,
    copied: (copyKeyId: string) => `${prefix}:copied:${copyKeyId}`,
  } as const;
}
