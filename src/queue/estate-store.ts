import type { AccountReach } from '../copy/account-region.js';
import type { PolicySelections } from '../copy/policy-file-systems.js';
import type { Selection } from '../schedule/select-file-systems.js';
import type { RedisClient } from './redis-connection.js';
import { serviceKeys } from './queue-names.js';

/** A selector's answer at one slot, as kept between slots. */
export interface StoredSelection extends Selection {
  /** When the slot resolved it (epoch ms). */
  readonly at: number;
}

// Keeps the newer of two answers: two schedulers planning slots of one policy may write out of order.
const KEEP_NEWER = `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if cur then
  local ok, old = pcall(cjson.decode, cur)
  if ok and type(old) == 'table' and tonumber(old['at']) and tonumber(old['at']) > tonumber(ARGV[3]) then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`;

function parse<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
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

  async recordSelection(policy: string, selection: Selection, at: number): Promise<void> {
    const stored: StoredSelection = { ...selection, at };
    await this.redis.eval(KEEP_NEWER, 1, this.keys.selections, policy, JSON.stringify(stored), String(at));
  }

  /** Every policy's last selection, configured now or not. */
  async storedSelections(): Promise<Map<string, StoredSelection>> {
    const all = await this.redis.hgetall(this.keys.selections);
    return new Map(
      Object.entries(all).flatMap(([policy, text]) => {
        const s = parse<StoredSelection>(text);
        return s && Array.isArray(s.selected) ? [[policy, s] as const] : [];
      }),
    );
  }

  /** The file systems each selector matched at its last slot. */
  async selections(): Promise<PolicySelections> {
    const stored = await this.storedSelections();
    return new Map([...stored].map(([policy, s]) => [policy, s.selected]));
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
        return r && typeof r.ok === 'boolean' ? [[account, r] as const] : [];
      }),
    );
  }
}
