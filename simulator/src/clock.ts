/**
 * The simulator's notion of "now". Every lifecycle is computed from it on each read, so a test that owns a manual
 * clock decides when copies finish, while a demo on the real clock sees them finish on their own.
 */
export interface SimulatorClock {
  /** `real` follows `Date.now()`; `manual` only moves when the test moves it. */
  readonly kind: 'real' | 'manual';
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Moves a manual clock forward by `ms` (not backwards: lifecycles would un-happen). Throws on the real clock. */
  advance(ms: number): void;
  /** Sets a manual clock to an absolute time, not earlier than now. Throws on the real clock. */
  set(epochMs: number): void;
}

/** The default clock: wall time, so copies complete while a demo watches. */
export function createRealClock(): SimulatorClock {
  return {
    kind: 'real',
    now: () => Date.now(),
    advance: () => {
      throw new Error(
        'the FSx simulator runs on the real clock; start it with { clock: "manual" } to move time',
      );
    },
    set: () => {
      throw new Error(
        'the FSx simulator runs on the real clock; start it with { clock: "manual" } to move time',
      );
    },
  };
}

/** A clock that stands still until told, so a test can put a copy exactly at 99 % or exactly at its end. */
export function createManualClock(startEpochMs: number): SimulatorClock {
  let current = startEpochMs;
  const check = (ms: number, what: string): void => {
    if (!Number.isFinite(ms)) throw new Error(`${what} must be a finite number of milliseconds, got ${ms}`);
  };
  return {
    kind: 'manual',
    now: () => current,
    advance: (ms) => {
      check(ms, 'clock.advance(ms)');
      if (ms < 0) throw new Error('clock.advance(ms) cannot go backwards');
      current += ms;
    },
    set: (epochMs) => {
      check(epochMs, 'clock.set(epochMs)');
      if (epochMs < current) throw new Error('clock.set(epochMs) cannot go backwards');
      current = epochMs;
    },
  };
}
