import { DEFAULT_ACCOUNT } from '../copy/account-region.js';
import { ROLE_ARN_PATTERN } from './account-schema.js';
import type { ConfigIssue } from './config-error.js';
import type { Finding } from './finding.js';
import { formatPath, isRecord, quote } from './finding.js';
import { partitionOf, REGION_PATTERN } from './partition.js';
import { POLICY_NAME_PATTERN } from './schema-field.js';
import { closestMatch } from './suggest.js';
import type { YamlSource } from './yaml-source.js';
import type { Config } from './types.js';

/** A file as far as it parsed, for the checks that look across files. */
export interface ParsedFile {
  readonly file: string;
  readonly source: YamlSource;
}

/** Checks of one file's `accounts:` list beyond its shape: the name `default` is taken. */
export function checkAccounts(accounts: unknown): Finding[] {
  if (!Array.isArray(accounts)) return [];
  return accounts.flatMap((account, index): Finding[] => {
    if (!isRecord(account) || account['name'] !== DEFAULT_ACCOUNT) return [];
    return [
      {
        path: ['accounts', index, 'name'],
        message: `account name "${DEFAULT_ACCOUNT}" is reserved: it means the service's own credentials, which policies without account use; choose another name`,
        expected: `an account name other than ${DEFAULT_ACCOUNT}`,
        target: 'value',
      },
    ];
  });
}

interface KnownAccount {
  readonly roleArn?: string;
}

/**
 * What only all files together show about accounts: each policy's `account` names one defined in some file (or
 * `default`), and that account's role is in the partition of the policy's Regions (a role is assumed only within
 * its partition). Names used twice are found with the policy names, by the caller. When a file could not be parsed
 * its accounts are unknown, so policies naming one are not called wrong.
 */
export function crossFileAccountIssues(files: readonly ParsedFile[]): ConfigIssue[] {
  const accounts = new Map<string, KnownAccount>();
  const issues: ConfigIssue[] = [];
  /** AWS account id -> the account name that has a role there (and where), to find a second name for it. */
  const byId = new Map<string, { readonly name: string; readonly file: string; readonly line: number }>();
  for (const { file, source } of files) {
    for (const [index, account] of listAt(source, 'accounts').entries()) {
      if (!isRecord(account) || typeof account['name'] !== 'string' || accounts.has(account['name']))
        continue;
      const roleArn = account['roleArn'];
      accounts.set(account['name'], typeof roleArn === 'string' ? { roleArn } : {});
      const id = typeof roleArn === 'string' ? ROLE_ARN_PATTERN.exec(roleArn)?.[2] : undefined;
      if (id === undefined) continue;
      const path = ['accounts', index, 'roleArn'];
      const where = source.locate(path, 'value');
      const first = byId.get(id);
      if (first === undefined) {
        byId.set(id, { name: account['name'], file, line: where.line });
        continue;
      }
      // Two names for one AWS account would be two queues for one five-copy limit: ten copies in flight, and
      // two retention sweeps deciding over the same copies.
      issues.push({
        file,
        ...where,
        path: formatPath(path),
        message: `AWS account ${id} is already account ${quote(first.name)} (${first.file === file ? `line ${first.line}` : `${first.file}:${first.line}`}); FSx's limits are per AWS account, so one account must have one name`,
        expected: 'a role in an AWS account no other entry of accounts: names',
      });
    }
  }
  const everyFileRead = files.every(({ source }) => source.usable);
  for (const { file, source } of files) {
    for (const [index, policy] of listAt(source, 'policies').entries()) {
      if (!isRecord(policy)) continue;
      const name = policy['account'];
      if (typeof name !== 'string' || !POLICY_NAME_PATTERN.test(name) || name === DEFAULT_ACCOUNT) continue;
      const path = ['policies', index, 'account'];
      const issue = (message: string, expected: string): ConfigIssue => ({
        file,
        ...source.locate(path, 'value'),
        path: formatPath(path),
        message,
        expected,
      });
      const account = accounts.get(name);
      if (account === undefined) {
        if (everyFileRead)
          issues.push(issue(unknownAccountMessage(name, [...accounts.keys()]), KNOWN_ACCOUNT));
        continue;
      }
      const problem = partitionProblem(name, account, policy['source']);
      if (problem !== undefined) issues.push(issue(problem.message, problem.expected));
    }
  }
  return issues;
}

const KNOWN_ACCOUNT =
  "the name of an account under accounts: (in any file), or no account for the service's own credentials";

function unknownAccountMessage(name: string, known: readonly string[]): string {
  if (known.length === 0) return `account ${quote(name)} is not defined: no file has an accounts: list`;
  const suggestion = closestMatch(name, known);
  const hint = suggestion === undefined ? '' : `; did you mean "${suggestion}"?`;
  return `account ${quote(name)} is not defined under accounts:${hint}`;
}

function partitionProblem(
  name: string,
  account: KnownAccount,
  source: unknown,
): { message: string; expected: string } | undefined {
  const arn = account.roleArn === undefined ? null : ROLE_ARN_PATTERN.exec(account.roleArn);
  const region = isRecord(source) ? source['region'] : undefined;
  if (arn === null || typeof region !== 'string' || !REGION_PATTERN.test(region)) return undefined;
  const rolePartition = arn[1];
  const regionPartition = partitionOf(region);
  if (rolePartition === regionPartition) return undefined;
  return {
    message: `account ${quote(name)} has its role in partition ${rolePartition} (${quote(arn[0])}), but the source ${region} is in partition ${regionPartition}; a role is assumed only within its partition`,
    expected: `an account whose roleArn starts arn:${regionPartition}:iam::`,
  };
}

function listAt(source: YamlSource, key: 'accounts' | 'policies'): readonly unknown[] {
  if (!source.usable || !isRecord(source.value)) return [];
  const list = source.value[key];
  return Array.isArray(list) ? list : [];
}

/**
 * Accounts a reload would move to another AWS account (the same name, a role in another account id). Copies
 * queued or in flight under the name were started in the old account: polling them with the new one's credentials
 * would lose them, so such a reload is refused; give the new account a new name instead.
 */
export function movedAccounts(before: Pick<Config, 'accounts'>, after: Pick<Config, 'accounts'>): string[] {
  const idOf = (roleArn: string): string | undefined => ROLE_ARN_PATTERN.exec(roleArn)?.[2];
  const old = new Map(before.accounts.map((a) => [a.name, idOf(a.roleArn)]));
  return after.accounts
    .filter((a) => old.has(a.name) && old.get(a.name) !== idOf(a.roleArn))
    .map((a) => a.name);
}
