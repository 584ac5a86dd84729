import type { PairKey } from '../copy/copy-key.js';
import { NO_SELECTIONS, policyFileSystems, type PolicySelections } from '../copy/policy-file-systems.js';
import type { Config, Destination, Policy } from './types.js';

/** One (policy, file system, destination) of a config: the unit a newest copy, an RPO and a metric belong to. */
export interface CopyPair {
  readonly policy: Policy;
  readonly fileSystemId: string;
  readonly destination: Destination;
}

/**
 * Every (policy, file system, destination) of a config, in config order: the listed file systems and what each
 * selector matched at its last slot (`selections`). One walk for planning views, RPO, status and metrics, so they can
 * never disagree on which pairs exist.
 */
export function copyPairs(
  config: Pick<Config, 'policies'>,
  selections: PolicySelections = NO_SELECTIONS,
): CopyPair[] {
  return config.policies.flatMap((policy) =>
    policyFileSystems(policy, selections).flatMap((fileSystemId) =>
      policy.destinations.map((destination) => ({ policy, fileSystemId, destination })),
    ),
  );
}

/** The (account, source Region, file system, destination Region) a newest copy of this pair is recorded under. */
export function pairKeyOf(pair: CopyPair): PairKey {
  return {
    account: pair.policy.account,
    sourceRegion: pair.policy.source.region,
    fileSystemId: pair.fileSystemId,
    destinationRegion: pair.destination.region,
  };
}
