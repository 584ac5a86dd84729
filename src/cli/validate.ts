import { DEFAULT_ACCOUNT } from '../copy/account-region.js';
import type { ConfigIssue } from '../config/config-error.js';
import { isConfigError } from '../config/config-error.js';
import { formatDuration } from '../config/duration.js';
import { loadConfig } from '../config/load-config.js';
import type { Config, Destination, Policy } from '../config/types.js';
import { formatZonedTime } from '../schedule/format-zoned-time.js';
import { nextFireTimes } from '../schedule/next-fire-times.js';

export interface ValidateArgs {
  /** A policy file or a directory of them. */
  readonly config: string;
  /** The instant the next fire times are computed from. */
  readonly now: Date;
}

export interface ValidateOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * `fsx-dr validate`: loads the configuration and prints what the service would do with it (policies, destinations
 * and the next three fire times), or every problem as `file:line:column: path: message`. Returns the exit code:
 * 0 valid, 1 invalid. Anything other than a configuration problem is a bug and is rethrown.
 */
export async function runValidate(args: ValidateArgs, out: ValidateOutput): Promise<number> {
  let config: Config;
  try {
    config = await loadConfig(args.config);
  } catch (error) {
    if (!isConfigError(error)) throw error;
    out.stderr(formatConfigIssues(error.issues));
    return 1;
  }
  out.stdout(formatConfigSummary(config, args.now));
  return 0;
}

/**
 * Problems one per line, `file:line:column: path: message (expected ...)`, sorted by file and line, then a count.
 * A problem with the whole file (missing, unreadable, too large) has no line: `file: message`.
 */
export function formatConfigIssues(issues: readonly ConfigIssue[]): string {
  const sorted = [...issues].sort(
    (a, b) => compare(a.file, b.file) || a.line - b.line || a.column - b.column || compare(a.path, b.path),
  );
  const lines = sorted.map((issue) => {
    const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file;
    const path = issue.path === '' ? '' : `${issue.path}: `;
    const expected = issue.expected === undefined ? '' : ` (expected ${issue.expected})`;
    return `${where}: ${path}${issue.message}${expected}`;
  });
  const files = new Set(issues.map((i) => i.file)).size;
  lines.push(`configuration invalid: ${plural(issues.length, 'problem')} in ${plural(files, 'file')}`);
  return lines.join('\n');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}

/** What a valid configuration makes the service do, for a human checking it before a deploy. */
export function formatConfigSummary(config: Config, now: Date): string {
  const destinations = config.policies.reduce((n, p) => n + p.destinations.length, 0);
  const lines = [
    `ok: ${plural(config.policies.length, 'policy', 'policies')}, ${plural(destinations, 'destination')} in ${config.files.join(', ')}`,
    `settings: pollInterval ${formatDuration(config.settings.pollIntervalMs)}, ` +
      `maxInFlightPerRegion ${config.settings.maxInFlightPerRegion}, ` +
      `startDeadline ${formatDuration(config.settings.startDeadlineMs)}, ` +
      `completionDeadline ${formatDuration(config.settings.completionDeadlineMs)}, ` +
      `outcomeRetention ${config.settings.outcomeRetentionCount} records / ${formatDuration(config.settings.outcomeRetentionMs)}`,
  ];
  for (const account of config.accounts) {
    lines.push(
      `account ${account.name}: ${account.roleArn}${account.externalId === undefined ? '' : ' (with an external id)'}`,
    );
  }
  for (const policy of config.policies) lines.push('', ...formatPolicy(policy, now));
  return lines.join('\n');
}

const LABEL_WIDTH = 14;

function labelled(label: string, values: readonly string[]): string[] {
  return values.map((value, i) => `  ${(i === 0 ? label : '').padEnd(LABEL_WIDTH)}${value}`);
}

function formatPolicy(policy: Policy, now: Date): string[] {
  const next = nextFireTimes(policy.schedule, policy.timezone, now, 3);
  return [
    `${policy.name} (${policy.file})`,
    ...labelled('account', policy.account === DEFAULT_ACCOUNT ? [] : [policy.account]),
    ...labelled('source', formatSource(policy.source)),
    ...labelled('destinations', policy.destinations.map(formatDestination)),
    ...labelled('schedule', [`${policy.schedule} (${policy.timezone})`]),
    ...labelled('rpo', policy.rpoMs === undefined ? [] : [formatDuration(policy.rpoMs)]),
    ...labelled(
      'next',
      next.map((date) => `${formatZonedTime(date, policy.timezone)}  ${formatZonedTime(date, 'UTC')}`),
    ),
  ];
}

function formatSource(source: Policy['source']): string[] {
  const lines: string[] = [];
  if (source.fileSystemIds.length > 0) lines.push(`${source.region}: ${source.fileSystemIds.join(', ')}`);
  if (source.selector !== undefined) {
    const tags = Object.entries(source.selector.tags).map(([k, v]) => `${k}=${v}`);
    const what = [
      ...(tags.length > 0 ? [`tags ${tags.join(', ')}`] : []),
      `types ${source.selector.fileSystemTypes.join(', ')}`,
    ];
    lines.push(`${source.region}: selector ${what.join('; ')} (resolved at each slot)`);
  }
  if (source.exclude.length > 0) lines.push(`exclude ${source.exclude.join(', ')}`);
  return lines;
}

function formatDestination(destination: Destination): string {
  const parts = [
    destination.region + (destination.inRegion ? ' (in-Region)' : ''),
    `kms ${destination.kmsKeyId ?? 'FSx-managed key'}`,
    `copyTags ${destination.copyTags}`,
  ];
  const tags = Object.entries(destination.tags);
  if (tags.length > 0) parts.push(`tags ${tags.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  return parts.join(', ');
}
