import type { Policy } from '../config/types.js';

/**
 * What each selector policy's selector matched at its last planned slot: {@link selectionKey} -> file system ids. A selector
 * is resolved against DescribeFileSystems at each slot (src/schedule/select-file-systems.ts); RPO, metrics, status and
 * retention, which run between slots, go by the last answer rather than asking FSx again.
 */
export type PolicySelections = ReadonlyMap<string, readonly string[]>;

export const NO_SELECTIONS: PolicySelections = new Map();

/**
 * The key a policy's selection is kept under: its name, account and source Region, so that after a reload that moves
 * a policy to another account or Region the old answer (other file systems) is not taken for the new one's.
 */
export function selectionKey(policy: Pick<Policy, 'name' | 'account' | 'source'>): string {
  return `${policy.name}|${policy.account}|${policy.source.region}`;
}

/**
 * The file systems a policy covers as far as the service knows: its `fileSystemIds`, and what its selector matched
 * at its last slot, less `exclude`. In the order given, each once.
 */
export function policyFileSystems(
  policy: Pick<Policy, 'name' | 'account' | 'source'>,
  selections: PolicySelections = NO_SELECTIONS,
): string[] {
  const excluded = new Set(policy.source.exclude);
  const selected = policy.source.selector === undefined ? [] : (selections.get(selectionKey(policy)) ?? []);
  return [...new Set([...policy.source.fileSystemIds, ...selected])].filter((id) => !excluded.has(id));
}

/** The file systems one slot copies: the listed ones and what the selector selected at that slot, less `exclude`. */
export function slotFileSystems(
  policy: Pick<Policy, 'name' | 'account' | 'source'>,
  selected: readonly string[] = [],
): string[] {
  return policyFileSystems(policy, new Map([[selectionKey(policy), selected]]));
}
