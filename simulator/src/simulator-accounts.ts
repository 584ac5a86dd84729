import type { SimulatorClock } from './clock.js';
import type { SeededRandom } from './seeded-random.js';
import { SimulatorState, type AccountDirectory } from './simulator-state.js';

/**
 * Every simulated account, by id. FSx state (file systems, backups, tokens, copy slots) belongs to one account, as
 * in AWS; what spans accounts lives here: backup ids unique across all of them, and one sequence of copies for
 * `CopyInfo.sequence`. The default account always exists, so a caller that never names one sees one account.
 */
export class SimulatorAccounts implements AccountDirectory {
  readonly #accounts = new Map<string, SimulatorState>();
  #copySequence = 0;

  constructor(
    readonly clock: SimulatorClock,
    readonly ids: SeededRandom,
    readonly defaultAccountId: string,
  ) {
    this.account(defaultAccountId);
  }

  /** An account's state, created on first use (accounts are created by naming them, as a test sets one up). */
  account(accountId: string = this.defaultAccountId): SimulatorState {
    let state = this.#accounts.get(accountId);
    if (!state) {
      if (accountId !== this.defaultAccountId) checkAccountId(accountId);
      state = new SimulatorState(this.clock, this.ids, accountId, this);
      this.#accounts.set(accountId, state);
    }
    return state;
  }

  /** An account's state without creating it (observing an account should not make it appear). */
  peek(accountId: string = this.defaultAccountId): SimulatorState | undefined {
    return this.#accounts.get(accountId);
  }

  accountIds(): string[] {
    return [...this.#accounts.keys()].sort();
  }

  isBackupIdTaken(backupId: string, exceptAccountId?: string): boolean {
    for (const [accountId, state] of this.#accounts) {
      if (accountId !== exceptAccountId && state.holdsBackupId(backupId)) return true;
    }
    return false;
  }

  nextCopySequence(): number {
    this.#copySequence += 1;
    return this.#copySequence;
  }

  /** Forgets every account but an empty default one, and restarts the copy sequence. */
  reset(): void {
    this.#accounts.clear();
    this.#copySequence = 0;
    this.account(this.defaultAccountId);
  }
}

/** A named account must look like one; the default is whatever `options.accountId` said, as it always was. */
function checkAccountId(accountId: string): void {
  if (!/^\d{12}$/.test(accountId)) throw new Error(`account id ${accountId} is not 12 digits`);
}
