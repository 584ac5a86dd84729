import type { CopyOutcome } from '../copy/outcome.js';
import type { HeldCount, KnownCopy, PairId, PairSpec } from './report-model.js';

/** What the DR evidence report is computed from: records and the config's pairs, read by the caller. */
export interface DrReportInput {
  /** The end of the period (epoch ms). */
  readonly now: number;
  /** The length of the period asked for (`--since`). */
  readonly periodMs: number;
  /** Every outcome record kept in Redis. */
  readonly outcomes: readonly CopyOutcome[];
  /** The newest successful copy of each (source Region, file system, destination), kept beyond outcome retention. */
  readonly knownCopies: readonly (KnownCopy & { readonly policy: string })[];
  /** The pairs of the current config; undefined when no config was given. */
  readonly pairs?: readonly PairSpec[];
  /** The outcome retention of the current config. */
  readonly retention?: { readonly maxCount: number; readonly maxAgeMs: number };
  /** Copies held per pair, and when they were counted (ISO 8601), where something reports them. */
  readonly copiesHeld?: (pair: PairId) => HeldCount | undefined;
}
