import type { BenchResults, StrategyRunSummary } from './bench-results.js';
import { economyMarkdown } from './economy-markdown.js';
import { formatLoad } from './machine-info.js';

/** `bench/results/latest.md`: the tables the README's Performance section quotes, and the machine. */
const s1 = (ms: number): string => (ms / 1000).toFixed(1);
const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
const n2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '–');
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function runRow(r: StrategyRunSummary, titles: ReadonlyMap<string, string>): string {
  const s = r.slots;
  const handover =
    s.handover.count === 0 ? '–' : `${s.handover.p50Ms.toFixed(0)} / ${s.handover.p99Ms.toFixed(0)}`;
  return row([
    titles.get(r.scenario) ?? r.scenario,
    r.label,
    s1(s.makespanMs),
    s1(s.boundMs),
    `**${s.ratio.toFixed(3)}**`,
    s.idealRatio.toFixed(3),
    pct(s.utilisation),
    handover,
    n2(r.api.copyBackupPerCopy),
    n2(r.api.describeBackupsPerCopy),
    String(r.api.serviceLimitExceeded),
  ]);
}

export function utilisationTable(results: BenchResults): string {
  const titles = new Map(results.profile.scenarios.map((s) => [s.id, s.title]));
  return [
    row([
      'scenario',
      'strategy',
      'makespan (s)',
      'bound Σd/5 (s)',
      'ratio',
      'ideal FIFO',
      'slot utilisation',
      'hand-over p50 / p99 (ms)',
      'CopyBackup / copy',
      'DescribeBackups / copy',
      'ServiceLimitExceeded',
    ]),
    row(Array.from({ length: 11 }, () => '---')),
    ...results.runs.map((r) => runRow(r, titles)),
  ].join('\n');
}

export function scaleTable(results: BenchResults): string {
  const sc = results.scale;
  if (!sc) return '_scale not run_';
  const b = sc.breakdown;
  return [
    row(['measure', 'value']),
    row(['---', '---']),
    row([
      `plan + enqueue, ${sc.fileSystems.toLocaleString('en-US')} file systems × ${sc.destinations} Regions (scheduler process)`,
      `**${(sc.scheduler.planEnqueueMs / 1000).toFixed(2)} s** for ${sc.jobs.toLocaleString('en-US')} jobs (${sc.queuedJobs.toLocaleString('en-US')} queued)`,
    ]),
    row([
      `the same with ${sc.scheduler.fsxLatencyMs} ms of latency on every FSx call (informative: AWS is not local)`,
      `${(sc.scheduler.planEnqueueWithLatencyMs / 1000).toFixed(2)} s`,
    ]),
    row([
      'same slot in-process: list source / plan / enqueue',
      `${s1(b.listSourceBackupsMs)} s / ${s1(b.planMs)} s / ${s1(b.enqueueMs)} s (enqueue CPU ${s1(b.enqueueCpuMs)} s)`,
    ]),
    row([
      'Redis used_memory after enqueue',
      `+${mib(sc.redis.usedMemoryDeltaBytes)} (${(sc.redis.bytesPerJob / 1024).toFixed(2)} KiB per job)`,
    ]),
    row([
      'scheduler peak RSS / worker peak RSS',
      `${mib(sc.scheduler.peakRssBytes)} / ${mib(sc.worker.peakRssBytes)}`,
    ]),
    row([
      'CPU per copy job: plan + enqueue / run (1 CopyBackup, ' +
        `${n2(sc.worker.describeBackupsPerJob)} DescribeBackups)`,
      `${sc.scheduler.planCpuMsPerJob.toFixed(3)} ms + ${sc.worker.cpuMsPerJob.toFixed(3)} ms = **${sc.overheadCpuMsPerJob.toFixed(2)} ms**`,
    ]),
    row([
      'worker throughput (1 ms copies, 3 Regions × 5 slots)',
      `${sc.worker.jobsPerSecond.toFixed(0)} jobs/s over ${sc.worker.sampledJobs} jobs`,
    ]),
  ].join('\n');
}

export function serviceTable(results: BenchResults): string {
  const titles = new Map(results.profile.scenarios.map((s) => [s.id, s.title]));
  const ours = results.runs.filter((r) => r.service !== undefined);
  return [
    row([
      'scenario',
      'poll',
      'CPU (s)',
      'CPU per FSx call (ms)',
      'peak RSS',
      'start to first copy (s)',
      'slot planned in (ms)',
    ]),
    row(Array.from({ length: 7 }, () => '---')),
    ...ours.map((r) => {
      const svc = r.service;
      if (!svc) return '';
      const calls = r.api.copyBackup + r.api.describeBackups + r.api.other;
      return row([
        titles.get(r.scenario) ?? r.scenario,
        `${r.pollMs} ms`,
        s1(svc.cpuMs),
        (svc.cpuMs / calls).toFixed(2),
        mib(svc.peakRssBytes),
        s1(svc.timeToFirstCopyMs),
        svc.planMs.toFixed(0),
      ]);
    }),
  ].join('\n');
}

export function goalsTable(results: BenchResults): string {
  return [
    row(['goal', 'measured', 'met']),
    row(['---', '---', '---']),
    ...results.goals.map((g) => row([g.goal, g.measured, g.met === 'no' ? '**no**' : g.met])),
  ].join('\n');
}

export function machineLine(results: BenchResults): string {
  const m = results.machine;
  return (
    `${m.cpuModel}, ${m.cores} cores, ${(m.memoryBytes / 1024 ** 3).toFixed(0)} GiB, Node ${m.node}, ${m.os}; ` +
    `load average (1/5/15 min) ${formatLoad(m.loadAverage)} at start, ${formatLoad(results.loadAtEnd)} at end`
  );
}

export function resultsMarkdown(results: BenchResults): string {
  const p = results.profile;
  return `# fsx-dr benchmark (${p.name}), ${results.startedAt}

Machine: ${machineLine(results)}. Bench wall time ${(results.wallMs / 1000).toFixed(0)} s.

Copy durations: log-normal, mean ${p.meanCopyMs} ms (time compressed: 1 s stands for one mean copy), σ ${p.sigma},
seed ${p.seed}; the same copies for every strategy. The service runs as users run it (\`fsx-dr run\` processes, real
clock); the baselines are scripts on the simulator's virtual clock (zero request latency: their best case).
Ratio = makespan / (Σd/5); ideal FIFO = the same copies in plan order with zero hand-over time.

## Slot utilisation

${utilisationTable(results)}

The service processes (measured from /proc; CPU includes start-up and every poll):

${serviceTable(results)}

${results.economy ? `${economyMarkdown(results.economy)}\n` : ''}## Scale

${scaleTable(results)}

## Goals

${goalsTable(results)}${p.name === 'quick' ? '\n\nThe quick profile is a smoke run: too small to judge the goals marked n/a (run the full bench).' : ''}

![copies in flight](in-flight.svg)
`;
}
