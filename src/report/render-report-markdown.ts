import type { DrReport } from './report-model.js';
import { breachCells, headline, pairCells, periodText } from './report-text.js';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const row = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`;

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [row(headers), row(headers.map(() => '---')), ...rows.map(row)];
}

/** The report as Markdown: the same numbers as the JSON, for a ticket or a wiki page. */
export function renderReportMarkdown(r: DrReport): string {
  const lines: string[] = [
    '# FSx DR evidence report',
    '',
    `Period: ${periodText(r)}. Generated ${r.generatedAt}.`,
    '',
    `**${headline(r)}**`,
    '',
  ];
  if (r.caveats.length > 0) {
    lines.push(...r.caveats.flatMap((c, i) => (i === 0 ? [`> ${c}`] : ['>', `> ${c}`])), '');
  }
  lines.push('## Pairs', '');
  lines.push(
    ...table(
      [
        'account',
        'policy',
        'file system',
        'source → destination',
        'RPO',
        'within RPO',
        'breaches',
        'no copy known',
        'newest copy',
        'recovery point age',
        'succeeded',
        'failed',
        'held',
      ],
      r.pairs.map((p) => {
        const c = pairCells(p);
        return [
          c.account,
          c.policy,
          c.fileSystem,
          c.route,
          c.rpo,
          c.withinRpo,
          c.breaches,
          c.noCopy,
          c.newestCopy,
          c.recoveryPointAge,
          c.succeeded,
          c.failed,
          c.held,
        ];
      }),
    ),
    '',
  );
  const breaches = r.pairs.flatMap((p) => p.breaches.map((b) => ({ p, b })));
  lines.push('## Breaches', '');
  if (breaches.length === 0) lines.push('None in the period.', '');
  else {
    lines.push(
      ...table(
        ['account', 'policy', 'file system', 'destination', 'start', 'end', 'length'],
        breaches.map(({ p, b }) => {
          const c = breachCells(b);
          return [p.account, p.policy, p.fileSystemId, p.destinationRegion, c.start, c.end, c.length];
        }),
      ),
      '',
    );
  }
  return lines.join('\n');
}
