import type { Config, Destination, Policy } from './types.js';

/** One (policy, file system, destination) of a config: the unit a newest copy, an RPO and a metric belong to. */
export interface CopyPair {
  readonly policy: Policy;
  readonly fileSystemId: string;
  readonly destination: Destination;
}

/**
 * Every (policy, file system, destination) of a config, in config order. One walk for planning views, RPO, status
 * and metrics, so they can never disagree on which pairs exist.
 */
export function copyPairs(config: Pick<Config, 'policies'>): CopyPair[] {
  return config.policies.flatMap((policy) =>
    policy.source.fileSystemIds.flatMap((fileSystemId) =>
      policy.destinations.map((destination) => ({ policy, fileSystemId, destination })),
    ),
  );
}
