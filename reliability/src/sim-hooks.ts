import type { CopyInfo, FsxSimulator, RecordedRequest, RequestInfo } from '../../simulator/src/index.js';
import { hashUnit } from './chaos-random.js';

/** One copy the simulator made on a CopyBackup request, with the token of the request that made it. */
export interface LedgerCopy {
  readonly destinationBackupId: string;
  readonly destinationRegion: string;
  readonly sourceBackupId: string;
  readonly sourceRegion: string;
  readonly start: number;
  readonly end: number;
  /** The ClientRequestToken of the request that created the copy (undefined if it could not be matched). */
  readonly token: string | undefined;
  readonly failed: boolean;
}

/** Latency spikes: this share of requests waits a time drawn from the range (real milliseconds). */
export interface LatencySpikes {
  readonly share: number;
  readonly rangeMs: readonly [number, number];
}

const MATCH_WINDOW = 4_000;

/**
 * The chaos runner's hooks into the in-process FSx simulator: copy durations and failures keyed by the copy's
 * sequence number (so a seed repeats them), latency spikes, and a ledger binding every copy to the
 * ClientRequestToken that created it. The ledger is what separates a real over-admission (a request for a sixth
 * slot) from a retry of a request whose copy already exists, which FSx answers from its idempotency token without
 * taking a slot.
 */
export class SimHooks {
  readonly copies = new Map<string, LedgerCopy>();
  copyFailureRate: number;
  latency: LatencySpikes | undefined;
  private sim: FsxSimulator | undefined;
  private readonly latencies = new WeakMap<RecordedRequest, number>();
  private latencyDraws = 0;

  constructor(
    private readonly seed: number,
    private readonly copyDurationMs: readonly [number, number],
    baseCopyFailureRate: number,
  ) {
    this.copyFailureRate = baseCopyFailureRate;
  }

  attach(sim: FsxSimulator): void {
    this.sim = sim;
  }

  /** The simulator's `latencyMs`: called synchronously right after the request is recorded. */
  readonly latencyMs = (_request: RequestInfo): number => {
    const spikes = this.latency;
    this.latencyDraws += 1;
    const ms =
      spikes && hashUnit(this.seed, this.latencyDraws, 3) < spikes.share
        ? spikes.rangeMs[0] +
          hashUnit(this.seed, this.latencyDraws, 4) * (spikes.rangeMs[1] - spikes.rangeMs[0])
        : 0;
    const current = this.sim?.requests.at(-1);
    if (current) this.latencies.set(current, ms);
    return Math.round(ms);
  };

  /** The simulator's `copyDuration`: also the moment a copy is created, so the ledger records it here. */
  readonly copyDuration = (info: CopyInfo): number => {
    const [min, max] = this.copyDurationMs;
    const duration = Math.round(min + hashUnit(this.seed, info.sequence, 1) * (max - min));
    this.copies.set(info.destinationBackupId, {
      destinationBackupId: info.destinationBackupId,
      destinationRegion: info.destinationRegion,
      sourceBackupId: info.sourceBackupId,
      sourceRegion: info.sourceRegion,
      start: info.startedAt,
      end: info.startedAt + duration,
      token: this.creatingToken(info),
      failed: false,
    });
    return duration;
  };

  /** The simulator's `copyFailure`: a seeded share of copies end FAILED, more during the failed-copies phase. */
  readonly copyFailure = (info: CopyInfo): string | undefined => {
    if (!(hashUnit(this.seed, info.sequence, 2) < this.copyFailureRate)) return undefined;
    const copy = this.copies.get(info.destinationBackupId);
    if (copy) this.copies.set(info.destinationBackupId, { ...copy, failed: true });
    return 'Simulated by the chaos run: the copy failed in the destination Region';
  };

  /**
   * The request being served when a copy is created: a CopyBackup for this source in this Region, not answered
   * yet, not hung by a fault, whose latency has elapsed; the latest such one.
   */
  private creatingToken(info: CopyInfo): string | undefined {
    const requests = this.sim?.requests ?? [];
    for (let i = requests.length - 1; i >= 0; i -= 1) {
      const r = requests[i];
      if (r === undefined || info.startedAt - r.time > MATCH_WINDOW) break;
      if (r.operation !== 'CopyBackup' || r.region !== info.destinationRegion) continue;
      if (r.status !== undefined || r.injected !== undefined) continue;
      const params = r.params as { SourceBackupId?: unknown; ClientRequestToken?: unknown } | undefined;
      if (params?.SourceBackupId !== info.sourceBackupId) continue;
      if (r.time + (this.latencies.get(r) ?? 0) > info.startedAt + 5) continue;
      return typeof params.ClientRequestToken === 'string' ? params.ClientRequestToken : undefined;
    }
    return undefined;
  }
}
