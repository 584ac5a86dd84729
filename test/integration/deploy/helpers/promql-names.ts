import { parser } from '@prometheus-io/lezer-promql';

/** Grafana's interval variables, replaced by a duration before parsing, as Grafana does before it queries. */
const GRAFANA_DURATIONS = /\$__(rate_interval|interval|range)\b|\$\{__(rate_interval|interval|range)\}/g;

export interface ParsedQuery {
  /** Metric names the query selects (vector and matrix selectors). */
  readonly names: readonly string[];
  /** Empty when the query parses. */
  readonly errors: readonly string[];
}

/** Parses one PromQL expression with Prometheus' own grammar (lezer-promql) and lists the metrics it selects. */
export function parsePromql(expr: string): ParsedQuery {
  const text = expr.replace(GRAFANA_DURATIONS, '5m');
  const names: string[] = [];
  const errors: string[] = [];
  parser.parse(text).iterate({
    enter: (node) => {
      if (node.type.isError)
        errors.push(
          `does not parse at ${node.from}: ${JSON.stringify(text.slice(node.from, node.from + 20))}`,
        );
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') {
        names.push(text.slice(node.from, node.to));
      }
    },
  });
  return { names: [...new Set(names)], errors };
}

/**
 * The metric names a Prometheus text exposition declares (`# TYPE` lines, so metrics without a sample yet count
 * too), with the series names a histogram or a summary adds.
 */
export function exposedMetricNames(exposition: string): Set<string> {
  const out = new Set<string>();
  for (const line of exposition.split('\n')) {
    const m = /^# TYPE (\S+) (\S+)/.exec(line);
    if (!m?.[1]) continue;
    out.add(m[1]);
    if (m[2] === 'histogram') for (const s of ['_bucket', '_sum', '_count']) out.add(`${m[1]}${s}`);
    if (m[2] === 'summary') for (const s of ['_sum', '_count']) out.add(`${m[1]}${s}`);
  }
  return out;
}

/**
 * Problems of one query against what exists: every name must be exported by the service, recorded by a rule whose
 * own expression names only existing metrics, or in `extra` (Prometheus' own `up`, for rules).
 */
export function queryProblems(
  expr: string,
  exported: ReadonlySet<string>,
  recorded: ReadonlyMap<string, string>,
  extra: ReadonlySet<string> = new Set(),
  seen: ReadonlySet<string> = new Set(),
): string[] {
  const { names, errors } = parsePromql(expr);
  const out = [...errors];
  for (const name of names) {
    if (exported.has(name) || extra.has(name)) continue;
    const rule = recorded.get(name);
    if (rule === undefined) out.push(`${name} is neither exported by fsx-dr nor recorded by a rule`);
    else if (seen.has(name)) out.push(`${name} is recorded from itself`);
    else {
      out.push(
        ...queryProblems(rule, exported, recorded, extra, new Set([...seen, name])).map(
          (p) => `${name}: ${p}`,
        ),
      );
    }
  }
  return out;
}
