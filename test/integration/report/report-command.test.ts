import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CopyOutcome } from '../../../src/copy/outcome.js';
import type { DrReport } from '../../../src/report/report-model.js';
import { fsId, PipelineHarness } from '../../support/pipeline-harness.js';
import { runCli } from '../../support/service-process.js';
import { launchChromium, pdfPageCount } from '../deploy/helpers/chromium.js';

/** Where the rendered pictures go, to be looked at (kept out of git). */
const SHOTS = resolve(import.meta.dirname, '../../../.tmp/report');

const key = (o: { policy: string; fileSystemId: string; destinationRegion: string }): string =>
  `${o.policy} ${o.fileSystemId} ${o.destinationRegion}`;

describe('fsx-dr report after a run', () => {
  let h: PipelineHarness;
  let config: string;
  let outcomes: CopyOutcome[];
  let dir: string;

  beforeAll(async () => {
    h = await PipelineHarness.start({
      copyDuration: 100,
      copyFailure: (c) =>
        c.fileSystemId === fsId(2) && c.destinationRegion === 'eu-west-1'
          ? 'Simulated: the destination KMS key is disabled'
          : undefined,
    });
    for (const n of [1, 2, 3]) {
      h.sim.addFileSystem({ region: 'us-east-1', fileSystemId: fsId(n), type: 'WINDOWS' });
      h.sim.addBackup({ region: 'us-east-1', fileSystemId: fsId(n), creationTime: Date.now() - 5_000 });
    }
    config = await h.policyFile([
      {
        name: 'gold',
        schedule: '* * * * * *',
        rpo: '1h',
        fileSystemIds: [fsId(1), fsId(2)],
        destinations: ['us-west-2', 'eu-west-1'],
      },
      { name: 'bronze', schedule: '* * * * * *', fileSystemIds: [fsId(3)], destinations: ['us-west-2'] },
    ]);
    const svc = h.run(config);
    await h.waitForOutcomes(5);
    // A second round of backups, so that pairs have more than one recovery point.
    h.sim.addBackup({ region: 'us-east-1', fileSystemId: fsId(1), creationTime: Date.now() });
    h.sim.addBackup({ region: 'us-east-1', fileSystemId: fsId(3), creationTime: Date.now() });
    await h.waitForOutcomes(9);
    await svc.stop();
    const listed = await runCli(['outcomes', '--json', '--limit', '1000'], h.env());
    expect(listed.code).toBe(0);
    outcomes = JSON.parse(listed.stdout) as CopyOutcome[];
    dir = await mkdtemp(join(tmpdir(), 'fsxdr-report-'));
  });
  afterAll(async () => h?.close());

  async function report(format: string, extra: string[] = []): Promise<string> {
    const file = join(dir, `report.${format}`);
    const r = await runCli(
      ['report', '--config', config, '--since', '1h', '--format', format, '--out', file, ...extra],
      h.env(),
    );
    expect(r.stderr).toMatch(/^wrote /);
    expect(r.code).toBe(0);
    return readFile(file, 'utf8');
  }

  it('JSON: per pair, the same succeeded and failed copies as `fsx-dr outcomes`', async () => {
    const r = JSON.parse(await report('json')) as DrReport;
    expect(r.pairs.map(key).sort()).toEqual(
      [
        `bronze ${fsId(3)} us-west-2`,
        `gold ${fsId(1)} eu-west-1`,
        `gold ${fsId(1)} us-west-2`,
        `gold ${fsId(2)} eu-west-1`,
        `gold ${fsId(2)} us-west-2`,
      ].sort(),
    );
    for (const p of r.pairs) {
      const own = outcomes.filter((o) => key(o) === key(p));
      expect(p.account).toBe('default');
      expect(p.copies.succeeded, key(p)).toBe(own.filter((o) => o.status === 'succeeded').length);
      expect(p.copies.failed, key(p)).toBe(own.filter((o) => o.status !== 'succeeded').length);
      const newest = own
        .filter((o) => o.status === 'succeeded')
        .sort((a, b) => Date.parse(b.sourceCreatedAt!) - Date.parse(a.sourceCreatedAt!))[0];
      expect(p.newestCopy?.destinationBackupId ?? null).toBe(newest?.destinationBackupId ?? null);
    }
    const failing = r.pairs.find((p) => key(p) === `gold ${fsId(2)} eu-west-1`)!;
    expect(failing.copies.failedByReason).toEqual({ CopyFailed: failing.copies.failed });
    expect(failing.copies.failed).toBeGreaterThan(0);
    expect(failing.newestCopy).toBeNull();
    const gold = r.pairs.find((p) => key(p) === `gold ${fsId(1)} us-west-2`)!;
    expect(gold.rpoMs).toBe(3_600_000);
    expect(gold.copies.succeeded).toBe(2);
    // The service ran for seconds of the hour asked for: the history is shorter, and the report says so.
    expect(r.history.coversPeriod).toBe(false);
    expect(r.caveats[0]).toMatch(/^The outcome history kept in Redis is shorter than the 1h asked for/);
    expect(r.pairs.find((p) => p.policy === 'bronze')?.withinRpoShare).toBeNull();
  });

  it('Markdown and HTML say the same numbers as the JSON', async () => {
    const r = JSON.parse(await report('json')) as DrReport;
    const md = await report('md');
    const html = await report('html');
    for (const p of r.pairs) {
      const line = md
        .split('\n')
        .find(
          (l) =>
            l.startsWith(`| default | ${p.policy} | ${p.fileSystemId} |`) &&
            l.includes(`→ ${p.destinationRegion} |`),
        );
      expect(line, key(p)).toBeDefined();
      expect(line).toContain(` | ${p.copies.succeeded} | `);
      expect(html).toContain(`${p.fileSystemId} → ${p.destinationRegion}`);
    }
    expect(md).toContain('CopyFailed');
    expect(html).toContain('shorter than the 1h asked for');
  });

  it('stdout by default, and refuses a bad --since or --format', async () => {
    const md = await runCli(['report', '--since', '1h', '--format', 'md'], h.env());
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^# FSx DR evidence report/);
    expect(md.stdout).toContain('No --config was given');
    expect((await runCli(['report', '--since', 'yesterday'], h.env())).code).toBe(2);
    expect((await runCli(['report', '--format', 'pdf'], h.env())).code).toBe(2);
  });

  it('the HTML renders in headless Chromium: a timeline per pair on screen, and pages when printed', async () => {
    const file = join(dir, 'report.html');
    const r = JSON.parse(await report('json')) as DrReport;
    await report('html');
    await mkdir(SHOTS, { recursive: true });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      await page.goto(pathToFileURL(file).href);
      const timelines = page.locator('svg.timeline');
      const boxes = await Promise.all((await timelines.all()).map((t) => t.boundingBox()));
      expect(boxes).toHaveLength(r.pairs.length);
      for (const b of boxes) expect(b?.width).toBeGreaterThan(600);
      await page.screenshot({ path: join(SHOTS, 'report-screen.png'), fullPage: true });
      await page.emulateMedia({ media: 'print' });
      await page.screenshot({ path: join(SHOTS, 'report-print.png'), fullPage: true });
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      expect(pdfPageCount(pdf)).toBeGreaterThanOrEqual(1);
      expect(pdfPageCount(pdf)).toBeLessThanOrEqual(r.pairs.length + 1);
    } finally {
      await browser.close();
    }
  });
});
