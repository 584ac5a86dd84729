/**
 * The unit FSx counts copies in: an account and a Region (docs/fsx-notes.md, "Accounts"). Copy and retention queues,
 * global concurrency, the Region-full pause, deduplication keys, outcome records and metrics are keyed by both.
 * A policy without `account` runs in the service's own account, `default`, whose names and keys are today's (the
 * Region alone), so a deployment that names no account sees nothing change.
 */
export const DEFAULT_ACCOUNT = 'default';

export interface AccountRegion {
  readonly account: string;
  readonly region: string;
}

/**
 * (account, Region) as one readable token without `:` (BullMQ refuses it in queue names and job ids): the Region
 * alone for the default account, `<account>.<region>` for any other. Account names have no '.', Regions neither, so
 * the token reads back unambiguously.
 */
export function accountRegionKey(account: string, region: string): string {
  return account === DEFAULT_ACCOUNT ? region : `${account}.${region}`;
}

/** The (account, Region) of an `accountRegionKey` token. */
export function parseAccountRegionKey(key: string): AccountRegion {
  const dot = key.indexOf('.');
  return dot < 0
    ? { account: DEFAULT_ACCOUNT, region: key }
    : { account: key.slice(0, dot), region: key.slice(dot + 1) };
}

/** The account a record or job names, for data written before accounts existed too (they have none). */
export function accountOf(value: { readonly account?: string | undefined }): string {
  return value.account === undefined || value.account === '' ? DEFAULT_ACCOUNT : value.account;
}

/** The `account` member a job or record carries: none for the default account, so its data stays as it was. */
export function accountMember(account: string): { readonly account?: string } {
  return account === DEFAULT_ACCOUNT ? {} : { account };
}

/**
 * Every (account, destination Region) of the policies, once each, sorted by key: one copy queue (and worker) each.
 */
export function copyScopesOf(config: {
  readonly policies: readonly {
    readonly account: string;
    readonly destinations: readonly { readonly region: string }[];
  }[];
}): AccountRegion[] {
  const keys = new Set(
    config.policies.flatMap((p) => p.destinations.map((d) => accountRegionKey(p.account, d.region))),
  );
  return [...keys].sort().map(parseAccountRegionKey);
}

/** What became of the last attempt to reach an account (for `status` and the metrics). */
export type AccountReach =
  | { readonly ok: true; readonly at: number }
  | { readonly ok: false; readonly at: number; readonly errorName: string; readonly roleArn: string };

/** An error of assuming an account's role, as the FSx adapter tells it apart from FSx's own. */
export interface AccountFailure {
  readonly account: string;
  readonly roleArn: string;
  /** STS's error name (`AccessDenied`, ...), or the network's (`TimeoutError`). */
  readonly errorName: string;
  /** Throttling, time-outs, 5xx of STS: the plan job is retried rather than the slot given up. */
  readonly transient: boolean;
}
