/**
 * The unit retention runs in: (account, destination Region), as FSx's quotas and its five-copy limit are per account
 * and Region. Queues, job ids, tokens, Redis keys and metrics take their key from here, so when accounts arrive
 * (a later issue) they slot in at one place. Today every policy runs in the service's own account, `default`.
 */
export const DEFAULT_ACCOUNT = 'default';

export interface RetentionScope {
  readonly account: string;
  readonly destinationRegion: string;
}

export function retentionScope(destinationRegion: string, account: string = DEFAULT_ACCOUNT): RetentionScope {
  return { account, destinationRegion };
}

/**
 * A scope as one readable token without `:` (BullMQ refuses it in queue names and job ids): the Region alone for
 * the default account, so today's names stay short, `<account>.<region>` for any other.
 */
export function retentionScopeKey(scope: RetentionScope): string {
  return scope.account === DEFAULT_ACCOUNT
    ? scope.destinationRegion
    : `${scope.account}.${scope.destinationRegion}`;
}

/** Every destination Region of the policies, once, sorted: the scopes a full sweep covers. */
export function retentionScopesOf(config: {
  readonly policies: readonly { readonly destinations: readonly { readonly region: string }[] }[];
}): RetentionScope[] {
  const regions = new Set(config.policies.flatMap((p) => p.destinations.map((d) => d.region)));
  return [...regions].sort().map((region) => retentionScope(region));
}
