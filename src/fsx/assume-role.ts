import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { Account } from '../config/types.js';
import type { AccountFailure } from '../copy/account-region.js';
import { isTransientFsxError } from '../copy/classify-copy-error.js';
import { toFsxErrorFacts } from './error-facts.js';

type Credentials = Awaited<ReturnType<ReturnType<typeof fromTemporaryCredentials>>>;

/** An account's credentials, as an FSx client takes them. */
export type AccountCredentials = () => Promise<Credentials>;

/** Credentials are fetched again when less than this is left of them (the SDK's own margin for role sessions). */
const REFRESH_MARGIN_MS = 5 * 60_000;
/** A refused AssumeRole is not asked again for this long: every call of the account fails fast meanwhile. */
const REFUSAL_MEMORY_MS = 10_000;
/** One STS request, at most: a Region's STS endpoint that does not answer must not hold a slot's planning. */
const STS_REQUEST_TIMEOUT_MS = 10_000;
/** Role sessions last an hour; a process on role credentials already (IRSA, ECS) is capped at that anyway. */
const SESSION_SECONDS = 3600;

/**
 * An AssumeRole that did not give credentials. Named by STS's error (`AccessDenied`, `InvalidClientTokenId`,
 * `RegionDisabledException`, ... or `TimeoutError`), with the account and role it was for, and STS's fault and
 * status kept so the error classifier reads it as it would read the original.
 */
export class AssumeRoleError extends Error {
  readonly account: string;
  readonly roleArn: string;
  readonly $fault?: 'client' | 'server';
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly code?: string;
  /** No FSx request was sent for want of credentials (read by toFsxErrorFacts). */
  readonly notSent = true;

  constructor(account: Account, cause: unknown) {
    const e = (typeof cause === 'object' && cause !== null ? cause : {}) as Record<string, unknown>;
    const message = typeof e['message'] === 'string' ? e['message'] : String(cause);
    super(`could not assume ${account.roleArn} for account ${account.name}: ${message}`, { cause });
    this.name = typeof e['name'] === 'string' && e['name'] !== '' ? e['name'] : 'AssumeRoleFailed';
    this.account = account.name;
    this.roleArn = account.roleArn;
    if (e['$fault'] === 'client' || e['$fault'] === 'server') this.$fault = e['$fault'];
    const metadata = e['$metadata'] as { httpStatusCode?: unknown } | undefined;
    if (typeof metadata?.httpStatusCode === 'number')
      this.$metadata = { httpStatusCode: metadata.httpStatusCode };
    if (typeof e['code'] === 'string') this.code = e['code'];
  }
}

/** The account and STS error of an error that came from assuming an account's role, else undefined. */
export function assumeRoleFailureOf(err: unknown): AccountFailure | undefined {
  if (!(err instanceof AssumeRoleError)) return undefined;
  return {
    account: err.account,
    roleArn: err.roleArn,
    errorName: err.name,
    transient: isTransientFsxError(toFsxErrorFacts(err)),
  };
}

/** What the STS client of an account's credentials is built with (tests pass the simulator's endpoint). */
export interface AssumeRoleOptions {
  readonly stsEndpoint?: string;
  readonly now?: () => number;
}

/**
 * Credentials of an account: STS AssumeRole on the service's own credentials, with the account's `externalId`, under
 * a session name that says fsx-dr (it shows in the account's CloudTrail). Shared by every Region's FSx client of the
 * account, so one AssumeRole serves them all; fetched again five minutes before they expire. A refusal is remembered
 * for ten seconds, so an account whose role is broken costs one STS call per ten seconds, not one per FSx call.
 */
export function assumeRoleCredentials(account: Account, options: AssumeRoleOptions = {}): AccountCredentials {
  const now = options.now ?? Date.now;
  // No Region for STS: it is asked in the Region of the FSx client that needs the credentials, which validation
  // keeps in the role's partition (a role is assumed only within its partition).
  const provider = fromTemporaryCredentials({
    params: {
      RoleArn: account.roleArn,
      RoleSessionName: `fsx-dr-${account.name}`.slice(0, 64),
      DurationSeconds: SESSION_SECONDS,
      ...(account.externalId !== undefined ? { ExternalId: account.externalId } : {}),
    },
    clientConfig: {
      maxAttempts: 2,
      requestHandler: {
        requestTimeout: STS_REQUEST_TIMEOUT_MS,
        connectionTimeout: 5_000,
        throwOnRequestTimeout: true,
      },
      ...(options.stsEndpoint !== undefined ? { endpoint: options.stsEndpoint } : {}),
    },
  });
  let held: Credentials | undefined;
  let pending: Promise<Credentials> | undefined;
  let refusal: { readonly until: number; readonly error: AssumeRoleError } | undefined;
  /** When the held credentials stop working: STS's Expiration, or a session's length if it gave none. */
  let expiresAt = 0;
  const fresh = (): boolean => held !== undefined && expiresAt - now() > REFRESH_MARGIN_MS;
  const fetch = async (): Promise<Credentials> => {
    if (refusal && now() < refusal.until) throw refusal.error;
    try {
      const got = await provider();
      held = got;
      expiresAt = got.expiration?.getTime() ?? now() + SESSION_SECONDS * 1000;
      refusal = undefined;
      return got;
    } catch (err) {
      const error = new AssumeRoleError(account, err);
      // Only a refusal is remembered: throttling or a time-out is asked again at the caller's next retry.
      if (!isTransientFsxError(toFsxErrorFacts(error))) {
        refusal = { until: now() + REFUSAL_MEMORY_MS, error };
      }
      // Credentials still valid (a refresh inside the margin failed) keep serving until they expire.
      if (held !== undefined && expiresAt > now()) return held;
      throw error;
    }
  };
  // Callers that come while STS is being asked share its answer rather than asking again.
  const shared = (): Promise<Credentials> => {
    if (pending) return pending;
    const p = fetch();
    pending = p;
    const clear = (): void => {
      if (pending === p) pending = undefined;
    };
    p.then(clear, clear);
    return p;
  };
  return () => (held !== undefined && fresh() ? Promise.resolve(held) : shared());
}
