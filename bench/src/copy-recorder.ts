import type { CopyInfo, FsxSimulator } from '../../simulator/src/index.js';
import { copyDurationMs, type CopyDurationModel } from './copy-durations.js';

/** The key of a copy's duration: its source backup and destination Region. */
export function durationKey(sourceBackupId: string, destinationRegion: string): string {
  return `${sourceBackupId}|${destinationRegion}`;
}

/** One copy as it held a slot in the simulator: `[start, end)` on the simulator clock. */
export interface CopyInterval {
  readonly destinationRegion: string;
  readonly sourceBackupId: string;
  readonly destinationBackupId: string;
  readonly start: number;
  readonly end: number;
}

/**
 * The ground truth of a run: the simulator asks for a copy's duration exactly when it accepts a CopyBackup, so
 * answering that question is also the one place that sees every copy start and knows when it will end (become
 * AVAILABLE). Nothing the service or a baseline reports is trusted for the slot figures.
 */
export class CopyRecorder {
  readonly #intervals: CopyInterval[] = [];
  /** Durations set by a scenario for its own copies (scenario (a)'s long and short ones), by `durationKey`. */
  #fixed: ReadonlyMap<string, number> = new Map();

  constructor(private readonly model: CopyDurationModel | { readonly fixedMs: number }) {}

  /** Points the simulator's copy durations at this recorder. */
  attach(sim: FsxSimulator): void {
    sim.configure({ copyDuration: (info) => this.#decide(info) });
  }

  /** From now on, copies named in `durations` (by `durationKey`) take that long; the others follow the model. */
  useDurations(durations: ReadonlyMap<string, number>): void {
    this.#fixed = durations;
  }

  #decide(info: CopyInfo): number {
    const ms =
      this.#fixed.get(durationKey(info.sourceBackupId, info.destinationRegion)) ??
      ('fixedMs' in this.model
        ? this.model.fixedMs
        : copyDurationMs(this.model, info.sourceBackupId, info.destinationRegion));
    const duration = Math.max(1, ms);
    this.#intervals.push({
      destinationRegion: info.destinationRegion,
      sourceBackupId: info.sourceBackupId,
      destinationBackupId: info.destinationBackupId,
      start: info.startedAt,
      end: info.startedAt + duration,
    });
    return duration;
  }

  intervals(): readonly CopyInterval[] {
    return this.#intervals;
  }

  clear(): void {
    this.#intervals.length = 0;
  }
}
