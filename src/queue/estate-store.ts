import type { AccountReach } from '../copy/account-region.js';
import type { PolicySelections } from '../copy/policy-file-systems.js';
import type { Selection } from '../schedule/select-file-systems.js';
import type { RedisClient } from './redis-connection.js';
import { serviceKeys } from './queue-names.js';

/** A selector's answer at one slot, as kept between slots. */
export interface StoredSelection extends Selection {
  /** The slot that resolved it (epoch ms). */
  readonly at: number;
}

// Keeps the newer of two answers: two schedulers planning slots of one policy may write out of order. With ARGV[4]
// = '1' an answer as old as the one kept is not written either (the first answer for a slot wins: 1, later ones 0).
const KEEP_NEWER = `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if cur then
  local ok, old = pcall(cjson.decode, cur)
  local at = ok and type(old) == 'table' and tonumber(old['at'])
  if at and (at > tonumber(ARGV[3]) or (ARGV[4] == '1' and at == tonumber(ARGV[3]))) then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`;

/** A stored record, or undefined when it is not a JSON object. */
function parse<T>(text: string): Partial<T> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

/** What each stored selection covers, by `selectionKey`: what RPO, metrics, status and retention go by. */
export function coveredBy(stored: ReadonlyMap<string, StoredSelection>): PolicySelections {
  return new Map([...stored].map(([key, s]) => [key, s.covered]));
}

/**
 * What the service last learned of its estate, shared by every process: what each policy's selector matched at its
 * last slot (RPO, metrics, status and retention go by it between slots), and whether each account's role could be
 * assumed (status and metrics show it).
 */
export class EstateStore {
  private readonly keys: ReturnType<typeof serviceKeys>;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = serviceKeys(prefix);
  }

  /**
   * Keeps a selector's answer for a slot under its `selectionKey` (src/copy/policy-file-systems.ts). True only for
   * the first answer of that slot: a plan job retried for the same slot does not say the same things again.
   */
  async recordSelection(key: string, selection: Selection, slotMs: number): Promise<boolean> {
    const stored: StoredSelection = { ...selection, at: slotMs };
    const args = [key, JSON.stringify(stored), String(slotMs), '1'];
    return (await this.redis.eval(KEEP_NEWER, 1, this.keys.selections, ...args)) === 1;
  }

  /** Every policy's last selection by `selectionKey`, configured now or not. */
  async storedSelections(): Promise<Map<string, StoredSelection>> {
    const all = await this.redis.hgetall(this.keys.selections);
    return new Map(
      Object.entries(all).flatMap(([policy, text]) => {
        const s = parse<StoredSelection>(text);
        // A record of another version (or damaged) is skipped rather than trusted: the next slot writes it again.
        const whole =
          s !== undefined &&
          Number.isFinite(s.at) &&
          [s.selected, s.covered, s.leftOut].every((list) => Array.isArray(list));
        return whole ? [[policy, s as StoredSelection] as const] : [];
      }),
    );
  }

  /** The file systems each selector covered at its last slot (the unavailable ones included). */
  async selections(): Promise<PolicySelections> {
    return coveredBy(await this.storedSelections());
  }

  async recordAccountReach(account: string, reach: AccountReach): Promise<void> {
    await this.redis.eval(
      KEEP_NEWER,
      1,
      this.keys.accountReach,
      account,
      JSON.stringify(reach),
      String(reach.at),
    );
  }

  async accountReach(): Promise<Map<string, AccountReach>> {
    const all = await this.redis.hgetall(this.keys.accountReach);
    return new Map(
      Object.entries(all).flatMap(([account, text]) => {
        const r = parse<AccountReach>(text);
        return r && typeof r.ok === 'boolean' && Number.isFinite(r.at)
          ? [[account, r as AccountReach] as const]
          : [];
      }),
    );
  }
}
