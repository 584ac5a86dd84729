import type { ScenarioSpec } from './bench-profile.js';
import type { CopyInterval } from './copy-recorder.js';
import type { StrategyRun } from './strategy-run.js';

/**
 * The SVG chart of copies in flight per destination Region over time: one column per scenario, one row per
 * strategy, one lane per Region, each lane a step area from 0 to the five-slot limit (dashed). Time is in units
 * of the mean copy duration from each run's first copy start; a column shares one time axis, cut at 1.15 × the
 * longest run that is not the one-at-a-time baseline (which runs on far longer; its panel says until when).
 * Hand-written SVG: no chart library for one picture.
 */
const WIDTH = 1100;
const LEFT = 150;
const PANEL_WIDTH = 430;
const COLUMN_GAP = 60;
const ROW_HEIGHT = 150;
const PANEL_TOP = 52;
const COLORS: Record<StrategyRun['strategy'], string> = {
  service: '#1f77b4',
  sequential: '#8c8c8c',
  'retry-all': '#d62728',
};

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Step points (time, copies in flight) of one Region: each start adds one, each end removes one. */
function stepSeries(intervals: readonly CopyInterval[], origin: number): Array<[number, number]> {
  const events = intervals.flatMap((c): Array<[number, number]> => [
    [c.start - origin, 1],
    [c.end - origin, -1],
  ]);
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const points: Array<[number, number]> = [[0, 0]];
  let current = 0;
  for (const [t, delta] of events) {
    current += delta;
    const last = points.at(-1);
    if (last && last[0] === t) last[1] = current;
    else points.push([t, current]);
  }
  return points;
}

interface Lane {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly msToX: (ms: number) => number;
  readonly limit: number;
}

function lanePath(points: ReadonlyArray<[number, number]>, lane: Lane, cutMs: number): string {
  const yOf = (n: number): number =>
    lane.y + lane.height - (Math.min(n, lane.limit + 1) / (lane.limit + 1)) * lane.height;
  let d = `M${lane.x.toFixed(1)},${yOf(0).toFixed(1)}`;
  for (const [t, n] of points) {
    if (t > cutMs) break;
    d += `H${lane.msToX(t).toFixed(1)}V${yOf(n).toFixed(1)}`;
  }
  const endX = lane.msToX(Math.min(cutMs, points.at(-1)?.[0] ?? 0));
  return `${d}H${endX.toFixed(1)}V${yOf(0).toFixed(1)}Z`;
}

function panel(
  run: StrategyRun,
  regions: readonly string[],
  x: number,
  y: number,
  cutMs: number,
  meanMs: number,
  slots: number,
): string {
  const parts: string[] = [];
  const origin = Math.min(...run.intervals.map((c) => c.start));
  const laneGap = 6;
  const laneHeight = (ROW_HEIGHT - 40 - laneGap * (regions.length - 1)) / regions.length;
  const msToX = (ms: number): number => x + (Math.min(ms, cutMs) / cutMs) * PANEL_WIDTH;
  const s = run.slots;
  const title = `${run.label}: ${(s.makespanMs / meanMs).toFixed(0)} × mean, ${s.ratio.toFixed(3)} × bound, ${run.api.serviceLimitExceeded} refused`;
  parts.push(`<text x="${x}" y="${y - 6}" class="title">${escapeXml(title)}</text>`);
  regions.forEach((region, i) => {
    const lane: Lane = {
      x,
      y: y + i * (laneHeight + laneGap),
      width: PANEL_WIDTH,
      height: laneHeight,
      msToX,
      limit: slots,
    };
    const limitY = lane.y + lane.height - (slots / (slots + 1)) * lane.height;
    parts.push(
      `<rect x="${x}" y="${lane.y.toFixed(1)}" width="${PANEL_WIDTH}" height="${laneHeight.toFixed(1)}" class="lane"/>`,
    );
    const points = stepSeries(
      run.intervals.filter((c) => c.destinationRegion === region),
      origin,
    );
    parts.push(
      `<path d="${lanePath(points, lane, cutMs)}" fill="${COLORS[run.strategy]}" fill-opacity="0.75"/>`,
    );
    parts.push(
      `<line x1="${x}" x2="${x + PANEL_WIDTH}" y1="${limitY.toFixed(1)}" y2="${limitY.toFixed(1)}" class="limit"/>`,
    );
    parts.push(
      `<text x="${x - 6}" y="${(lane.y + lane.height / 2 + 4).toFixed(1)}" class="region">${escapeXml(region)}</text>`,
    );
  });
  if (s.makespanMs > cutMs) {
    parts.push(
      `<text x="${x + PANEL_WIDTH}" y="${y + ROW_HEIGHT - 26}" class="note">runs on to ${(s.makespanMs / meanMs).toFixed(0)} × mean →</text>`,
    );
  }
  return parts.join('\n');
}

function axis(x: number, y: number, cutMs: number, meanMs: number): string {
  const parts: string[] = [`<line x1="${x}" x2="${x + PANEL_WIDTH}" y1="${y}" y2="${y}" class="axis"/>`];
  const span = cutMs / meanMs;
  const step = [5, 10, 20, 25, 50, 100, 200, 250, 500].find((s) => span / s <= 8) ?? 1000;
  for (let t = 0; t <= span; t += step) {
    const tx = x + ((t * meanMs) / cutMs) * PANEL_WIDTH;
    parts.push(`<line x1="${tx.toFixed(1)}" x2="${tx.toFixed(1)}" y1="${y}" y2="${y + 4}" class="axis"/>`);
    parts.push(`<text x="${tx.toFixed(1)}" y="${y + 16}" class="tick">${t}</text>`);
  }
  parts.push(
    `<text x="${x + PANEL_WIDTH / 2}" y="${y + 32}" class="label">time, in mean copy durations</text>`,
  );
  return parts.join('\n');
}

/** The whole chart; `strategies` are the runs to show per scenario, in row order. */
export function inFlightChart(
  scenarios: readonly ScenarioSpec[],
  rows: ReadonlyArray<(scenario: ScenarioSpec) => StrategyRun | undefined>,
  meanMs: number,
  slots: number,
): string {
  const height = PANEL_TOP + rows.length * (ROW_HEIGHT + 14) + 50;
  const body: string[] = [];
  scenarios.forEach((scenario, col) => {
    const x = LEFT + col * (PANEL_WIDTH + COLUMN_GAP + LEFT / 2);
    const runs = rows.map((row) => row(scenario));
    const reference = runs.filter((r): r is StrategyRun => r !== undefined && r.strategy !== 'sequential');
    const cutMs = 1.15 * Math.max(...reference.map((r) => r.slots.makespanMs), meanMs);
    body.push(`<text x="${x}" y="26" class="heading">${escapeXml(scenario.title)}</text>`);
    runs.forEach((run, row) => {
      if (!run) return;
      body.push(
        panel(run, scenario.destinations, x, PANEL_TOP + 14 + row * (ROW_HEIGHT + 14), cutMs, meanMs, slots),
      );
    });
    body.push(axis(x, PANEL_TOP + rows.length * (ROW_HEIGHT + 14) - 22, cutMs, meanMs));
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH + 140}" height="${height}" viewBox="0 0 ${WIDTH + 140} ${height}" font-family="Helvetica, Arial, sans-serif">
<style>
.heading { font-size: 15px; font-weight: bold; }
.title { font-size: 11.5px; }
.region { font-size: 11px; text-anchor: end; fill: #333; }
.note { font-size: 11px; text-anchor: end; fill: #555; font-style: italic; }
.legend { font-size: 11px; fill: #333; }
.tick { font-size: 10px; text-anchor: middle; fill: #333; }
.label { font-size: 11px; text-anchor: middle; fill: #333; }
.lane { fill: #f6f6f6; stroke: #ddd; }
.limit { stroke: #000; stroke-dasharray: 4 3; stroke-width: 0.8; }
.axis { stroke: #333; stroke-width: 1; }
</style>
<rect width="100%" height="100%" fill="#fff"/>
<text x="${LEFT}" y="${height - 8}" class="legend">Copies in flight per destination Region over time; dashed: the FSx limit of ${slots} copies in progress per Region. Rows: the service, then the two baselines; intervals in % of the mean copy duration.</text>
${body.join('\n')}
</svg>
`;
}
