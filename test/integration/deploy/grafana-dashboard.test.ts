import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fsId, PipelineHarness } from '../../support/pipeline-harness.js';
import { exposedMetricNames, queryProblems } from './helpers/promql-names.js';
import { loadRules, ROOT } from './helpers/rule-files.js';

const DASHBOARD = join(ROOT, 'deploy/grafana/fsx-dr-dashboard.json');

interface Target {
  readonly expr: string;
  readonly datasource?: { readonly uid?: string };
}
interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly datasource?: { readonly type?: string; readonly uid?: string };
  readonly targets?: readonly Target[];
  readonly panels?: readonly Panel[];
}
interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly panels: readonly Panel[];
  readonly templating: {
    readonly list: readonly { name: string; type: string; query?: string | { query: string } }[];
  };
}

const allPanels = (d: Dashboard): Panel[] => d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);

/** Every way the dashboard can drift from the service: a query that does not parse, a metric nobody exports. */
function dashboardProblems(
  d: Dashboard,
  exported: ReadonlySet<string>,
  recorded: ReadonlyMap<string, string>,
): string[] {
  const out: string[] = [];
  for (const p of allPanels(d)) {
    for (const t of p.targets ?? []) {
      out.push(...queryProblems(t.expr, exported, recorded).map((e) => `panel "${p.title}": ${e}`));
    }
  }
  for (const v of d.templating.list) {
    const q = typeof v.query === 'string' ? v.query : v.query?.query;
    const m = q === undefined ? null : /^label_values\(([^,]+),\s*\w+\)$/.exec(q);
    if (v.type === 'query' && !m?.[1])
      out.push(`variable ${v.name}: not a label_values(metric, label) query`);
    if (m?.[1]) out.push(...queryProblems(m[1], exported, recorded).map((e) => `variable ${v.name}: ${e}`));
  }
  return out;
}

describe('Grafana dashboard', () => {
  let exported: Set<string>;
  let recorded: Map<string, string>;
  let dashboard: Dashboard;

  beforeAll(async () => {
    dashboard = JSON.parse(await readFile(DASHBOARD, 'utf8')) as Dashboard;
    recorded = new Map(
      (await loadRules()).flatMap((r) => (r.record !== undefined ? [[r.record, r.expr] as const] : [])),
    );
    // What a live `fsx-dr run` exports, read from its /metrics after it made a copy.
    const h = await PipelineHarness.start({ copyDuration: 50 });
    try {
      h.seed([fsId(1)]);
      const config = await h.policyFile([
        {
          name: 'gold',
          rpo: '26h',
          schedule: '0 * * * *',
          fileSystemIds: [fsId(1)],
          destinations: ['us-west-2'],
        },
      ]);
      const svc = h.run(config);
      const port = Number((await svc.waitForEvent('http.listening'))['port']);
      await h.waitForOutcomes(1);
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      exported = exposedMetricNames(await res.text());
    } finally {
      await h.close();
    }
    expect(exported.has('fsxdr_copies_in_flight')).toBe(true);
  });

  it('every panel query and variable parses, and names only metrics the service exports (or rules record)', () => {
    expect(dashboardProblems(dashboard, exported, recorded)).toEqual([]);
    const exprs = allPanels(dashboard).flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    expect(exprs.length).toBeGreaterThanOrEqual(10);
  });

  it('the rules name only metrics the service exports, recorded ones, and Prometheus’ own `up`', async () => {
    const problems = (await loadRules()).flatMap((r) =>
      queryProblems(r.expr, exported, recorded, new Set(['up'])).map((p) => `${r.alert ?? r.record}: ${p}`),
    );
    expect(problems).toEqual([]);
  });

  it('fails on a planted mistake: a wrong metric name in a panel', () => {
    const planted = JSON.parse(
      JSON.stringify(dashboard).replace('fsxdr_process_resident_memory_bytes', 'fsxdr_process_rss_bytes'),
    ) as Dashboard;
    expect(dashboardProblems(planted, exported, recorded)).toEqual([
      'panel "Resident memory per process": fsxdr_process_rss_bytes is neither exported by fsx-dr nor recorded by a rule',
    ]);
  });

  it('fails on a planted mistake: a wrong metric name behind a recording rule, and a query that does not parse', () => {
    const wrongRule = new Map(recorded);
    wrongRule.set(
      'destination_region:fsxdr_copies_in_flight:max',
      'max by (destination_region) (fsxdr_copies_inflight)',
    );
    expect(dashboardProblems(dashboard, exported, wrongRule)).toEqual([
      'panel "Copies in flight per Region, against FSx\'s limit of 5": destination_region:fsxdr_copies_in_flight:max: fsxdr_copies_inflight is neither exported by fsx-dr nor recorded by a rule',
    ]);
    const broken = JSON.parse(
      JSON.stringify(dashboard).replace('3600 * error_name', '3600 * * error_name'),
    ) as Dashboard;
    expect(dashboardProblems(broken, exported, recorded)[0]).toMatch(
      /^panel "Retries by FSx error, per hour": does not parse/,
    );
  });

  it('imports as Grafana expects: a uid, unique panel ids, the datasource variable, no overlap on the 24-column grid', () => {
    expect(dashboard.uid).toBe('fsx-dr-scheduler');
    const panels = allPanels(dashboard);
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    expect(dashboard.templating.list.map((v) => v.name)).toEqual([
      'datasource',
      'destination_region',
      'policy',
    ]);
    const cells = new Set<string>();
    for (const p of panels) {
      expect(p.title, `panel ${p.id}`).toBeTruthy();
      const g = p.gridPos;
      expect(g.x + g.w, p.title).toBeLessThanOrEqual(24);
      if (p.type !== 'row') {
        expect(p.datasource, p.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
        for (const t of p.targets ?? []) expect(t.datasource?.uid, p.title).toBe('${datasource}');
      }
      for (let x = g.x; x < g.x + g.w; x += 1)
        for (let y = g.y; y < g.y + g.h; y += 1) {
          expect(cells.has(`${x},${y}`), `${p.title} overlaps at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
    }
  });

  it('shows in flight against the limit, queue depth, outcomes, retries by reason, and newest-copy age and RPO per pair', () => {
    const uses = (metric: string): boolean =>
      allPanels(dashboard).some((p) => (p.targets ?? []).some((t) => t.expr.includes(metric)));
    for (const m of [
      'fsxdr_copies_in_flight',
      'fsxdr_queue_depth',
      'fsxdr_copy_outcomes',
      'fsxdr_copy_retries',
      'fsxdr_newest_copy_age_seconds',
      'fsxdr_rpo_breached',
    ]) {
      expect(uses(m), m).toBe(true);
    }
  });
});
