import { writeFile } from 'node:fs/promises';
import type { Config } from '../config/types.js';
import type { Environment } from '../config/environment.js';
import { OutcomeReader } from '../queue/outcome-store.js';
import { RetentionSnapshotStore } from '../queue/retention-snapshot-store.js';
import { buildDrReport } from '../report/build-dr-report.js';
import type { PairSpec } from '../report/report-model.js';
import { copyPairs, pairKeyOf } from '../config/copy-pairs.js';
import type { PolicySelections } from '../copy/policy-file-systems.js';
import { EstateStore } from '../queue/estate-store.js';
import { renderReportHtml } from '../report/render-report-html.js';
import { renderReportMarkdown } from '../report/render-report-markdown.js';
import { retentionPairKey } from '../retention/retention-pair.js';
import type { Output } from './output.js';
import type { ReportFormat } from './report-formats.js';
import { withRedis } from './with-redis.js';

/** Every configured pair, with what each selector matched at its last slot. */
function pairsOf(config: Config, selections: PolicySelections): PairSpec[] {
  return copyPairs(config, selections).map((pair) => ({
    ...pairKeyOf(pair),
    policy: pair.policy.name,
    ...(pair.policy.rpoMs !== undefined ? { rpoMs: pair.policy.rpoMs } : {}),
  }));
}

/** `fsx-dr report`: the DR evidence report from the outcome records in Redis, as HTML, Markdown or JSON. */
export async function runReport(
  args: { periodMs: number; format: ReportFormat; out?: string; now: number },
  config: Config | undefined,
  env: Environment,
  out: Output,
): Promise<number> {
  return withRedis(env, out, async (redis) => {
    const store = new OutcomeReader(redis, env.prefix);
    const [outcomes, latest, held, selections] = await Promise.all([
      store.list({ limit: Number.MAX_SAFE_INTEGER }),
      store.latestCopies(),
      new RetentionSnapshotStore(redis, env.prefix).held(),
      new EstateStore(redis, env.prefix).selections(),
    ]);
    const knownCopies = latest.pairs().map(({ record, ...pair }) => ({ ...record, ...pair }));
    const report = buildDrReport({
      now: args.now,
      periodMs: args.periodMs,
      outcomes,
      knownCopies,
      // What the last retention sweep of each pair saw: AVAILABLE copies this deployment holds there.
      copiesHeld: (pair) => {
        const h = held.get(retentionPairKey(pair));
        return h && { count: h.available, at: h.sweptAt };
      },
      ...(config
        ? {
            pairs: pairsOf(config, selections),
            retention: {
              maxCount: config.settings.outcomeRetentionCount,
              maxAgeMs: config.settings.outcomeRetentionMs,
            },
          }
        : {}),
    });
    const text =
      args.format === 'json'
        ? `${JSON.stringify(report, null, 2)}\n`
        : args.format === 'md'
          ? renderReportMarkdown(report)
          : renderReportHtml(report);
    if (args.out === undefined) {
      out.stdout(text);
      return 0;
    }
    await writeFile(args.out, text);
    out.stderr(
      `wrote ${args.out}: ${report.totals.pairs} pairs, ${report.totals.breaches} breaches, ${report.caveats.length} caveats`,
    );
    return 0;
  });
}
