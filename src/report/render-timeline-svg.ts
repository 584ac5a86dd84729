import { formatSpan } from './format-span.js';
import type { PairReport } from './report-model.js';

const WIDTH = 760;
const HEIGHT = 170;
const PAD = { left: 64, right: 14, top: 12, bottom: 30 } as const;

const STROKE: Readonly<Record<'within' | 'breached' | 'no-rpo', string>> = {
  within: '#1f6feb',
  breached: '#cf222e',
  'no-rpo': '#57606a',
};

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const fmt = (n: number): string => (Math.round(n * 10) / 10).toString();

function dateLabel(ms: number, lengthMs: number): string {
  const iso = new Date(ms).toISOString();
  return lengthMs > 3 * 86_400_000 ? iso.slice(0, 10) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}Z`;
}

/**
 * The recovery point age of one pair over the period, as an inline SVG: the age line (blue within the RPO, red
 * past it), the RPO as a dashed line, breaches shaded, and stretches with no copy known hatched grey. `index` keeps
 * the ids of several timelines in one page apart.
 */
export function renderTimelineSvg(
  pair: PairReport,
  period: { readonly start: string; readonly end: string },
  index: number,
): string {
  const hatch = `hatch-${index}`;
  const t0 = Date.parse(period.start);
  const t1 = Date.parse(period.end);
  const span = Math.max(1, t1 - t0);
  const ages = pair.timeline.flatMap((s) => [s.ageFromMs ?? 0, s.ageToMs ?? 0]);
  const top = Math.max(1_000, ...ages, (pair.rpoMs ?? 0) * 1.25);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (iso: string): number => PAD.left + ((Date.parse(iso) - t0) / span) * plotW;
  const xMs = (ms: number): number => PAD.left + ((ms - t0) / span) * plotW;
  const y = (age: number): number => PAD.top + plotH - (age / top) * plotH;
  const parts: string[] = [];
  for (const s of pair.timeline) {
    const w = fmt(x(s.to) - x(s.from));
    if (s.state === 'no-copy') {
      parts.push(
        `<rect class="no-copy" x="${fmt(x(s.from))}" y="${PAD.top}" width="${w}" height="${plotH}" fill="url(#${hatch})"/>`,
      );
    } else if (s.state === 'breached') {
      parts.push(
        `<rect class="breach" x="${fmt(x(s.from))}" y="${PAD.top}" width="${w}" height="${plotH}" fill="#ffebe9"/>`,
      );
    }
  }
  for (const s of pair.timeline) {
    if (s.state === 'no-copy' || s.ageFromMs === null || s.ageToMs === null) continue;
    parts.push(
      `<line class="age ${s.state}" x1="${fmt(x(s.from))}" y1="${fmt(y(s.ageFromMs))}" x2="${fmt(x(s.to))}" y2="${fmt(y(s.ageToMs))}" stroke="${STROKE[s.state]}" stroke-width="2"/>`,
    );
  }
  // Where a copy made the recovery point newer, the age drops: a thin vertical joins the two stretches.
  for (let i = 1; i < pair.timeline.length; i += 1) {
    const a = pair.timeline[i - 1];
    const b = pair.timeline[i];
    if (!a || !b || a.ageToMs === null || b.ageFromMs === null || a.ageToMs === b.ageFromMs) continue;
    parts.push(
      `<line class="drop" x1="${fmt(x(b.from))}" y1="${fmt(y(a.ageToMs))}" x2="${fmt(x(b.from))}" y2="${fmt(y(b.ageFromMs))}" stroke="${STROKE[b.state === 'no-copy' ? 'no-rpo' : b.state]}" stroke-width="1"/>`,
    );
  }
  if (pair.rpoMs !== null) {
    const ry = fmt(y(pair.rpoMs));
    parts.push(
      `<line class="rpo" x1="${PAD.left}" y1="${ry}" x2="${WIDTH - PAD.right}" y2="${ry}" stroke="#cf222e" stroke-dasharray="6 4" stroke-width="1.5"/>`,
      `<text x="${WIDTH - PAD.right - 4}" y="${fmt(y(pair.rpoMs) - 4)}" text-anchor="end" class="label rpo-label">RPO ${escapeXml(formatSpan(pair.rpoMs))}</text>`,
    );
  }
  const axis: string[] = [
    `<line x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${WIDTH - PAD.right}" y2="${PAD.top + plotH}" stroke="#8c959f"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${PAD.top + plotH}" stroke="#8c959f"/>`,
    `<text x="${PAD.left - 6}" y="${fmt(y(0) + 4)}" text-anchor="end" class="label">0</text>`,
    `<text x="${PAD.left - 6}" y="${fmt(y(top) + 8)}" text-anchor="end" class="label">${escapeXml(formatSpan(top))}</text>`,
  ];
  for (const f of [0, 0.25, 0.5, 0.75, 1]) {
    const ms = t0 + f * span;
    const anchor = f === 0 ? 'start' : f === 1 ? 'end' : 'middle';
    axis.push(
      `<line x1="${fmt(xMs(ms))}" y1="${PAD.top + plotH}" x2="${fmt(xMs(ms))}" y2="${PAD.top + plotH + 4}" stroke="#8c959f"/>`,
      `<text x="${fmt(xMs(ms))}" y="${HEIGHT - 10}" text-anchor="${anchor}" class="label">${escapeXml(dateLabel(ms, span))}</text>`,
    );
  }
  const title = `Recovery point age of ${pair.fileSystemId} in ${pair.destinationRegion} (${pair.policy})`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<defs><pattern id="${hatch}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f6f8fa"/><line x1="0" y1="0" x2="0" y2="6" stroke="#d0d7de" stroke-width="2"/></pattern></defs>`,
    ...parts,
    ...axis,
    `<text x="14" y="${fmt(PAD.top + plotH / 2)}" transform="rotate(-90 14 ${fmt(PAD.top + plotH / 2)})" text-anchor="middle" class="label">age</text>`,
    '</svg>',
  ].join('\n');
}
