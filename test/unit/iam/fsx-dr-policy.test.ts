/**
 * iam/fsx-dr-policy.json is kept in step with the code: every FSx operation the service imports from
 * @aws-sdk/client-fsx (a `*Command`, or a `paginate*` helper) is allowed, with the actions FSx authorizes alongside
 * it, and no other FSx action is: least privilege that breaks loudly here, not in production, when the code changes.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { SERVICE_TAG_KEYS } from '../../../src/config/types.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const POLICY_PATH = 'iam/fsx-dr-policy.json';
/** The code that runs in production; test/ and scripts/ (the simulator) are not the service. */
const CODE_DIRECTORIES = ['src', 'workers'];

/**
 * Other IAM actions an FSx operation needs (Service Authorization Reference, "API operations defined by Amazon
 * FSx"): CopyBackup with `Tags` is also authorized as fsx:TagResource on the new backup, and the service always
 * tags its copies (fsx-dr:policy, fsx-dr:source-backup-id, fsx-dr:source-region).
 */
const ALSO_AUTHORIZED: Readonly<Record<string, readonly string[]>> = {
  CopyBackup: ['TagResource'],
};
/** FSx actions without resource-level permissions: their statements must name `*`. */
const NO_RESOURCE_LEVEL = new Set(['fsx:DescribeBackups', 'fsx:DescribeFileSystems']);
/** What FSx needs of a customer managed key to decrypt a source backup and encrypt its copy. */
const KMS_ACTIONS = [
  'kms:CreateGrant',
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:GenerateDataKey*',
  'kms:ReEncrypt*',
];

interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action?: string | string[];
  readonly NotAction?: unknown;
  readonly Resource?: string | string[];
  readonly NotResource?: unknown;
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}
interface PolicyDocument {
  readonly Version: string;
  readonly Statement: Statement[];
}

const list = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

function readPolicy(): PolicyDocument {
  return JSON.parse(readFileSync(join(ROOT, POLICY_PATH), 'utf8')) as PolicyDocument;
}

function sourceFiles(directory: string): string[] {
  return readdirSync(join(ROOT, directory), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** FSx operations the code imports, by name: `CopyBackupCommand` and `paginateDescribeBackups` give their operation. */
function fsxOperationsImported(files: readonly string[]): Map<string, string[]> {
  const operations = new Map<string, string[]>();
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    for (const statement of source.statements) {
      const isImport = ts.isImportDeclaration(statement);
      if (!isImport && !ts.isExportDeclaration(statement)) continue;
      const specifier = statement.moduleSpecifier;
      if (!specifier || !ts.isStringLiteral(specifier) || specifier.text !== '@aws-sdk/client-fsx') continue;
      const bindings = isImport ? statement.importClause?.namedBindings : statement.exportClause;
      if (!bindings || ts.isNamespaceImport(bindings) || ts.isNamespaceExport(bindings))
        throw new Error(`${file}: import FSx commands by name, so the IAM policy test can see them`);
      for (const element of bindings.elements) {
        const name = (element.propertyName ?? element.name).text;
        const operation = /^(\w+)Command$/.exec(name)?.[1] ?? /^paginate(\w+)$/.exec(name)?.[1];
        if (!operation || operation === 'FSxClient') continue;
        operations.set(operation, [...(operations.get(operation) ?? []), file]);
      }
    }
  }
  return operations;
}

const policy = readPolicy();
const statements = policy.Statement;
const allowed = (prefix: string): Set<string> =>
  new Set(
    statements
      .filter((s) => s.Effect === 'Allow')
      .flatMap((s) => list(s.Action))
      .filter((a) => a.startsWith(prefix)),
  );

describe(POLICY_PATH, () => {
  it('is an IAM identity policy: version 2012-10-17, Allow statements with unique Sids, no Not* or wildcards', () => {
    expect(policy.Version).toBe('2012-10-17');
    expect(statements.length).toBeGreaterThan(0);
    const sids = statements.map((s) => s.Sid);
    expect(sids.every((sid) => typeof sid === 'string' && /^[A-Za-z0-9]+$/.test(sid))).toBe(true);
    expect(new Set(sids).size).toBe(sids.length);
    for (const s of statements) {
      expect(s.Effect).toBe('Allow');
      expect(s.NotAction ?? s.NotResource ?? s.Principal, s.Sid).toBeUndefined();
      for (const action of list(s.Action)) expect(action, s.Sid).toMatch(/^(fsx|kms):[A-Za-z]+\*?$/);
      expect(list(s.Resource).length, s.Sid).toBeGreaterThan(0);
    }
  });

  it('allows every FSx operation the code imports from @aws-sdk/client-fsx, and what FSx authorizes with it', () => {
    const imported = fsxOperationsImported(CODE_DIRECTORIES.flatMap(sourceFiles));
    // The scan itself works: the service cannot run without these two.
    expect([...imported.keys()]).toEqual(expect.arrayContaining(['CopyBackup', 'DescribeBackups']));
    const needed = new Set(
      [...imported.keys()].flatMap((op) => [op, ...(ALSO_AUTHORIZED[op] ?? [])]).map((op) => `fsx:${op}`),
    );
    const missing = [...needed].filter((a) => !allowed('fsx:').has(a));
    expect(missing, 'actions the code calls that the policy does not allow').toEqual([]);
  });

  it('allows no FSx action the code does not call (least privilege; add DeleteBackup with the code that uses it)', () => {
    const imported = fsxOperationsImported(CODE_DIRECTORIES.flatMap(sourceFiles));
    const needed = new Set(
      [...imported.keys()].flatMap((op) => [op, ...(ALSO_AUTHORIZED[op] ?? [])]).map((op) => `fsx:${op}`),
    );
    expect([...allowed('fsx:')].filter((a) => !needed.has(a))).toEqual([]);
    expect([...allowed('fsx:')].some((a) => a.includes('*'))).toBe(false);
  });

  it('scopes FSx actions to backups of the account wherever FSx supports resource-level permissions', () => {
    for (const s of statements.filter((st) => list(st.Action).some((a) => a.startsWith('fsx:')))) {
      const actions = list(s.Action);
      const resources = list(s.Resource);
      if (actions.every((a) => NO_RESOURCE_LEVEL.has(a))) {
        expect(resources, s.Sid).toEqual(['*']);
      } else {
        expect(
          actions.some((a) => NO_RESOURCE_LEVEL.has(a)),
          `${s.Sid} mixes scoped and unscoped actions`,
        ).toBe(false);
        for (const r of resources) expect(r, s.Sid).toBe('arn:aws:fsx:*:ACCOUNT_ID:backup/*');
      }
    }
  });

  it('allows DeleteBackup only on backups tagged with this deployment (the tag retention itself requires)', () => {
    const deleting = statements.filter((s) => list(s.Action).includes('fsx:DeleteBackup'));
    expect(deleting).toHaveLength(1);
    const [statement] = deleting;
    expect(list(statement?.Action), 'DeleteBackup shares its condition with no other action').toEqual([
      'fsx:DeleteBackup',
    ]);
    // The tag key is the one the code puts on its copies and checks before every deletion; the value is the
    // deployment's FSXDR_PREFIX (a placeholder, replaced like ACCOUNT_ID), compared exactly, never a wildcard.
    expect(statement?.Condition).toEqual({
      StringEquals: { [`aws:ResourceTag/${SERVICE_TAG_KEYS.deployment}`]: 'FSXDR_PREFIX' },
    });
  });

  it('lets FSx, and only FSx, use customer managed keys for the copies', () => {
    expect([...allowed('kms:')].sort()).toEqual(KMS_ACTIONS);
    for (const s of statements.filter((st) => list(st.Action).some((a) => a.startsWith('kms:')))) {
      expect(list(s.Resource), s.Sid).toEqual(['arn:aws:kms:*:ACCOUNT_ID:key/*']);
      const viaService =
        s.Condition?.['StringLike']?.['kms:ViaService'] ?? s.Condition?.['StringEquals']?.['kms:ViaService'];
      expect(list(viaService).length, `${s.Sid} has a kms:ViaService condition`).toBeGreaterThan(0);
      for (const service of list(viaService)) expect(service).toMatch(/^fsx\.[a-z0-9*-]+\.amazonaws\.com$/);
      if (list(s.Action).includes('kms:CreateGrant'))
        expect(s.Condition?.['Bool']?.['kms:GrantIsForAWSResource'], s.Sid).toBe('true');
    }
  });

  it('the scan sees renamed, paginated and re-exported commands, and would flag a new one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'iam-scan-'));
    const file = join(dir, 'gateway.ts');
    writeFileSync(
      file,
      [
        "import { DeleteBackupCommand as Del, paginateDescribeFileSystems, type Backup } from '@aws-sdk/client-fsx';",
        "export { TagResourceCommand } from '@aws-sdk/client-fsx';",
        "import { CopyBackupCommand } from './not-the-sdk.js';",
      ].join('\n'),
    );
    expect([...fsxOperationsImported([file]).keys()].sort()).toEqual([
      'DeleteBackup',
      'DescribeFileSystems',
      'TagResource',
    ]);
    writeFileSync(file, "import * as fsx from '@aws-sdk/client-fsx';");
    expect(() => fsxOperationsImported([file])).toThrow(/by name/);
  });
});
