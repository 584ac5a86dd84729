import type { RegionState } from './simulator-state.js';
import { SimulatedFsxError } from './simulated-fsx-error.js';

/**
 * FSx idempotency on `ClientRequestToken`, per Region and with no expiry (none is documented): the same token
 * with the same parameters returns what the first request made, whatever has happened to it since; the same token
 * with other parameters is `IncompatibleParameterError` naming the first member that differs.
 */

/** Request members that define "the same request", each JSON-encoded (`undefined` for absent). */
export type TokenParams = Record<string, unknown>;

function encode(params: TokenParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) out[key] = JSON.stringify(value) ?? 'null';
  return out;
}

/**
 * The backup id a repeated request already produced, or undefined when the token is new.
 * Throws IncompatibleParameterError when the token was used with other parameters (or by another operation).
 */
export function replayedBackupId(
  region: RegionState,
  token: string | undefined,
  operation: string,
  params: TokenParams,
): string | undefined {
  if (token === undefined) return undefined;
  const remembered = region.tokens.get(token);
  if (!remembered) return undefined;
  if (remembered.operation !== operation) {
    throw incompatible('ClientRequestToken', `was used by an earlier ${remembered.operation} request`);
  }
  const now = encode(params);
  const keys = new Set([...Object.keys(now), ...Object.keys(remembered.params)]);
  for (const key of keys) {
    if ((now[key] ?? 'null') !== (remembered.params[key] ?? 'null')) {
      throw incompatible(key, 'differs from the earlier request with the same ClientRequestToken');
    }
  }
  return remembered.backupId;
}

/** Remembers a successful request's token and result. */
export function rememberToken(
  region: RegionState,
  token: string | undefined,
  operation: string,
  params: TokenParams,
  backupId: string,
): void {
  if (token === undefined) return;
  region.tokens.set(token, { operation, params: encode(params), backupId });
}

function incompatible(parameter: string, why: string): SimulatedFsxError {
  return new SimulatedFsxError('IncompatibleParameterError', `Parameter ${parameter} ${why}.`, {
    Parameter: parameter,
  });
}
