import type { SeededRandom } from './seeded-random.js';
import type { RequestInfo, ResolvedBehaviour } from './simulator-options.js';
import { SimulatedFsxError, internalServerError, throttlingException } from './simulated-fsx-error.js';

/**
 * Which requests go wrong, and how. One-shot rules (`failNext`, `hangNext`) are matched first, then the seeded
 * rates. "Before the effect" faults answer instead of running the operation (the SDK's retry then really repeats
 * it); "after the effect" ones run it and then lose or garble the answer, the case that makes idempotency tokens
 * matter.
 */
export interface FailNextRule {
  /** The FSx operation, e.g. `CopyBackup`, or the STS action, e.g. `AssumeRole`. */
  readonly operation: string;
  /** Only requests to this Region (default: any). */
  readonly region?: string | undefined;
  /** Only requests of this account, the caller's (default: any). */
  readonly accountId?: string | undefined;
  /**
   * The error name, e.g. `ServiceLimitExceeded`; the SDK throws its class of that name. For an STS action it is
   * the XML `Error.Code`, e.g. `AccessDenied` or `RegionDisabledException`.
   */
  readonly name: string;
  readonly message?: string | undefined;
  /** Extra members, e.g. `{ Limit: 'TOTAL_IN_PROGRESS_COPY_BACKUPS' }`. */
  readonly members?: Readonly<Record<string, unknown>> | undefined;
  /** HTTP status (default 400; 5xx marks a server fault, which the SDK retries). */
  readonly status?: number | undefined;
  /** How many matching requests fail (default 1). */
  readonly count?: number | undefined;
  /** Run the operation, then answer with the error anyway (default false). */
  readonly afterEffect?: boolean | undefined;
}

export interface HangNextRule {
  /** Default: any FSx operation; an STS action hangs only when named here. */
  readonly operation?: string | undefined;
  readonly region?: string | undefined;
  readonly accountId?: string | undefined;
  /** How many matching requests hang (default 1). */
  readonly count?: number | undefined;
  /** Run the operation, then never answer (default false). */
  readonly afterEffect?: boolean | undefined;
}

/** How a fault showed itself, as recorded in `sim.requests`. */
export type InjectedFault = 'failNext' | 'serverError' | 'throttle' | 'hang' | 'malformed';

export type FaultDecision =
  | { readonly kind: 'none' }
  | { readonly kind: 'error'; readonly error: SimulatedFsxError; readonly injected: InjectedFault }
  | { readonly kind: 'hang' }
  | { readonly kind: 'malformed' };

const NONE: FaultDecision = { kind: 'none' };

interface Pending<T> {
  readonly rule: T;
  remaining: number;
}

interface RuleScope {
  operation?: string | undefined;
  region?: string | undefined;
  accountId?: string | undefined;
  afterEffect?: boolean | undefined;
}

/** With `named`, a rule matches only when it names the operation: how STS actions keep out of FSx-wide rules. */
function matches(rule: RuleScope, req: RequestInfo, named: boolean): boolean {
  const operation = rule.operation === undefined ? !named : rule.operation === req.operation;
  return (
    operation &&
    (rule.region ?? req.region) === req.region &&
    (rule.accountId ?? req.accountId) === req.accountId
  );
}

function take<T extends RuleScope>(
  queue: Array<Pending<T>>,
  req: RequestInfo,
  afterEffect: boolean,
  named = false,
): T | undefined {
  const index = queue.findIndex(
    (p) => (p.rule.afterEffect ?? false) === afterEffect && matches(p.rule, req, named),
  );
  const pending = queue[index];
  if (!pending) return undefined;
  pending.remaining -= 1;
  if (pending.remaining <= 0) queue.splice(index, 1);
  return pending.rule;
}

export class FaultPlan {
  readonly #failures: Array<Pending<FailNextRule>> = [];
  readonly #hangs: Array<Pending<HangNextRule>> = [];

  failNext(rule: FailNextRule): void {
    this.#failures.push({ rule, remaining: rule.count ?? 1 });
  }

  hangNext(rule: HangNextRule = {}): void {
    this.#hangs.push({ rule, remaining: rule.count ?? 1 });
  }

  clear(): void {
    this.#failures.length = 0;
    this.#hangs.length = 0;
  }

  /** Decided before the operation runs. */
  beforeEffect(req: RequestInfo, behaviour: ResolvedBehaviour, random: SeededRandom): FaultDecision {
    const rule = take(this.#failures, req, false);
    if (rule) return failure(rule);
    if (take(this.#hangs, req, false)) return { kind: 'hang' };
    if (!inScope(req, behaviour)) return NONE;
    if (draw(random, behaviour.hangRate)) return { kind: 'hang' };
    if (draw(random, behaviour.serverErrorRate)) {
      return { kind: 'error', error: internalServerError(), injected: 'serverError' };
    }
    if (draw(random, behaviour.throttleRate)) {
      return { kind: 'error', error: throttlingException(), injected: 'throttle' };
    }
    return NONE;
  }

  /**
   * For STS actions: only one-shot rules that name the action, never the rates (they are FSx's), so FSx fault
   * settings leave role assumption alone unless a test asks for an STS fault by name.
   */
  namedOnly(req: RequestInfo, afterEffect: boolean): FaultDecision {
    const rule = take(this.#failures, req, afterEffect, true);
    if (rule) return failure(rule);
    if (take(this.#hangs, req, afterEffect, true)) return { kind: 'hang' };
    return NONE;
  }

  /** Decided after the operation ran and succeeded. */
  afterEffect(req: RequestInfo, behaviour: ResolvedBehaviour, random: SeededRandom): FaultDecision {
    const rule = take(this.#failures, req, true);
    if (rule) return failure(rule);
    if (take(this.#hangs, req, true)) return { kind: 'hang' };
    if (inScope(req, behaviour) && draw(random, behaviour.malformedRate)) return { kind: 'malformed' };
    return NONE;
  }
}

function failure(rule: FailNextRule): FaultDecision {
  const error = new SimulatedFsxError(
    rule.name,
    rule.message ?? `${rule.name} (injected by the FSx simulator).`,
    { ...rule.members },
    rule.status ?? 400,
  );
  return { kind: 'error', error, injected: 'failNext' };
}

function inScope(req: RequestInfo, behaviour: ResolvedBehaviour): boolean {
  return behaviour.faultOperations === undefined || behaviour.faultOperations.includes(req.operation);
}

/** Draws only when the rate is set: a run without rates consumes no randomness, and one seed repeats a run. */
function draw(random: SeededRandom, rate: number): boolean {
  return rate > 0 && random.next() < rate;
}
