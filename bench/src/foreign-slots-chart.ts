import type { SlotInterval } from './free-slot-time.js';

/**
 * The SVG chart of scenario (b): per behaviour, the Region's five slots over the waiting window, foreign copies
 * stacked under the service's. White above the stack is free slot-time the service left unused. Time in mean copy
 * durations from the service's first copy start. Hand-written SVG, as in-flight-chart.ts.
 */
export interface SlotTimeline {
  readonly label: string;
  readonly service: readonly SlotInterval[];
  readonly foreign: readonly SlotInterval[];
  readonly from: number;
  readonly to: number;
  readonly share: number;
}

const WIDTH = 1000;
const LEFT = 40;
const PANEL_WIDTH = 920;
const PANEL_HEIGHT = 110;
const GAP = 46;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Constant pieces [start, end) of (service, foreign) copies in progress inside [from, to). */
export function slotSteps(
  timeline: Pick<SlotTimeline, 'service' | 'foreign' | 'from' | 'to'>,
): Array<{ start: number; end: number; service: number; foreign: number }> {
  const events: Array<[number, number, number]> = [];
  for (const c of timeline.service) events.push([c.start, 1, 0], [c.end, -1, 0]);
  for (const c of timeline.foreign) events.push([c.start, 0, 1], [c.end, 0, -1]);
  events.sort((a, b) => a[0] - b[0]);
  const out: Array<{ start: number; end: number; service: number; foreign: number }> = [];
  let service = 0;
  let foreign = 0;
  let at = Number.NEGATIVE_INFINITY;
  for (const [t, ds, df] of events) {
    const start = Math.max(at, timeline.from);
    const end = Math.min(t, timeline.to);
    if (end > start) out.push({ start, end, service, foreign });
    service += ds;
    foreign += df;
    at = t;
  }
  if (timeline.to > Math.max(at, timeline.from)) {
    out.push({ start: Math.max(at, timeline.from), end: timeline.to, service, foreign });
  }
  return out;
}

function panel(t: SlotTimeline, y: number, spanMs: number, meanMs: number, slots: number): string {
  const xOf = (ms: number): number => LEFT + ((ms - t.from) / spanMs) * PANEL_WIDTH;
  const h = PANEL_HEIGHT / slots;
  const parts: string[] = [
    `<text x="${LEFT}" y="${y - 6}" class="title">${escapeXml(`${t.label}: ${(t.share * 100).toFixed(1)} % of free slot-time used`)}</text>`,
    `<rect x="${LEFT}" y="${y}" width="${PANEL_WIDTH}" height="${PANEL_HEIGHT}" class="lane"/>`,
  ];
  for (const s of slotSteps(t)) {
    const x = xOf(s.start).toFixed(1);
    const w = Math.max(0.2, xOf(s.end) - xOf(s.start)).toFixed(2);
    if (s.foreign > 0) {
      parts.push(
        `<rect x="${x}" y="${(y + PANEL_HEIGHT - s.foreign * h).toFixed(1)}" width="${w}" height="${(s.foreign * h).toFixed(1)}" class="foreign"/>`,
      );
    }
    if (s.service > 0) {
      parts.push(
        `<rect x="${x}" y="${(y + PANEL_HEIGHT - (s.foreign + s.service) * h).toFixed(1)}" width="${w}" height="${(s.service * h).toFixed(1)}" class="service"/>`,
      );
    }
  }
  const step = [1, 2, 5, 10, 20, 50].find((k) => spanMs / meanMs / k <= 12) ?? 100;
  for (let m = 0; m * meanMs <= spanMs; m += step) {
    const x = xOf(t.from + m * meanMs).toFixed(1);
    parts.push(`<text x="${x}" y="${y + PANEL_HEIGHT + 14}" class="tick">${m}</text>`);
  }
  return parts.join('\n');
}

export function foreignSlotsChart(timelines: readonly SlotTimeline[], meanMs: number, slots: number): string {
  const spanMs = Math.max(meanMs, ...timelines.map((t) => t.to - t.from));
  const height = 30 + timelines.length * (PANEL_HEIGHT + GAP) + 20;
  const body = timelines.map((t, i) => panel(t, 34 + i * (PANEL_HEIGHT + GAP), spanMs, meanMs, slots));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif">
<style>
.title { font-size: 12px; }
.tick { font-size: 10px; text-anchor: middle; fill: #333; }
.legend { font-size: 11px; fill: #333; }
.lane { fill: #fff; stroke: #999; }
.foreign { fill: #8c8c8c; }
.service { fill: #1f77b4; }
</style>
<rect width="100%" height="100%" fill="#fff"/>
<text x="${LEFT}" y="16" class="legend">The ${slots} copy slots of one Region while the service had copies waiting: grey, foreign copies; blue, the service's; white, free and unused. Time in mean copy durations.</text>
${body.join('\n')}
</svg>
`;
}
