import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROMTOOL_BIN } from './helpers/prometheus-server.js';
import { loadRules, PROMETHEUS_DIR as PROM_DIR, ROOT, yamlFiles } from './helpers/rule-files.js';

function promtool(args: readonly string[], cwd: string): { code: number | null; output: string } {
  const r = spawnSync(PROMTOOL_BIN, args, { cwd, encoding: 'utf8' });
  if (r.error) throw new Error(`${PROMTOOL_BIN}: ${r.error.message} (apt-get install prometheus)`);
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

/** A copy of deploy/prometheus to plant mistakes in. */
async function copyOfRules(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fsxdr-rules-'));
  await cp(PROM_DIR, dir, { recursive: true });
  return dir;
}

describe('Prometheus rules (promtool)', () => {
  it('promtool check rules: every file is valid', async () => {
    const files = (await yamlFiles(join(PROM_DIR, 'rules'))).map((f) => `rules/${f}`);
    const r = promtool(['check', 'rules', ...files], PROM_DIR);
    expect(r.output).not.toMatch(/FAILED/);
    expect(r.code, r.output).toBe(0);
  });

  it('promtool check config: the example scrape config, with the rules it loads', () => {
    const r = promtool(['check', 'config', 'prometheus.example.yaml'], PROM_DIR);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/SUCCESS: 6 rule files found/);
  });

  it('promtool test rules: every unit test passes', async () => {
    const files = (await yamlFiles(join(PROM_DIR, 'tests'))).map((f) => `tests/${f}`);
    expect(files.length).toBeGreaterThanOrEqual(5);
    const r = promtool(['test', 'rules', ...files], PROM_DIR);
    expect(r.code, r.output).toBe(0);
    expect(r.output.match(/SUCCESS/g)).toHaveLength(files.length);
  });

  it('every alert has a severity, a summary, a description and a runbook section in the README', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const alerts = (await loadRules()).filter((r) => r.alert !== undefined);
    expect(alerts.map((a) => a.alert).sort()).toEqual([
      'FsxDrBackupQuotaNear',
      'FsxDrCopiesFailing',
      'FsxDrNoProcessReady',
      'FsxDrRegionFull',
      'FsxDrRetentionFailing',
      'FsxDrRetentionHeld',
      'FsxDrRpoBreached',
      'FsxDrScheduleMissed',
      'FsxDrScheduleNotFiring',
    ]);
    for (const a of alerts) {
      expect(['critical', 'warning'], a.alert).toContain(a.labels?.['severity']);
      expect(a.annotations?.['summary'], a.alert).toBeTruthy();
      expect(a.annotations?.['description'], a.alert).toBeTruthy();
      const anchor = `runbook-${a.alert!.toLowerCase()}`;
      expect(a.annotations?.['runbook_url'], a.alert).toBe(`README.md#${anchor}`);
      expect(readme, `README anchor ${anchor}`).toContain(`<a id="${anchor}"></a>`);
    }
  });

  it('every alert is exercised by a promtool unit test', async () => {
    const tested = new Set<string>();
    for (const f of await yamlFiles(join(PROM_DIR, 'tests'))) {
      const doc = parse(await readFile(join(PROM_DIR, 'tests', f), 'utf8')) as {
        tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
      };
      for (const t of doc.tests)
        for (const a of t.alert_rule_test ?? []) if (a.exp_alerts.length > 0) tested.add(a.alertname);
    }
    const alerts = (await loadRules()).flatMap((r) => (r.alert ? [r.alert] : []));
    expect(alerts.filter((a) => !tested.has(a))).toEqual([]);
  });

  it('fails on a planted mistake: a wrong metric name in a rule', async () => {
    const dir = await copyOfRules();
    const file = join(dir, 'rules/rpo.yaml');
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace('(fsxdr_rpo_breached)', '(fsxdr_rpo_breach)'),
    );
    // Still valid PromQL, so `check` passes; the unit test sees that the alert never fires.
    expect(promtool(['check', 'rules', 'rules/rpo.yaml'], dir).code).toBe(0);
    const r = promtool(['test', 'rules', 'tests/rpo.test.yaml'], dir);
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/FAILED[^]*alertname: FsxDrRpoBreached/);
  });

  it('fails on a planted mistake: an expression that does not parse', async () => {
    const dir = await copyOfRules();
    const file = join(dir, 'rules/rpo.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('== 1', '== = 1'));
    const r = promtool(['check', 'rules', 'rules/rpo.yaml'], dir);
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/FAILED/);
  });
});
