import { DEFAULT_ACCOUNT, accountRegionKey, copyScopesOf } from '../copy/account-region.js';

/**
 * The unit retention runs in: (account, destination Region), as FSx's quotas and its five-copy limit are per account
 * and Region (src/copy/account-region.ts). Queues, job ids, tokens, Redis keys and metrics take their key from here.
 */

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
  return accountRegionKey(scope.account, scope.destinationRegion);
}

/** Every (account, destination Region) of the policies, once, sorted: the scopes a full sweep covers. */
export function retentionScopesOf(config: {
  readonly policies: readonly {
    readonly account: string;
    readonly destinations: readonly { readonly region: string }[];
  }[];
}): RetentionScope[] {
  return copyScopesOf(config).map(({ account, region }) => retentionScope(region, account));
}
