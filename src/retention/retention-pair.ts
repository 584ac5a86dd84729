import type { Config } from '../config/types.js';
import type { ZonedRetentionRules } from './retention-types.js';
import { NO_SELECTIONS, policyFileSystems, type PolicySelections } from '../copy/policy-file-systems.js';
import type { RetentionScope } from './retention-scope.js';

/**
 * What retention decides over: the copies of one source file system in one destination Region (and account),
 * whichever policies made them. "Newest", the rules' counts and the guards all go by pair.
 */
export interface RetentionPair {
  readonly account: string;
  readonly sourceRegion: string;
  readonly fileSystemId: string;
  readonly destinationRegion: string;
}

/** A pair as one string (for maps, Redis fields and sets): `account|sourceRegion|fileSystemId|destinationRegion`. */
export function retentionPairKey(pair: RetentionPair): string {
  return `${pair.account}|${pair.sourceRegion}|${pair.fileSystemId}|${pair.destinationRegion}`;
}

export function parseRetentionPairKey(key: string): RetentionPair | undefined {
  const [account, sourceRegion, fileSystemId, destinationRegion, ...rest] = key.split('|');
  if (!account || !sourceRegion || !fileSystemId || !destinationRegion || rest.length > 0) return undefined;
  return { account, sourceRegion, fileSystemId, destinationRegion };
}

/**
 * What the config says about a pair's copies:
 * - `rules`: every covering policy has retention here; a copy is kept when any of their rules keeps it;
 * - `kept-forever`: a covering policy has no retention for this destination, so every copy stays (as before
 *   retention existed);
 * - `source-region`: the destination is the pair's source Region (an in-Region copy): nothing is ever deleted in a
 *   source Region;
 * - `no-policy`: no policy covers the pair any more; removing a policy is not a request to delete its copies.
 */
export type PairPolicy =
  | {
      readonly kind: 'rules';
      readonly policies: readonly string[];
      readonly rules: readonly ZonedRetentionRules[];
    }
  | { readonly kind: 'kept-forever'; readonly policies: readonly string[] }
  | { readonly kind: 'source-region'; readonly policies: readonly string[] }
  | { readonly kind: 'no-policy' };

/**
 * The policy of one pair under a config (see {@link PairPolicy}). A selector policy covers the file systems its
 * selector matched at its last slot (`selections`): a file system whose tags no longer match is no longer covered,
 * and its copies are kept, as for a removed policy.
 */
export function pairPolicy(
  config: Pick<Config, 'policies'>,
  pair: RetentionPair,
  selections: PolicySelections = NO_SELECTIONS,
): PairPolicy {
  const covering = config.policies.flatMap((policy) => {
    if (policy.account !== pair.account || policy.source.region !== pair.sourceRegion) return [];
    if (!policyFileSystems(policy, selections).includes(pair.fileSystemId)) return [];
    const destination = policy.destinations.find((d) => d.region === pair.destinationRegion);
    return destination ? [{ policy, destination }] : [];
  });
  if (covering.length === 0) return { kind: 'no-policy' };
  const policies = covering.map((c) => c.policy.name);
  if (pair.sourceRegion === pair.destinationRegion) return { kind: 'source-region', policies };
  const rules: ZonedRetentionRules[] = [];
  for (const { policy, destination } of covering) {
    if (destination.retention === undefined) return { kind: 'kept-forever', policies };
    rules.push({ rules: destination.retention, timeZone: policy.timezone });
  }
  return { kind: 'rules', policies, rules };
}

/** Every pair the config copies into the scope, in config order, each once. */
export function configuredPairs(
  config: Pick<Config, 'policies'>,
  scope: RetentionScope,
  selections: PolicySelections = NO_SELECTIONS,
): RetentionPair[] {
  const pairs = new Map<string, RetentionPair>();
  for (const policy of config.policies) {
    if (policy.account !== scope.account) continue;
    if (!policy.destinations.some((d) => d.region === scope.destinationRegion)) continue;
    for (const fileSystemId of policyFileSystems(policy, selections)) {
      const pair = { ...scope, sourceRegion: policy.source.region, fileSystemId };
      pairs.set(retentionPairKey(pair), pair);
    }
  }
  return [...pairs.values()];
}

/** A fingerprint of a pair's policy, so a deletion decided under rules that have changed since is not made. */
export function pairPolicyFingerprint(policy: PairPolicy): string {
  if (policy.kind !== 'rules') return policy.kind;
  return JSON.stringify(policy.rules.map((r) => JSON.stringify([r.timeZone, r.rules])).sort());
}
