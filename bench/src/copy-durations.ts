import { createHash } from 'node:crypto';

/**
 * How long each simulated copy takes. Real FSx copies range from minutes (incremental) to hours (a first full
 * copy), so durations are skewed: log-normal with the given mean and shape. Each duration is a pure function of
 * the seed and the copy's identity (source backup, destination Region), not of when or by whom the copy is started,
 * so the service and every baseline face exactly the same copy set.
 */
export interface CopyDurationModel {
  readonly seed: number;
  /** Mean duration in milliseconds (of the time-compressed run). */
  readonly meanMs: number;
  /** Shape: the standard deviation of the underlying normal; 0.5 gives a coefficient of variation of 0.53. */
  readonly sigma: number;
}

/** Two independent uniforms in (0, 1) from a hash of the copy's identity. */
function uniforms(seed: number, sourceBackupId: string, destinationRegion: string): [number, number] {
  const h = createHash('sha256').update(`${seed}|${sourceBackupId}|${destinationRegion}`).digest();
  // 48 bits each, shifted off zero so the logarithm below is finite.
  const u1 = (h.readUIntBE(0, 6) + 0.5) / 2 ** 48;
  const u2 = (h.readUIntBE(6, 6) + 0.5) / 2 ** 48;
  return [u1, u2];
}

/** The duration of one copy, in whole milliseconds (at least 1, as the simulator requires). */
export function copyDurationMs(
  model: CopyDurationModel,
  sourceBackupId: string,
  destinationRegion: string,
): number {
  const [u1, u2] = uniforms(model.seed, sourceBackupId, destinationRegion);
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  // Chosen so that the mean of the log-normal is exactly meanMs.
  const mu = Math.log(model.meanMs) - (model.sigma * model.sigma) / 2;
  return Math.max(1, Math.round(Math.exp(mu + model.sigma * z)));
}
