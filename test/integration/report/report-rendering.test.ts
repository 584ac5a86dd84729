import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CopyOutcome } from '../../../src/copy/outcome.js';
import { buildDrReport } from '../../../src/report/build-dr-report.js';
import { renderReportHtml } from '../../../src/report/render-report-html.js';
import { launchChromium, pdfPageCount } from '../deploy/helpers/chromium.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const SHOTS = join(ROOT, '.tmp/report');
/** `UPDATE_SCREENSHOTS=1` also refreshes the picture the README shows. */
const DOCS_SHOT = join(ROOT, 'docs/report-example.png');

const H = 3_600_000;
const D = 24 * H;
const END = Date.parse('2026-10-01T00:00:00.000Z');
const START = END - 30 * D;

/** Thirty days of a small estate: nightly backups copied an hour or two later, with the kinds of trouble a quarter brings. */
function sampleOutcomes(): CopyOutcome[] {
  const out: CopyOutcome[] = [];
  const add = (o: Partial<CopyOutcome> & { day: number; fs: string; dest: string; policy: string }): void => {
    const { day, fs, dest, ...rest } = o;
    const created = START + day * D;
    const finished = created + H + (day % 3) * 20 * 60_000;
    const n = out.length;
    out.push({
      status: 'succeeded',
      jobId: `job-${n}`,
      fileSystemId: fs,
      sourceRegion: 'us-east-1',
      sourceBackupId: `backup-0${(1_000_000 + n).toString(16)}${day}`,
      sourceCreatedAt: new Date(created).toISOString(),
      destinationRegion: dest,
      destinationBackupId: `backup-0c${(2_000_000 + n).toString(16)}`,
      attempts: 1,
      enqueuedAt: new Date(created + 10 * 60_000).toISOString(),
      startedAt: new Date(created + 15 * 60_000).toISOString(),
      finishedAt: new Date(finished).toISOString(),
      ...rest,
    });
  };
  for (let day = -1; day < 30; day += 1) {
    // Windows file system to us-west-2: the KMS key was disabled for two nights (days 11 and 12).
    if (day === 11 || day === 12) {
      add({ day, fs: 'fs-0a1b2c3d4e5f60718', dest: 'us-west-2', policy: 'finance', status: 'failed' });
      const last = out[out.length - 1]!;
      out[out.length - 1] = {
        ...last,
        errorName: 'InvalidDestinationKmsKey',
        errorMessage: 'The KMS key is disabled',
      };
    } else add({ day, fs: 'fs-0a1b2c3d4e5f60718', dest: 'us-west-2', policy: 'finance' });
    // The same file system to eu-west-1: copies stopped on day 26 (still broken at the end of the period).
    if (day < 26) add({ day, fs: 'fs-0a1b2c3d4e5f60718', dest: 'eu-west-1', policy: 'finance' });
    // A Lustre file system copied weekly, without an RPO.
    if (day % 7 === 0) add({ day, fs: 'fs-0fedcba9876543210', dest: 'us-west-2', policy: 'scratch-weekly' });
  }
  return out;
}

describe('the DR report as a person sees it', () => {
  it('30 days: sawtooth ages, a healed breach, an ongoing one; readable on screen and on A4', async () => {
    const report = buildDrReport({
      now: END,
      periodMs: 30 * D,
      outcomes: sampleOutcomes(),
      knownCopies: [],
      pairs: [
        ...['us-west-2', 'eu-west-1'].map((destinationRegion) => ({
          account: 'default',
          policy: 'finance',
          sourceRegion: 'us-east-1',
          fileSystemId: 'fs-0a1b2c3d4e5f60718',
          destinationRegion,
          rpoMs: 26 * H,
        })),
        {
          account: 'default',
          policy: 'scratch-weekly',
          sourceRegion: 'us-east-1',
          fileSystemId: 'fs-0fedcba9876543210',
          destinationRegion: 'us-west-2',
        },
      ],
      retention: { maxCount: 10_000, maxAgeMs: 90 * D },
    });
    const west = report.pairs.find((p) => p.destinationRegion === 'us-west-2' && p.policy === 'finance')!;
    expect(west.breaches.map((b) => [b.start, b.end])).toEqual([
      [
        new Date(START + 10 * D + 26 * H).toISOString(),
        new Date(START + 13 * D + H + 20 * 60_000).toISOString(),
      ],
    ]);
    const east = report.pairs.find((p) => p.destinationRegion === 'eu-west-1')!;
    expect(east.breaches).toMatchObject([{ ongoing: true }]);

    await mkdir(SHOTS, { recursive: true });
    const file = join(SHOTS, 'report-sample.html');
    await writeFile(file, renderReportHtml(report));
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, deviceScaleFactor: 1 });
      await page.goto(pathToFileURL(file).href);
      // Breach stretches are drawn in red on the pairs that had them, and nowhere else.
      const sections = await page.locator('section.pair').all();
      const breachRects = await Promise.all(sections.map((s) => s.locator('rect.breach').count()));
      expect(breachRects.map((n) => n > 0)).toEqual(report.pairs.map((p) => p.breaches.length > 0));
      const png = join(SHOTS, 'report-sample.png');
      await page.screenshot({ path: png, fullPage: true });
      if (process.env['UPDATE_SCREENSHOTS'] === '1') await copyFile(png, DOCS_SHOT);
      await page.emulateMedia({ media: 'print' });
      await page.screenshot({ path: join(SHOTS, 'report-sample-print.png'), fullPage: true });
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      await writeFile(join(SHOTS, 'report-sample.pdf'), pdf);
      expect(pdfPageCount(pdf)).toBeGreaterThanOrEqual(1);
      expect(pdfPageCount(pdf)).toBeLessThanOrEqual(3);
    } finally {
      await browser.close();
    }
  });
});
