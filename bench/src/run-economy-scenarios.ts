import { startFsxSimulator } from '../../simulator/src/index.js';
import { startRedis } from '../../test/support/redis-server.js';
import type { BenchProfile } from './bench-profile.js';
import { buildContendedSet, type ContendedSet } from './contended-set.js';
import type { CopyDurationModel } from './copy-durations.js';
import { CopyRecorder } from './copy-recorder.js';
import { buildCopySet, planOrderDurations, type CopySet } from './copy-set.js';
import {
  contendedReference,
  contendedRow,
  foreignRow,
  pollingRow,
  type Behaviour,
  type ContendedReference,
  type ContendedRow,
  type EconomyResults,
  type ForeignRow,
  type PollingRow,
} from './economy-results.js';
import { foreignTargets, type ForeignTarget } from './foreign-copy-driver.js';
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

interface EconomySets {
  readonly contended: ContendedSet;
  readonly reference: ContendedReference;
  readonly foreign: { readonly set: CopySet; readonly targets: readonly ForeignTarget[] };
  readonly short: CopySet;
  /** The utilisation scenario's 500 (quick: 30) copies to one Region, for today's per-copy polls. */
  readonly large: CopySet | undefined;
}

/** The copy sets of the three scenarios, seeded, and (a)'s oracle, computed offline from the real durations. */
function economySets(profile: BenchProfile): EconomySets {
  const spec = profile.economy;
  const contended = buildContendedSet(spec.contended, profile.seed, 0x0a);
  const started = Date.now();
  const reference = contendedReference(contended, profile.slotsPerRegion);
  const o = reference.oracle;
  progress(
    `oracle of (a): ${(o.totalBreachMs / 1000).toFixed(2)} s of breach, ${o.breaches} pairs breached, ` +
      `${o.exact ? 'proved optimal' : 'not proved'} in ${o.nodes} nodes, ${Date.now() - started} ms`,
  );
  const foreignSet = buildCopySet(spec.foreign.spec, 0x0b);
  const targets = foreignTargets({
    seed: profile.seed,
    maxForeign: spec.foreign.maxForeign,
    meanSpanMs: spec.foreign.meanSpanFraction * profile.meanCopyMs,
    totalMs: 10 * foreignSet.targets.length * profile.meanCopyMs,
  });
  const largeSpec = profile.scenarios.find((s) => s.id === 'one-region');
  return {
    contended,
    reference,
    foreign: { set: foreignSet, targets },
    short: buildCopySet(spec.polling.short, 0x0c),
    // The same group as the utilisation run's, so the very same copies and durations.
    large: largeSpec ? buildCopySet(largeSpec, profile.scenarios.indexOf(largeSpec) + 1) : undefined,
  };
}

interface EconomyPlan {
  readonly parts: EconomyParts;
  readonly names: readonly Part[];
  readonly pollMs: number;
  readonly behaviours: readonly Behaviour[];
}

/** Which processes to run: apart on the full profile, (a) + (b) + (c)'s short set together on the quick one. */
function economyPlans(profile: BenchProfile, sets: EconomySets): EconomyPlan[] {
  const spec = profile.economy;
  const both: Behaviour[] = ['today', 'new'];
  const pollMs = Math.round(profile.meanCopyMs * spec.pollFraction);
  const shortPolls = profile.pollFractions.map((f) => Math.round(profile.meanCopyMs * f));
  const plans: EconomyPlan[] = [];
  const short = (p: number): EconomyPlan => ({
    parts: { polling: sets.short },
    names: ['polling'],
    pollMs: p,
    behaviours: both,
  });
  if (spec.shareProcess) {
    plans.push({
      parts: { contended: sets.contended, foreign: sets.foreign, polling: sets.short },
      names: ['contended', 'foreign', 'polling'],
      pollMs,
      behaviours: both,
    });
    plans.push(...shortPolls.filter((p) => p !== pollMs).map(short));
  } else {
    plans.push({ parts: { contended: sets.contended }, names: ['contended'], pollMs, behaviours: both });
    plans.push({ parts: { foreign: sets.foreign }, names: ['foreign'], pollMs, behaviours: both });
    plans.push(...shortPolls.map(short));
  }
  const large = sets.large;
  if (large) {
    for (const f of spec.polling.largePerCopyPollFractions) {
      const p = Math.round(profile.meanCopyMs * f);
      plans.push({ parts: { polling: large }, names: ['polling'], pollMs: p, behaviours: ['today'] });
    }
  }
  return plans;
}

/** Turns each run's output into the rows of its scenarios. */
class EconomyCollector {
  readonly contended: ContendedRow[] = [];
  readonly foreign: ForeignRow[] = [];
  readonly timelines: SlotTimeline[] = [];
  readonly polling: PollingRow[];
  readonly #model: CopyDurationModel;

  constructor(
    private readonly profile: BenchProfile,
    private readonly sets: EconomySets,
    largeBatched: readonly StrategyRun[],
  ) {
    this.#model = { seed: profile.seed, meanMs: profile.meanCopyMs, sigma: profile.sigma };
    this.polling = sets.large ? largeBatchedRows(largeBatched, sets.large.spec.title) : [];
  }

  record(out: EconomyRunOutput, plan: EconomyPlan, behaviour: Behaviour): void {
    const slots = this.profile.slotsPerRegion;
    const { parts } = plan;
    if (parts.contended) {
      this.contended.push(contendedRow(parts.contended, out, behaviour, LABELS.contended[behaviour], slots));
    }
    if (parts.foreign) {
      const set = parts.foreign.set;
      const r = foreignRow(set, out, behaviour, LABELS.foreign[behaviour], slots);
      this.foreign.push(r);
      const service = out.intervals.filter((c) => c.destinationRegion === set.spec.destinations[0]);
      this.timelines.push({
        label: r.label,
        service,
        foreign: out.foreignIntervals,
        ...waitingWindow(service),
        share: r.use.share,
      });
    }
    if (parts.polling) {
      this.polling.push(
        pollingRow({
          set: parts.polling,
          size: parts.polling === this.sets.large ? 'large' : 'short',
          intervals: out.intervals,
          requests: out.requests,
          planOrderDurations: planOrderDurations(parts.polling, this.#model),
          behaviour,
          label: LABELS.polling[behaviour],
          pollFraction: plan.pollMs / this.profile.meanCopyMs,
          pollMs: plan.pollMs,
          slots,
          wallMs: out.wallMs,
        }),
      );
    }
  }
}

export async function runEconomyScenarios(
  profile: BenchProfile,
  largeBatched: readonly StrategyRun[],
): Promise<{ results: EconomyResults; timelines: SlotTimeline[] }> {
  const sets = economySets(profile);
  const fullDelayMs = Math.round(profile.meanCopyMs * profile.economy.regionFullDelayFraction);
  const collector = new EconomyCollector(profile, sets, largeBatched);
  const redis = await startRedis({ forcePrivate: true });
  const sim = await startFsxSimulator({ seed: profile.seed });
  const recorder = new CopyRecorder({ seed: profile.seed, meanMs: profile.meanCopyMs, sigma: profile.sigma });
  recorder.attach(sim);
  try {
    for (const plan of economyPlans(profile, sets)) {
      for (const behaviour of plan.behaviours) {
        const env = envFor(plan.names, behaviour, fullDelayMs);
        const out = await runEconomy({
          sim,
          redis,
          recorder,
          profile,
          pollMs: plan.pollMs,
          env,
          parts: plan.parts,
        });
        progress(
          `economy ${plan.names.join(' + ')}, ${behaviour}, poll ${plan.pollMs} ms: ${(out.wallMs / 1000).toFixed(1)} s wall`,
        );
        collector.record(out, plan, behaviour);
      }
    }
  } finally {
    await Promise.allSettled([sim.close(), redis.stop()]);
  }
  const results: EconomyResults = {
    contended: { reference: sets.reference, rows: collector.contended },
    foreign: { rows: collector.foreign, regionFullDelayMs: fullDelayMs },
    polling: collector.polling,
    sharedProcess: profile.economy.shareProcess,
  };
  return { results, timelines: collector.timelines };
}
