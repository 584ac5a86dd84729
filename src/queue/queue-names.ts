import { DEFAULT_ACCOUNT, accountRegionKey } from '../copy/account-region.js';

/**
 * The queue of copy jobs into one destination Region of one account (FSx's five-copy limit is per account and
 * destination Region): `copy-<region>` for the service's own account, `copy-<account>.<region>` for another.
 */
export function copyQueueName(destinationRegion: string, account: string = DEFAULT_ACCOUNT): string {
  return `copy-${accountRegionKey(account, destinationRegion)}`;
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
    selections: `${prefix}:estate:selections`,
    accountReach: `${prefix}:estate:account-reach`,
    copied: (copyKeyId: string) => `${prefix}:copied:${copyKeyId}`,
  } as const;
}
