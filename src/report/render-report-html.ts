import type { DrReport, PairReport } from './report-model.js';
import { breachCells, headline, pairCells, periodText } from './report-text.js';
import { renderTimelineSvg } from './render-timeline-svg.js';

function escapeHtml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #1f2328;
  margin: 24px auto; max-width: 1040px; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 0 0 6px; }
.meta { color: #57606a; margin: 0 0 12px; }
.headline { font-weight: 600; }
.caveats { border-left: 4px solid #bf8700; background: #fff8c5; padding: 8px 12px; margin: 12px 0; }
.caveats p { margin: 4px 0; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { border: 1px solid #d0d7de; padding: 3px 5px; text-align: left; vertical-align: top; font-size: 12px; }
table.summary td.reasons { overflow-wrap: anywhere; min-width: 7em; }
th { background: #f6f8fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.id, td.word { white-space: nowrap; }
.ok { color: #1a7f37; font-weight: 600; }
.bad { color: #cf222e; font-weight: 600; }
section.pair { border: 1px solid #d0d7de; border-radius: 6px; padding: 10px 12px; margin: 12px 0; }
section.pair dl { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: 2px 12px; margin: 0 0 6px; }
section.pair dt { color: #57606a; }
section.pair dd { margin: 0; }
svg.timeline { width: 100%; height: auto; display: block; }
svg .label { font: 11px system-ui, "DejaVu Sans", sans-serif; fill: #57606a; }
svg .rpo-label { fill: #cf222e; }
.legend { font-size: 12px; color: #57606a; margin: 4px 0 0; }
.legend span { display: inline-block; margin-right: 14px; }
.swatch { display: inline-block; width: 18px; height: 3px; vertical-align: middle; margin-right: 4px; }
@page { size: A4; margin: 12mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 11px; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  section.pair, table, tr, .caveats { break-inside: avoid; }
  h2 { break-after: avoid; }
  th, td { font-size: 10px; }
  table.summary th, table.summary td { font-size: 8.5px; padding: 2px 3px; }
}
`;

function summaryTable(r: DrReport): string {
  const head = [
    'account',
    'policy',
    'file system',
    'source → destination',
    'RPO',
    'within RPO',
    'breaches',
    'no copy known',
    'recovery point age',
    'succeeded',
    'failed',
    'held',
  ];
  const rows = r.pairs.map((p) => {
    const c = pairCells(p);
    const share = p.withinRpoShare === null ? '' : p.withinRpoShare === 1 ? 'ok' : 'bad';
    return `<tr><td class="word">${escapeHtml(c.account)}</td><td class="word">${escapeHtml(c.policy)}</td><td class="id">${escapeHtml(c.fileSystem)}</td>
<td>${escapeHtml(c.route)}</td><td class="word">${escapeHtml(c.rpo)}</td>
<td class="num ${share}">${escapeHtml(c.withinRpo)}</td><td class="num">${escapeHtml(c.breaches)}</td>
<td class="num">${escapeHtml(c.noCopy)}</td>
<td class="num">${escapeHtml(c.recoveryPointAge)}</td><td class="num">${escapeHtml(c.succeeded)}</td>
<td class="reasons">${escapeHtml(c.failed)}</td><td>${escapeHtml(c.held)}</td></tr>`;
  });
  return `<table class="summary"><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

function pairSection(r: DrReport, p: PairReport, index: number): string {
  const c = pairCells(p);
  const facts: [string, string][] = [
    ['account', c.account],
    ['RPO', c.rpo],
    ['route', c.route],
    ['within RPO', c.withinRpo],
    ['newest copy', c.newestCopy],
    ['recovery point age', c.recoveryPointAge],
    ['copies succeeded', c.succeeded],
    ['copies failed', c.failed],
    ['no copy known for', c.noCopy],
    ['copies held', c.held],
  ];
  const breaches =
    p.breaches.length === 0
      ? `<p>${p.rpoMs === null ? 'No RPO to measure against.' : 'No breach in the period.'}</p>`
      : `<table class="breaches"><thead><tr><th>breach start</th><th>end</th><th>length</th></tr></thead><tbody>
${p.breaches
  .map((b) => {
    const bc = breachCells(b);
    return `<tr><td>${escapeHtml(bc.start)}</td><td>${escapeHtml(bc.end)}</td><td class="num">${escapeHtml(bc.length)}</td></tr>`;
  })
  .join('\n')}</tbody></table>`;
  return `<section class="pair" id="pair-${index}">
<h3>${escapeHtml(c.policy)} · ${escapeHtml(p.fileSystemId)} → ${escapeHtml(p.destinationRegion)}</h3>
<dl>${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>
${renderTimelineSvg(p, r.period, index)}
<p class="legend"><span><i class="swatch" style="background:#1f6feb"></i>age within RPO</span><span><i class="swatch" style="background:#cf222e"></i>age past RPO</span><span><i class="swatch" style="background:#57606a"></i>age (no RPO)</span><span><i class="swatch" style="background:#d0d7de;height:8px"></i>no copy known</span></p>
${breaches}
</section>`;
}

/**
 * The report as one self-contained HTML page (no script, no external file): a summary table and, per pair, its
 * facts, an SVG timeline of the recovery point age against the RPO, and its breaches. Prints on A4.
 */
export function renderReportHtml(r: DrReport): string {
  const caveats =
    r.caveats.length === 0
      ? ''
      : `<div class="caveats">${r.caveats.map((c) => `<p>${escapeHtml(c)}</p>`).join('')}</div>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>FSx DR evidence report, ${escapeHtml(periodText(r))}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>FSx DR evidence report</h1>
<p class="meta">Period ${escapeHtml(periodText(r))} · generated ${escapeHtml(r.generatedAt)} · ${r.history.outcomeRecords} outcome records${r.history.oldestOutcome ? ` since ${escapeHtml(r.history.oldestOutcome)}` : ''}</p>
<p class="headline">${escapeHtml(headline(r))}</p>
${caveats}
<h2>Summary</h2>
${summaryTable(r)}
<h2>Pairs</h2>
${r.pairs.map((p, i) => pairSection(r, p, i)).join('\n')}
</body>
</html>
`;
}
