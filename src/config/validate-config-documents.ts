import type { ValidFile } from './build-config.js';
import { buildConfig } from './build-config.js';
import { checkAccounts, crossFileAccountIssues } from './check-accounts.js';
import { checkPolicy } from './check-policy.js';
import { checkSettings } from './check-settings.js';
import type { ConfigIssue } from './config-error.js';
import type { Finding } from './finding.js';
import { formatPath, isRecord } from './finding.js';
import { policyFileSchema } from './policy-schema.js';
import type { Config } from './types.js';
import type { Position, YamlLimits, YamlSource } from './yaml-source.js';
import { DEFAULT_LIMITS, parseYamlSource } from './yaml-source.js';
import { findingsFromZod } from './zod-findings.js';

/** One policy file's text and the name it is reported under. */
export interface ConfigDocument {
  readonly file: string;
  readonly text: string;
}

export type ValidationResult =
  | { readonly ok: true; readonly config: Config }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

export interface ValidationOptions extends Partial<YamlLimits> {
  /** Report "no policies" when none of the documents defines one (default true). */
  readonly requirePolicies?: boolean;
}

interface FileResult {
  readonly file: string;
  readonly source: YamlSource;
  readonly issues: ConfigIssue[];
  readonly valid?: ValidFile;
}

/**
 * Validates policy files given as text, in load order, and returns the frozen Config or every problem in every
 * file. Pure: no file system, no clock; loadConfig reads the files and calls this.
 */
export function validateConfigDocuments(
  documents: readonly ConfigDocument[],
  options: ValidationOptions = {},
): ValidationResult {
  const limits: YamlLimits = { ...DEFAULT_LIMITS, ...withoutUndefined(options) };
  const results = documents.map((document) => validateOne(document, limits, documents.length));
  const issues = [
    ...results.flatMap((r) => r.issues),
    ...crossFileIssues(results),
    ...crossFileAccountIssues(results),
  ];
  if (issues.length === 0 && (options.requirePolicies ?? true)) issues.push(...noPolicyIssues(results));
  if (issues.length > 0) return { ok: false, issues: sortIssues(issues, documents) };
  return { ok: true, config: buildConfig(results.flatMap((r) => (r.valid === undefined ? [] : [r.valid]))) };
}

function withoutUndefined(options: ValidationOptions): Partial<YamlLimits> {
  return {
    ...(options.maxFileBytes !== undefined ? { maxFileBytes: options.maxFileBytes } : {}),
    ...(options.maxAliasCount !== undefined ? { maxAliasCount: options.maxAliasCount } : {}),
  };
}

function validateOne(document: ConfigDocument, limits: YamlLimits, fileCount: number): FileResult {
  const { file } = document;
  const source = parseYamlSource(file, document.text, limits);
  const issues = [...source.issues];
  if (!source.usable) return { file, source, issues };
  const root = source.value;
  if (root === null || root === undefined) {
    const what = fileCount > 1 ? 'settings, accounts or policies' : 'a policies: list';
    issues.push({
      file,
      line: 1,
      column: 1,
      path: '',
      message: `the file is empty`,
      expected: `a mapping with ${what}`,
    });
    return { file, source, issues };
  }
  const findings: Finding[] = [];
  const parsed = policyFileSchema.safeParse(root);
  if (!parsed.success) findings.push(...findingsFromZod(parsed.error.issues, root));
  if (isRecord(root)) {
    findings.push(...checkSettings(root['settings']));
    findings.push(...checkAccounts(root['accounts']));
    const policies = root['policies'];
    if (Array.isArray(policies))
      policies.forEach((p, i) => findings.push(...checkPolicy(p, ['policies', i])));
    const defines = ['settings', 'accounts', 'policies'].some((key) => key in root);
    if (!defines && findings.length === 0) {
      findings.push({
        path: [],
        message: 'the file defines no settings, accounts or policies',
        expected: 'a mapping with settings, accounts and/or policies',
        target: 'value',
      });
    }
  }
  issues.push(...dedupe(findings).map((f) => toIssue(file, source, f)));
  if (issues.length > 0 || !parsed.success) return { file, source, issues };
  const { settings, accounts, policies = [] } = parsed.data;
  return {
    file,
    source,
    issues,
    valid: {
      file,
      policies,
      ...(settings !== undefined ? { settings } : {}),
      ...(accounts !== undefined ? { accounts } : {}),
    },
  };
}

function toIssue(file: string, source: YamlSource, finding: Finding): ConfigIssue {
  const position = source.locate(finding.path, finding.target);
  const issue = { file, ...position, path: formatPath(finding.path), message: finding.message };
  return finding.expected === undefined ? issue : { ...issue, expected: finding.expected };
}

function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${formatPath(f.path)}\u0000${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `settings` in more than one file, and policy or account names used twice anywhere. */
function crossFileIssues(results: readonly FileResult[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  let firstSettings: { file: string; position: Position } | undefined;
  for (const { file, source } of results) {
    if (!source.usable || !isRecord(source.value) || !('settings' in source.value)) continue;
    const position = source.locate(['settings'], 'key');
    if (firstSettings === undefined) firstSettings = { file, position };
    else {
      issues.push({
        file,
        ...position,
        path: 'settings',
        message: `settings are already defined in ${where(firstSettings.file, firstSettings.position)}; define them in one file only`,
        expected: 'settings in at most one file',
      });
    }
  }
  return [
    ...issues,
    ...duplicateNames(results, 'policies', 'policy'),
    ...duplicateNames(results, 'accounts', 'account'),
  ];
}

/** Each name of a list (`policies:` or `accounts:`) used again, in any file, reported where it is used again. */
function duplicateNames(
  results: readonly FileResult[],
  list: 'policies' | 'accounts',
  what: 'policy' | 'account',
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const names = new Map<string, { file: string; position: Position; index: number }>();
  for (const { file, source } of results) {
    if (!source.usable || !isRecord(source.value)) continue;
    const items = source.value[list];
    for (const [index, item] of (Array.isArray(items) ? (items as unknown[]) : []).entries()) {
      const name = isRecord(item) ? item['name'] : undefined;
      if (typeof name !== 'string') continue;
      const position = source.locate([list, index, 'name'], 'value');
      const first = names.get(name);
      if (first === undefined) names.set(name, { file, position, index });
      else {
        const at =
          first.file === file
            ? `${list}[${first.index}] at line ${first.position.line}`
            : where(first.file, first.position);
        issues.push({
          file,
          ...position,
          path: formatPath([list, index, 'name']),
          message: `${what} name "${name}" is already used by ${at}`,
          expected: `${what === 'policy' ? 'a policy' : 'an account'} name unique across all files`,
        });
      }
    }
  }
  return issues;
}

function where(file: string, position: Position): string {
  return `${file}:${position.line}:${position.column}`;
}

/** With no policy at all the service would start and do nothing: almost surely not what the user meant. */
function noPolicyIssues(results: readonly FileResult[]): ConfigIssue[] {
  const anyPolicy = results.some((r) => r.valid !== undefined && r.valid.policies.length > 0);
  const first = results[0];
  if (anyPolicy || first === undefined) return [];
  const across = results.length > 1 ? ` in any of the ${results.length} files` : '';
  return [
    {
      file: first.file,
      ...first.source.locate([], 'value'),
      path: 'policies',
      message: `no policies defined${across}: the service would do nothing`,
      expected: 'a policies: list with at least one policy',
    },
  ];
}

function sortIssues(issues: readonly ConfigIssue[], documents: readonly ConfigDocument[]): ConfigIssue[] {
  const order = new Map(documents.map((d, i) => [d.file, i]));
  return [...issues].sort(
    (a, b) =>
      (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) ||
      a.line - b.line ||
      a.column - b.column ||
      a.path.localeCompare(b.path),
  );
}
