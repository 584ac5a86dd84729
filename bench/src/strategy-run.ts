import type { ApiEconomy } from './api-economy.js';
import type { ScenarioId } from './bench-profile.js';
import type { CopyInterval } from './copy-recorder.js';
import type { SlotMetrics } from './slot-metrics.js';

/** Who made the copies: the service, or one of the two baselines a team might write instead. */
export type Strategy = 'service' | 'sequential' | 'retry-all';

/** One strategy on one scenario: the slot figures, the FSx calls, and the copy intervals for the chart. */
export interface StrategyRun {
  readonly scenario: ScenarioId;
  readonly strategy: Strategy;
  readonly label: string;
  /** `real` for the service; `virtual` for the baselines (simulator clock moved by the client: zero latency). */
  readonly clock: 'real' | 'virtual';
  readonly pollMs: number;
  readonly pollFraction: number;
  readonly retryMs?: number;
  readonly slots: SlotMetrics;
  readonly api: ApiEconomy;
  /** The same, counting only calls to the destination Regions (the polls and CopyBackups, not the plan's listing). */
  readonly destinationApi?: ApiEconomy;
  readonly intervals: readonly CopyInterval[];
  readonly failedCopies: number;
  readonly wallMs: number;
  /** The service process, measured from outside (/proc). */
  readonly service?: {
    readonly cpuMs: number;
    readonly peakRssBytes: number;
    readonly timeToFirstCopyMs: number;
    readonly planMs: number;
  };
}
