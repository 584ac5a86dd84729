import { retentionScopeKey, type RetentionScope } from '../retention/retention-scope.js';

/**
 * The queue of sweeps and deletions of one (account, destination Region): its own, so a deletion never takes one
 * of the Region's five copy slots, and a sweep never waits behind hours-long copies.
 */
export function retentionQueueName(scope: RetentionScope): string {
  return `retention-${retentionScopeKey(scope)}`;
}

/** Redis keys of retention's own records, under the same prefix as the queues. */
export function retentionKeys(prefix: string) {
  return {
    records: `${prefix}:retention:records`,
    recordIndex: `${prefix}:retention:records:index`,
    heldCopies: `${prefix}:retention:held-copies`,
    regionBackups: `${prefix}:retention:region-backups`,
    pendingPairs: (scope: RetentionScope) => `${prefix}:retention:pending-pairs:${retentionScopeKey(scope)}`,
  } as const;
}
