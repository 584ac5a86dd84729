import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

export interface BenchArgs {
  readonly quick: boolean;
  readonly cpuProf: boolean;
  readonly skipScale: boolean;
  readonly skipUtilisation: boolean;
  readonly skipEconomy: boolean;
  /** Folder the results are written to. */
  readonly out: string;
  /** File names: `latest` for a full run (also what is published), `quick` for a smoke run. */
  readonly name: 'latest' | 'quick';
  readonly chartName: 'in-flight.svg' | 'quick-in-flight.svg';
  /** Scenario (b)'s chart of slots held by foreign copies and by the service. */
  readonly economyChartName: 'economy-slots.svg' | 'quick-economy-slots.svg';
}

export const BENCH_USAGE = `Usage: npm run bench -- [--quick] [--publish] [--out DIR] [--cpu-prof] [--skip-scale] [--skip-utilisation] [--skip-economy]

  --quick             the smoke run (under a minute); without it, the full run (about 12 minutes)
  --publish           write the results to bench/results/ (the committed files the README quotes); a full run only
  --out DIR           where to write the results (default: bench/out/, which git ignores)
  --cpu-prof          also write a V8 CPU profile of every service process (to a temporary folder)
  --skip-scale        leave out the 30,000-job scale run
  --skip-utilisation  leave out the slot-utilisation scenarios
  --skip-economy      leave out the economy scenarios: (a) admission order, (b) foreign copies, (c) FSx calls`;

/**
 * Parses `npm run bench -- ...`. Results go to bench/out/ (ignored) unless `--publish` asks for bench/results/,
 * which only a complete full run may overwrite. Throws with the usage on anything else.
 */
export function parseBenchArgs(argv: readonly string[], repoRoot: string): BenchArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      publish: { type: 'boolean', default: false },
      'cpu-prof': { type: 'boolean', default: false },
      'skip-scale': { type: 'boolean', default: false },
      'skip-utilisation': { type: 'boolean', default: false },
      'skip-economy': { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) throw new Error(BENCH_USAGE);
  if (values.publish) {
    const partial = [
      values.quick && '--quick',
      values['skip-scale'] && '--skip-scale',
      values['skip-utilisation'] && '--skip-utilisation',
      values['skip-economy'] && '--skip-economy',
      values.out !== undefined && '--out',
    ].filter((f): f is string => typeof f === 'string');
    if (partial.length > 0)
      throw new Error(
        `--publish writes the committed results: not with ${partial.join(', ')}\n\n${BENCH_USAGE}`,
      );
  }
  const out = values.publish
    ? join(repoRoot, 'bench', 'results')
    : resolve(values.out ?? join(repoRoot, 'bench', 'out'));
  return {
    quick: values.quick,
    cpuProf: values['cpu-prof'],
    skipScale: values['skip-scale'],
    skipUtilisation: values['skip-utilisation'],
    skipEconomy: values['skip-economy'],
    out,
    name: values.quick ? 'quick' : 'latest',
    chartName: values.quick ? 'quick-in-flight.svg' : 'in-flight.svg',
    economyChartName: values.quick ? 'quick-economy-slots.svg' : 'economy-slots.svg',
  };
}
