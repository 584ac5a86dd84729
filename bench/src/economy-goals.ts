import type { GoalCheck } from './bench-results.js';
import type { EconomyResults, PollingRow } from './economy-results.js';

/** Issue 13's goals for the economy scenarios, checked against what was measured (reported, never asserted). */
const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
const s2 = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const percentOf = (f: number): string => `${(f * 100).toFixed(0)} %`;

function contendedGoals(results: EconomyResults, judged: (ok: boolean) => GoalCheck['met']): GoalCheck[] {
  const { rows, reference } = results.contended;
  const fifo = rows.find((r) => r.behaviour === 'today');
  const urgency = rows.find((r) => r.behaviour === 'new');
  if (!fifo || !urgency) return [];
  const oracle = reference.oracle;
  return [
    {
      goal: '(a) urgency-first RPO breaches ≤ 1/3 of FIFO’s',
      measured: `${urgency.measured.breaches} against ${fifo.measured.breaches} of ${urgency.measured.pairs} pairs`,
      met: judged(urgency.measured.breaches * 3 <= fifo.measured.breaches),
    },
    {
      goal: '(a) urgency-first total breach time within 10 % of the oracle’s',
      measured:
        `${s2(urgency.measured.totalBreachMs)} against ${s2(oracle.totalBreachMs)}` +
        ` (${oracle.exact ? 'exact optimum' : 'best order found, not proved optimal'}; FIFO ${s2(fifo.measured.totalBreachMs)})`,
      met: judged(urgency.measured.totalBreachMs <= 1.1 * oracle.totalBreachMs),
    },
  ];
}

function foreignGoals(results: EconomyResults, judged: (ok: boolean) => GoalCheck['met']): GoalCheck[] {
  const fixed = results.foreign.rows.find((r) => r.behaviour === 'today');
  const adaptive = results.foreign.rows.find((r) => r.behaviour === 'new');
  if (!fixed || !adaptive) return [];
  return [
    {
      goal: '(b) share of free slot time used by the service ≥ 95 %, adaptive probe',
      measured: `${pct(adaptive.use.share)} (today’s fixed pause: ${pct(fixed.use.share)})`,
      met: judged(adaptive.use.share >= 0.95),
    },
  ];
}

function pollingGoals(results: EconomyResults, judged: (ok: boolean) => GoalCheck['met']): GoalCheck[] {
  const goals: GoalCheck[] = [];
  const find = (set: PollingRow['set'], behaviour: PollingRow['behaviour'], poll: number) =>
    results.polling.find((r) => r.set === set && r.behaviour === behaviour && r.pollFraction === poll);
  for (const batched of results.polling.filter((r) => r.behaviour === 'new')) {
    const today = find(batched.set, 'today', batched.pollFraction);
    if (!today) continue;
    const ratio = batched.api.describeBackupsPerCopy / today.api.describeBackupsPerCopy;
    goals.push({
      goal: `(c) DescribeBackups per copy batched ≤ 1/5 of per-copy, ${batched.title}, poll ${percentOf(batched.pollFraction)}`,
      measured: `${batched.api.describeBackupsPerCopy.toFixed(2)} against ${today.api.describeBackupsPerCopy.toFixed(2)} (× ${ratio.toFixed(3)})`,
      met: judged(ratio <= 0.2),
    });
  }
  const finest = Math.min(...results.polling.map((r) => r.pollFraction));
  const large = find('large', 'new', finest);
  if (large) {
    goals.push(
      {
        goal: `(c) makespan ≤ 1.03 × bound, batched, ${large.title}, poll ${percentOf(finest)}`,
        measured: `${large.ratio.toFixed(3)} × (ideal FIFO ${large.idealRatio.toFixed(3)} ×)`,
        met: judged(large.ratio <= 1.03),
      },
      {
        goal: `(c) hand-over p99 ≤ poll + 50 ms, batched, ${large.title}, poll ${percentOf(finest)}`,
        measured: `${large.handoverP99Ms} ms against ${large.pollMs + 50} ms`,
        met: judged(large.handoverP99Ms <= large.pollMs + 50),
      },
    );
  }
  return goals;
}

export function checkEconomyGoals(results: EconomyResults, quick: boolean): GoalCheck[] {
  const judged = (ok: boolean): GoalCheck['met'] => (quick ? 'n/a' : ok ? 'yes' : 'no');
  const apis = [...results.foreign.rows.map((r) => r.api), ...results.polling.map((r) => r.api)];
  const own = apis.reduce((a, x) => a + x.refusedWhileOwnCopiesFull, 0);
  const refused = apis.reduce((a, x) => a + x.serviceLimitExceeded, 0);
  return [
    ...contendedGoals(results, judged),
    ...foreignGoals(results, judged),
    ...pollingGoals(results, judged),
    {
      goal: '(b, c) no ServiceLimitExceeded caused by the service’s own copies',
      measured: `${own} of ${refused} refusals came with five of the service’s own copies in progress (the rest: foreign copies)`,
      met: own === 0 ? 'yes' : 'no',
    },
  ];
}
