import type { BackupRecord } from './backup-record.js';
import type { SeededRandom } from './seeded-random.js';
import type { ResolvedBehaviour } from './simulator-options.js';
import type { SimulatorState } from './simulator-state.js';

/** What an FSx operation handler gets: the Region it was called in, one instant of time, and the account. */
export interface OperationContext {
  /** The Region of the request's SigV4 scope (for CopyBackup: the destination). */
  readonly region: string;
  /** One clock reading per request, so a response is consistent with itself. */
  readonly now: number;
  /** The caller's account. */
  readonly state: SimulatorState;
  readonly behaviour: ResolvedBehaviour;
  readonly copyFailureRandom: SeededRandom;
  /** The wire `Backup`, with any response faults applied. */
  renderBackup(record: BackupRecord): Record<string, unknown>;
}

/** One FSx operation: validated body in, JSON 1.1 output out, or a thrown `SimulatedFsxError`. */
export type OperationHandler = (
  ctx: OperationContext,
  body: Record<string, unknown>,
) => Record<string, unknown>;
