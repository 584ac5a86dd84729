import { startFsxSimulator } from '../../simulator/src/index.js';
import { startRedis } from '../../test/support/redis-server.js';
import type { BenchProfile } from './bench-profile.js';
import { buildContendedSet } from './contended-set.js';
import { CopyRecorder } from './copy-recorder.js';
import { buildCopySet, planOrderDurations } from './copy-set.js';
import {
  contendedReference,
  contendedRow,
  foreignRow,
  pollingRow,
  type Behaviour,
  type ContendedRow,
  type EconomyResults,
  type ForeignRow,
  type PollingRow,
} from './economy-results.js';
import { foreignTargets } from './foreign-copy-driver.js';
import type { SlotTimeline } from './foreign-slots-chart.js';
import { waitingWindow } from './free-slot-time.js';
import { runEconomy, type EconomyParts, type EconomyRunOutput } from './run-economy.js';
import type { StrategyRun } from './strategy-run.js';

/**
 * Issue 13's economy scenarios, each with today's behaviour and the new default: (a) FSXDR_ADMISSION fifo against
 * urgency, (b) FSXDR_REGION_FULL_PROBE fixed against adaptive, (c) FSXDR_POLL per-copy against batched. The large
 * set's batched runs are the utilisation runs already made (`largeBatched`); everything else runs here.
 */
const TODAY_ENV = {
  contended: { FSXDR_ADMISSION: 'fifo' },
  foreign: { FSXDR_REGION_FULL_PROBE: 'fixed' },
  polling: { FSXDR_POLL: 'per-copy' },
} as const;

const LABELS = {
  contended: { today: 'FIFO (FSXDR_ADMISSION=fifo)', new: 'urgency-first (default)' },
  foreign: { today: 'fixed pause (FSXDR_REGION_FULL_PROBE=fixed)', new: 'adaptive probe (default)' },
  polling: { today: 'per-copy (FSXDR_POLL=per-copy)', new: 'batched (default)' },
} as const;

type Part = keyof typeof TODAY_ENV;

function envFor(parts: readonly Part[], behaviour: Behaviour, fullDelayMs: number): Record<string, string> {
  const env: Record<string, string> = { FSXDR_REGION_FULL_DELAY: `${fullDelayMs}ms` };
  if (behaviour === 'today') for (const p of parts) Object.assign(env, TODAY_ENV[p]);
  return env;
}

function progress(text: string): void {
  process.stderr.write(`[bench] ${text}\n`);
}

/** The large set's batched runs, already measured as utilisation runs, as rows of (c). */
function largeBatchedRows(runs: readonly StrategyRun[], title: string): PollingRow[] {
  return runs.map((r) => ({
    set: 'large',
    title,
    behaviour: 'new',
    label: LABELS.polling.new,
    pollFraction: r.pollFraction,
    pollMs: r.pollMs,
    copies: r.slots.copies,
    api: r.destinationApi ?? r.api,
    ratio: r.slots.ratio,
    idealRatio: r.slots.idealRatio,
    handoverP50Ms: r.slots.handover.p50Ms,
    handoverP99Ms: r.slots.handover.p99Ms,
    wallMs: r.wallMs,
  }));
}

export async function runEconomyScenarios(
  profile: BenchProfile,
  largeBatched: readonly StrategyRun[],
): Promise<{ results: EconomyResults; timelines: SlotTimeline[] }> {
  const spec = profile.economy;
  const slots = profile.slotsPerRegion;
  const mean = profile.meanCopyMs;
  const model = { seed: profile.seed, meanMs: mean, sigma: profile.sigma };
  const pollMs = Math.round(mean * spec.pollFraction);
  const fullDelayMs = Math.round(mean * spec.regionFullDelayFraction);
  const contended = buildContendedSet(spec.contended, profile.seed, 0x0a);
  const started = Date.now();
  const reference = contendedReference(contended, slots);
  progress(
    `oracle of (a): ${(reference.oracle.totalBreachMs / 1000).toFixed(2)} s of breach, ${reference.oracle.breaches} pairs breached, ` +
      `${reference.oracle.exact ? 'proved optimal' : 'not proved'} in ${reference.oracle.nodes} nodes, ${Date.now() - started} ms`,
  );
  const foreignSet = buildCopySet(spec.foreign.spec, 0x0b);
  const foreign = {
    set: foreignSet,
    targets: foreignTargets({
      seed: profile.seed,
      maxForeign: spec.foreign.maxForeign,
      meanSpanMs: spec.foreign.meanSpanFraction * mean,
      totalMs: 10 * foreignSet.targets.length * mean,
    }),
  };
  const shortSet = buildCopySet(spec.polling.short, 0x0c);
  const shortDurations = planOrderDurations(shortSet, model);
  const largeSpec = profile.scenarios.find((s) => s.id === 'one-region');
  const largeSet = largeSpec ? buildCopySet(largeSpec, profile.scenarios.indexOf(largeSpec) + 1) : undefined;

  const redis = await startRedis({ forcePrivate: true });
  const sim = await startFsxSimulator({ seed: profile.seed });
  const recorder = new CopyRecorder(model);
  recorder.attach(sim);
  const contendedRows: ContendedRow[] = [];
  const foreignRows: ForeignRow[] = [];
  const timelines: SlotTimeline[] = [];
  const pollingRows: PollingRow[] = largeSet ? largeBatchedRows(largeBatched, largeSet.spec.title) : [];
  const run = async (
    parts: EconomyParts,
    names: readonly Part[],
    behaviour: Behaviour,
    poll: number,
  ): Promise<EconomyRunOutput> => {
    const out = await runEconomy({
      sim,
      redis,
      recorder,
      profile,
      pollMs: poll,
      env: envFor(names, behaviour, fullDelayMs),
      parts,
    });
    progress(
      `economy ${names.join(' + ')}, ${behaviour}, poll ${poll} ms: ${(out.wallMs / 1000).toFixed(1)} s wall`,
    );
    return out;
  };
  const record = (out: EconomyRunOutput, parts: EconomyParts, behaviour: Behaviour, poll: number): void => {
    if (parts.contended) {
      contendedRows.push(contendedRow(contended, out, behaviour, LABELS.contended[behaviour], slots));
    }
    if (parts.foreign) {
      const r = foreignRow(foreignSet, out, behaviour, LABELS.foreign[behaviour], slots);
      foreignRows.push(r);
      const region = foreignSet.spec.destinations[0];
      const service = out.intervals.filter((c) => c.destinationRegion === region);
      timelines.push({
        label: r.label,
        service,
        foreign: out.foreignIntervals,
        ...waitingWindow(service),
        share: r.use.share,
      });
    }
    if (parts.polling) {
      const large = parts.polling === largeSet;
      pollingRows.push(
        pollingRow({
          set: parts.polling,
          size: large ? 'large' : 'short',
          intervals: out.intervals,
          requests: out.requests,
          planOrderDurations: large ? planOrderDurations(parts.polling, model) : shortDurations,
          behaviour,
          label: LABELS.polling[behaviour],
          pollFraction: poll / mean,
          pollMs: poll,
          slots,
          wallMs: out.wallMs,
        }),
      );
    }
  };
  try {
    const behaviours: Behaviour[] = ['today', 'new'];
    const plans: Array<{ parts: EconomyParts; names: Part[]; poll: number }> = [];
    const shortPolls = profile.pollFractions.map((f) => Math.round(mean * f));
    if (spec.shareProcess) {
      plans.push({
        parts: { contended, foreign, polling: shortSet },
        names: ['contended', 'foreign', 'polling'],
        poll: pollMs,
      });
      for (const p of shortPolls.filter((p) => p !== pollMs))
        plans.push({ parts: { polling: shortSet }, names: ['polling'], poll: p });
    } else {
      plans.push({ parts: { contended }, names: ['contended'], poll: pollMs });
      plans.push({ parts: { foreign }, names: ['foreign'], poll: pollMs });
      for (const p of shortPolls) plans.push({ parts: { polling: shortSet }, names: ['polling'], poll: p });
    }
    for (const plan of plans) {
      for (const behaviour of behaviours) {
        record(await run(plan.parts, plan.names, behaviour, plan.poll), plan.parts, behaviour, plan.poll);
      }
    }
    if (largeSet) {
      for (const f of spec.polling.largePerCopyPollFractions) {
        const poll = Math.round(mean * f);
        const parts = { polling: largeSet };
        record(await run(parts, ['polling'], 'today', poll), parts, 'today', poll);
      }
    }
  } finally {
    await Promise.allSettled([sim.close(), redis.stop()]);
  }
  const results: EconomyResults = {
    contended: { reference, rows: contendedRows },
    foreign: { rows: foreignRows, regionFullDelayMs: fullDelayMs },
    polling: pollingRows,
    sharedProcess: spec.shareProcess,
  };
  return { results, timelines };
}
