import { describe, expect, it } from 'vitest';
import type { CopyOutcome } from '../../../src/copy/outcome.js';
import { buildDrReport } from '../../../src/report/build-dr-report.js';
import { formatShare, formatSpan } from '../../../src/report/format-span.js';
import { renderReportHtml } from '../../../src/report/render-report-html.js';
import { renderReportMarkdown } from '../../../src/report/render-report-markdown.js';

const H = 3_600_000;
const T0 = Date.parse('2026-03-01T00:00:00.000Z');
const at = (h: number): string => new Date(T0 + h * H).toISOString();

function copy(
  i: number,
  policy: string,
  fs: string,
  status: CopyOutcome['status'] = 'succeeded',
): CopyOutcome {
  return {
    status,
    jobId: `j-${policy}-${fs}-${i}`,
    policy,
    fileSystemId: fs,
    sourceRegion: 'us-east-1',
    sourceBackupId: `backup-${policy}-${i}`,
    sourceCreatedAt: at(i * 24),
    destinationRegion: 'us-west-2',
    ...(status === 'succeeded' ? { destinationBackupId: `backup-copy-${i}` } : { errorName: 'CopyFailed' }),
    attempts: 1,
    enqueuedAt: at(i * 24 + 1),
    finishedAt: at(i * 24 + 2),
  };
}

const outcomes = [
  ...[-1, 0, 1, 2, 5, 6].map((i) => copy(i, 'gold', 'fs-00000000000000001')),
  copy(3, 'gold', 'fs-00000000000000001', 'failed'),
  ...[-1, 0, 1, 2, 3, 4, 5, 6].map((i) => copy(i, 'bronze', 'fs-00000000000000002')),
];
const report = buildDrReport({
  now: T0 + 7 * 24 * H,
  periodMs: 7 * 24 * H,
  outcomes,
  knownCopies: [],
  pairs: [
    {
      account: 'default',
      policy: 'gold',
      sourceRegion: 'us-east-1',
      fileSystemId: 'fs-00000000000000001',
      destinationRegion: 'us-west-2',
      rpoMs: 26 * H,
    },
    {
      account: 'default',
      policy: 'bronze',
      sourceRegion: 'us-east-1',
      fileSystemId: 'fs-00000000000000002',
      destinationRegion: 'us-west-2',
    },
  ],
});

describe('formatSpan and formatShare', () => {
  it.each([
    [0, '0s'],
    [400, '0s'],
    [45_000, '45s'],
    [90_000, '1m 30s'],
    [2 * H + 5 * 60_000, '2h 5m'],
    [3 * 24 * H + 4 * H + 59 * 60_000, '3d 4h'],
    [30 * 24 * H, '30d'],
    [24 * H + 30_000, '1d'],
  ])('%d ms is %s', (ms, text) => expect(formatSpan(ms)).toBe(text));

  it.each([
    [1, '100.00 %'],
    [0.999_99, '99.99 %'],
    [0.5, '50.00 %'],
    [0, '0.00 %'],
  ])('%d is %s, never rounded up to 100 %%', (share, text) => expect(formatShare(share)).toBe(text));
});

describe('renderReportMarkdown', () => {
  const md = renderReportMarkdown(report);
  it('has one row per pair with the same numbers as the JSON', () => {
    const gold = report.pairs.find((p) => p.policy === 'gold')!;
    expect(gold.breaches).toHaveLength(1);
    expect(md).toContain(
      `| default | gold | fs-00000000000000001 | us-east-1 → us-west-2 | 1d 2h | ${formatShare(gold.withinRpoShare!)} | 1 |`,
    );
    expect(md).toContain('| 5 | 1 (CopyFailed 1) | not reported |');
    expect(md).toContain('| default | bronze | fs-00000000000000002 | us-east-1 → us-west-2 | - | - | - |');
  });

  it('lists each breach with start, end and length', () => {
    // Day 2's recovery point (48h) passes the 26h RPO at 74h; day 5's copy lands at 122h.
    expect(md).toContain(
      '| default | gold | fs-00000000000000001 | us-west-2 | 2026-03-04 02:00Z | 2026-03-06 02:00Z | 2d |',
    );
  });

  it('puts the caveats first, as a quote', () => {
    expect(md).toMatch(/\n> Policies without an rpo \(ages shown, no RPO measured\): bronze\.\n/);
  });
});

describe('renderReportHtml', () => {
  const html = renderReportHtml(report);
  it('is one self-contained page: no script, no external resource', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\((?!#)|src=|href="http/i);
  });

  it('has an SVG timeline per pair, with the RPO line only where there is an RPO', () => {
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html.match(/class="rpo"/g)).toHaveLength(1);
    expect(html.match(/class="breach"/g)?.length).toBeGreaterThan(0);
    expect(new Set(html.match(/id="hatch-\d+"/g)).size).toBe(2);
  });

  it('prints: A4 page, pairs kept whole, colours kept', () => {
    expect(html).toContain('@page { size: A4');
    expect(html).toMatch(/@media print \{[^]*break-inside: avoid/);
    expect(html).toContain('print-color-adjust: exact');
  });

  it('escapes what comes from the records', () => {
    const evil = buildDrReport({
      now: T0,
      periodMs: H,
      knownCopies: [],
      outcomes: [
        { ...copy(0, 'gold', 'fs-1'), finishedAt: at(-0.5), sourceCreatedAt: at(-0.6), policy: '<b>x</b>' },
      ],
    });
    const page = renderReportHtml(evil);
    expect(page).not.toContain('<b>x</b>');
    expect(page).toContain('&#60;b&#62;x&#60;/b&#62;');
  });
});
