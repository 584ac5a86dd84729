import type { BreachSummary } from './breach-accounting.js';
import type { EconomyResults, PollingRow } from './economy-results.js';

/** The tables of the economy scenarios, for `latest.md` and the README. */
const s2 = (ms: number): string => (ms / 1000).toFixed(2);
const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)} %` : '–');
const n2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '–');
const percentOf = (f: number): string => `${(f * 100).toFixed(0)} %`;

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function header(cells: readonly string[]): string {
  return [row(cells), row(cells.map(() => '---'))].join('\n');
}

function breachCells(b: BreachSummary): string[] {
  return [`${b.breaches} / ${b.pairs}`, s2(b.totalBreachMs), s2(b.maxLatenessMs)];
}

export function contendedTable(results: EconomyResults): string {
  const { rows, reference } = results.contended;
  const oracle = reference.oracle;
  const ratio = (ms: number): string =>
    oracle.totalBreachMs === 0
      ? ms === 0
        ? '1.00'
        : '– (oracle 0)'
      : (ms / oracle.totalBreachMs).toFixed(2);
  return [
    header([
      'order',
      'breaches / pairs',
      'total breach (s)',
      'worst (s)',
      '× oracle',
      'same start order, zero hand-over: breaches, total (s)',
    ]),
    ...rows.map((r) =>
      row([
        r.label,
        ...breachCells(r.measured),
        `**${ratio(r.measured.totalBreachMs)}**`,
        `${r.replayed.breaches}, ${s2(r.replayed.totalBreachMs)}`,
      ]),
    ),
    row([
      'ideal FIFO (plan order, zero hand-over)',
      ...breachCells(reference.planOrder),
      ratio(reference.planOrder.totalBreachMs),
      '',
    ]),
    row([
      'ideal urgency-first (earliest deadline first, zero hand-over)',
      ...breachCells(reference.deadlineFirst),
      ratio(reference.deadlineFirst.totalBreachMs),
      '',
    ]),
    row([
      `oracle (${oracle.exact ? 'optimal, proved by branch and bound' : 'best order found, not proved optimal'})`,
      ...breachCells(oracle),
      '1.00',
      '',
    ]),
  ].join('\n');
}

export function foreignTable(results: EconomyResults): string {
  return [
    header([
      'probe after ServiceLimitExceeded',
      'copies',
      'window (s)',
      'free slot-time (slot·s)',
      'used by the service',
      'foreign slot-time (slot·s)',
      'ServiceLimitExceeded',
      'CopyBackup / copy',
      'makespan (s)',
    ]),
    ...results.foreign.rows.map((r) =>
      row([
        r.label,
        String(r.copies),
        s2(r.use.windowMs),
        s2(r.use.freeSlotMs),
        `**${pct(r.use.share)}**`,
        s2(r.use.foreignSlotMs),
        String(r.api.serviceLimitExceeded),
        n2(r.api.copyBackupPerCopy),
        s2(r.makespanMs),
      ]),
    ),
  ].join('\n');
}

function pollingCells(r: PollingRow): string[] {
  return [
    r.title,
    percentOf(r.pollFraction),
    r.label,
    n2(r.api.describeBackupsPerCopy),
    n2(r.api.copyBackupPerCopy),
    r.ratio.toFixed(3),
    `${r.handoverP50Ms} / ${r.handoverP99Ms}`,
    String(r.api.serviceLimitExceeded),
  ];
}

export function pollingTable(results: EconomyResults): string {
  const rows = [...results.polling].sort(
    (a, b) =>
      (a.set === b.set ? 0 : a.set === 'large' ? -1 : 1) ||
      a.pollFraction - b.pollFraction ||
      (a.behaviour === b.behaviour ? 0 : a.behaviour === 'today' ? -1 : 1),
  );
  const ratioOf = (r: PollingRow): string => {
    if (r.behaviour !== 'new') return '';
    const today = results.polling.find(
      (t) => t.set === r.set && t.behaviour === 'today' && t.pollFraction === r.pollFraction,
    );
    return today
      ? `**× ${(r.api.describeBackupsPerCopy / today.api.describeBackupsPerCopy).toFixed(3)}**`
      : '–';
  };
  return [
    header([
      'copies',
      'poll',
      'polling',
      'DescribeBackups / copy',
      'CopyBackup / copy',
      'makespan / bound',
      'hand-over p50 / p99 (ms)',
      'ServiceLimitExceeded',
      'DescribeBackups against per-copy',
    ]),
    ...rows.map((r) => row([...pollingCells(r), ratioOf(r)])),
  ].join('\n');
}

export function economyMarkdown(results: EconomyResults): string {
  const ref = results.contended.reference;
  const shared = results.sharedProcess
    ? '\n\nQuick profile: (a), (b) and (c)’s short run share one `fsx-dr run` process per behaviour (each in Regions of its own).'
    : '';
  return `## Contended Region: admission order (a)

${contendedTable(results)}

Deadlines are counted from each Region's first copy start (the process start-up, the same for every order, is not
counted against one). The oracle knows every copy's real duration and pays no hand-over: no dispatcher can do better
(${ref.oracle.nodes.toLocaleString('en-US')} search nodes; none where its first orders already breach nothing).

## Foreign copies holding 0–4 slots (b)

${foreignTable(results)}

Free slot-time: over the window from the service's first copy start to its last (all copies were waiting from the
start), ∫ (5 − foreign copies in progress) dt; the service's share is its own slot-time in that window over it. Today's
fixed pause and the adaptive probe's longest are ${results.foreign.regionFullDelayMs} ms (FSXDR_REGION_FULL_DELAY).

![slots held by foreign copies and by the service](economy-slots.svg)

## FSx calls per copy (c)

${pollingTable(results)}

Calls to the destination Region only (the polls, the look for an existing copy, CopyBackup), per completed copy.${shared}
`;
}
