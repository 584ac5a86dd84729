import { createSeededRandom, type SeededRandom } from '../../simulator/src/seeded-random.js';

/**
 * The chaos run's randomness: every choice the runner makes (which process dies, when, which faults, which file
 * systems get new backups) is drawn from streams of one seed, so a failing run is repeated with `--seed`. The
 * operating system's scheduling is not seeded, so a repeat follows the same plan, not the same interleaving.
 */
export class ChaosRandom {
  private readonly stream: SeededRandom;

  constructor(
    readonly seed: number,
    salt: number,
  ) {
    this.stream = createSeededRandom((seed ^ Math.imul(salt, 0x9e3779b1)) >>> 0);
  }

  /** A float in [0, 1). */
  next(): number {
    return this.stream.next();
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A value drawn uniformly from a [min, max] range. */
  between(range: readonly [number, number]): number {
    return this.int(range[0], range[1]);
  }

  chance(probability: number): boolean {
    return probability > 0 && this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i -= 1) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }

  /** `count` distinct items (all of them when there are fewer). */
  sample<T>(items: readonly T[], count: number): T[] {
    return this.shuffle(items).slice(0, count);
  }
}

/** A stateless draw in [0, 1) from (seed, n): decisions keyed by a copy's sequence repeat whatever the timing. */
export function hashUnit(seed: number, n: number, salt = 0): number {
  let h = (seed ^ Math.imul(n + 1, 0x85ebca6b) ^ Math.imul(salt + 1, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** A fresh seed when none is given: printed, so the run can be repeated. */
export function newSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff) + 1;
}
