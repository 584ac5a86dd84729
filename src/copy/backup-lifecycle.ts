/**
 * FSx backup Lifecycle values reduced to what the service acts on. FSx has added values over time (TRANSFERRING,
 * PENDING); anything that is not AVAILABLE, FAILED or DELETED means "still in progress", and a missing or unknown
 * value never crashes anything.
 */
export type LifecycleState = 'available' | 'failed' | 'deleted' | 'in-progress';

export function lifecycleState(lifecycle: string | undefined): LifecycleState {
  switch (lifecycle) {
    case 'AVAILABLE':
      return 'available';
    case 'FAILED':
      return 'failed';
    case 'DELETED':
      return 'deleted';
    case undefined:
    default:
      return 'in-progress';
  }
}

/** Whether the planner may pick a source backup: AVAILABLE, or still being made (never FAILED or DELETED). */
export function isEligibleSource(lifecycle: string | undefined): boolean {
  const state = lifecycleState(lifecycle);
  return state === 'available' || (state === 'in-progress' && lifecycle !== undefined);
}
