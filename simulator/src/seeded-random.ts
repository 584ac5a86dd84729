/**
 * A small deterministic random source (mulberry32). Ids, fault draws and failure draws come from separate streams
 * of one seed, so the same seed and the same request sequence give the same run, and adding a fault rate does not
 * change the ids a test has already written down.
 */
export interface SeededRandom {
  /** A float in [0, 1). */
  next(): number;
  /** `length` lowercase hex digits. */
  hex(length: number): string;
  /** Back to the seed, so `sim.reset()` makes a run repeat from the start. */
  reset(): void;
}

export function createSeededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const reset = (): void => {
    state = seed >>> 0;
  };
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    reset,
    hex: (length) => {
      let out = '';
      while (out.length < length) out += Math.floor(next() * 16).toString(16);
      return out;
    },
  };
}

/** The independent streams the simulator draws from. */
export interface RandomStreams {
  readonly ids: SeededRandom;
  readonly faults: SeededRandom;
  readonly copyFailures: SeededRandom;
  /** Role ids and the keys, secrets and tokens AssumeRole issues. */
  readonly credentials: SeededRandom;
}

export function createRandomStreams(seed: number): RandomStreams {
  return {
    ids: createSeededRandom(seed),
    faults: createSeededRandom(seed ^ 0x5bd1e995),
    copyFailures: createSeededRandom(seed ^ 0x27d4eb2f),
    credentials: createSeededRandom(seed ^ 0x165667b1),
  };
}
