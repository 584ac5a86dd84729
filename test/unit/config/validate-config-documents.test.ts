import { describe, expect, it } from 'vitest';
import type { ConfigIssue } from '../../../src/config/config-error.js';
import type { ConfigDocument, ValidationOptions } from '../../../src/config/validate-config-documents.js';
import { validateConfigDocuments } from '../../../src/config/validate-config-documents.js';

const POLICY = `policies:
  - name: p1
    schedule: "0 * * * *"
    source:
      region: us-east-1
      fileSystemIds: [fs-0123456789abcdef0]
    destinations:
      - region: us-west-2
`;

function issues(documents: readonly ConfigDocument[], options?: ValidationOptions): readonly ConfigIssue[] {
  const result = validateConfigDocuments(documents, options);
  if (result.ok) throw new Error('expected issues, the documents validated');
  return result.issues;
}

const brief = (list: readonly ConfigIssue[]): string[] =>
  list.map((i) => `${i.file}:${i.line}:${i.column}: ${i.path}: ${i.message}`);

describe('validateConfigDocuments', () => {
  it('validates text without a file system', () => {
    const result = validateConfigDocuments([{ file: 'inline.yaml', text: POLICY }]);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.config.files).toEqual(['inline.yaml']);
      expect(result.config.policies[0]?.file).toBe('inline.yaml');
    }
  });

  it('refuses a file over the size limit before parsing it', () => {
    const big = `${POLICY}#${'x'.repeat(1024 * 1024)}\n`;
    expect(issues([{ file: 'big.yaml', text: big }])).toEqual([
      {
        file: 'big.yaml',
        line: 0,
        column: 0,
        path: '',
        message: expect.stringContaining('the limit is 1048576 bytes') as unknown,
      },
    ]);
    expect(brief(issues([{ file: 'small.yaml', text: POLICY }], { maxFileBytes: 100 }))[0]).toContain(
      'the limit is 100 bytes',
    );
  });

  it('limits alias expansion (maxAliasCount)', () => {
    const text = `${POLICY}  - name: p2
    schedule: "0 * * * *"
    source: &src
      region: us-east-1
      fileSystemIds: [fs-0123456789abcdef1]
    destinations: &dst
      - region: us-west-2
  - name: p3
    schedule: "0 * * * *"
    source: *src
    destinations: *dst
`;
    expect(validateConfigDocuments([{ file: 'a.yaml', text }]).ok).toBe(true);
    expect(brief(issues([{ file: 'a.yaml', text }], { maxAliasCount: 1 }))).toEqual([
      'a.yaml:18:13: : YAML aliases expand to more than 1 nodes, the limit (a guard against alias bombs); write the values out',
    ]);
  });

  it('reports every problem of every document, in document order then line order', () => {
    const first = POLICY.replace('us-west-2', 'us-west2').replace('"0 * * * *"', '"0 * * *"');
    const second = 'settings:\n  maxInFlightPerRegion: 0\n';
    expect(
      brief(
        issues([
          { file: 'b.yaml', text: first },
          { file: 'a.yaml', text: second },
        ]),
      ),
    ).toEqual([
      'b.yaml:3:15: policies[0].schedule: cron expression "0 * * *": has 4 fields; a schedule has 5 (minute hour day-of-month month day-of-week) or 6 (with seconds first)',
      'b.yaml:8:17: policies[0].destinations[0].region: the string "us-west2" is not an AWS Region name',
      'a.yaml:2:25: settings.maxInFlightPerRegion: 0 is too small',
    ]);
  });

  it('names the first definition of a policy name used again in another document', () => {
    expect(
      brief(
        issues([
          { file: 'a.yaml', text: POLICY },
          { file: 'b.yaml', text: POLICY },
        ]),
      ),
    ).toEqual(['b.yaml:2:11: policies[0].name: policy name "p1" is already used by a.yaml:2:11']);
  });

  it('allows settings in one document only', () => {
    const settings = 'settings:\n  pollInterval: 10s\n';
    expect(
      brief(
        issues([
          { file: 'a.yaml', text: settings },
          { file: 'b.yaml', text: settings + POLICY },
        ]),
      ),
    ).toEqual([
      'b.yaml:1:1: settings: settings are already defined in a.yaml:1:1; define them in one file only',
    ]);
  });

  it('refuses a configuration without any policy, and a document that defines nothing', () => {
    const settings = 'settings:\n  pollInterval: 10s\n';
    expect(
      brief(
        issues([
          { file: 'a.yaml', text: settings },
          { file: 'b.yaml', text: 'settings: {}\n' },
        ]),
      ),
    ).toEqual([
      'b.yaml:1:1: settings: settings are already defined in a.yaml:1:1; define them in one file only',
    ]);
    expect(brief(issues([{ file: 'a.yaml', text: settings }]))).toEqual([
      'a.yaml:1:1: policies: no policies defined: the service would do nothing',
    ]);
    expect(
      brief(
        issues([
          { file: 'a.yaml', text: settings },
          { file: 'b.yaml', text: '# later\n' },
        ]),
      ),
    ).toEqual(['b.yaml:1:1: : the file is empty']);
    expect(
      brief(
        issues([
          { file: 'a.yaml', text: settings },
          { file: 'b.yaml', text: '{}\n' },
        ]),
      ),
    ).toEqual(['b.yaml:1:1: : the file defines no settings, accounts or policies']);
    expect(validateConfigDocuments([{ file: 'a.yaml', text: settings }], { requirePolicies: false }).ok).toBe(
      true,
    );
  });

  it('counts lines right with CRLF line endings and a byte order mark', () => {
    const text = `\uFEFF${POLICY.replace('us-west-2', 'us-west2')}`.replace(/\n/g, '\r\n');
    expect(brief(issues([{ file: 'crlf.yaml', text }]))).toEqual([
      'crlf.yaml:8:17: policies[0].destinations[0].region: the string "us-west2" is not an AWS Region name',
    ]);
  });

  it('points into flow collections', () => {
    const text = POLICY.replace(
      '    destinations:\n      - region: us-west-2\n',
      '    destinations: [{ region: us-west-2 }, { region: eu-west-1, inRegion: yes }]\n',
    );
    expect(brief(issues([{ file: 'flow.yaml', text }]))).toEqual([
      'flow.yaml:7:74: policies[0].destinations[1].inRegion: got the string "yes": write true or false, without quotes',
    ]);
  });

  it('supports YAML merge keys', () => {
    const text = `${POLICY}  - name: p2
    schedule: "0 * * * *"
    source: { region: us-east-1, fileSystemIds: [fs-0123456789abcdef1] }
    destinations:
      - &west { region: us-west-2, copyTags: true, tags: { tier: gold } }
      - <<: *west
        region: eu-west-1
`;
    const result = validateConfigDocuments([{ file: 'merge.yaml', text }]);
    expect(result.ok && result.config.policies[1]?.destinations).toStrictEqual([
      { region: 'us-west-2', copyTags: true, tags: { tier: 'gold' }, inRegion: false },
      { region: 'eu-west-1', copyTags: true, tags: { tier: 'gold' }, inRegion: false },
    ]);
  });

  it('reports a missing key once even when a misspelt key suggests it', () => {
    const text = POLICY.replace('    source:', '    sources:');
    expect(brief(issues([{ file: 'a.yaml', text }]))).toEqual([
      'a.yaml:4:5: policies[0].sources: unknown key "sources"; did you mean "source"?',
    ]);
  });

  it('reports a missing key at its mapping when nothing suggests it', () => {
    const text = POLICY.replace('      region: us-east-1\n', '');
    expect(brief(issues([{ file: 'a.yaml', text }]))).toEqual([
      'a.yaml:4:5: policies[0].source.region: missing required key "region"',
    ]);
  });

  it('checks merged tag counts per destination against the room FSx leaves', () => {
    const tags = (prefix: string, n: number, indent: string): string =>
      Array.from({ length: n }, (_, i) => `${indent}${prefix}${i}: v\n`).join('');
    const ok = `${POLICY.replace('      - region: us-west-2\n', `      - region: us-west-2\n        tags:\n${tags('p', 20, '          ')}`)}    tags:\n${tags('p', 40, '      ')}`;
    expect(validateConfigDocuments([{ file: 'a.yaml', text: ok }]).ok).toBe(true); // 40 keys, 20 of them overridden: 40
    const tooMany = `${POLICY}    tags:\n${tags('p', 48, '      ')}`;
    expect(brief(issues([{ file: 'a.yaml', text: tooMany }]))).toEqual([
      'a.yaml:9:5: policies[0].tags: the policy has 48 tags (policy and destination tags merged); FSx allows 50 per backup and this service adds 6 of its own',
    ]);
  });

  describe('accounts', () => {
    const ACCOUNTS = `accounts:
  - name: prod
    roleArn: arn:aws:iam::111122223333:role/fsx-dr-copier
`;
    const withAccount = (account: string): string =>
      POLICY.replace('  - name: p1\n', `  - name: p1\n    account: ${account}\n`);

    it('takes accounts from one document for policies in another, and a document of accounts alone', () => {
      const result = validateConfigDocuments([
        { file: 'a.yaml', text: withAccount('prod') },
        { file: 'b.yaml', text: ACCOUNTS },
      ]);
      expect(result.ok && result.config.policies.map((p) => p.account)).toEqual(['prod']);
      expect(result.ok && result.config.accounts.map((a) => a.name)).toEqual(['prod']);
    });

    it('reads account: default, or no account, as the service’s own credentials', () => {
      const result = validateConfigDocuments([
        { file: 'a.yaml', text: withAccount('default') },
        { file: 'b.yaml', text: POLICY.replace('p1', 'p2') },
      ]);
      expect(result.ok && result.config.policies.map((p) => p.account)).toEqual(['default', 'default']);
      expect(result.ok && result.config.accounts).toEqual([]);
    });

    it('names a policy’s unknown account, and says so when no file has accounts', () => {
      expect(brief(issues([{ file: 'a.yaml', text: withAccount('prod') }]))).toEqual([
        'a.yaml:3:14: policies[0].account: account "prod" is not defined: no file has an accounts: list',
      ]);
      expect(
        brief(
          issues([
            { file: 'a.yaml', text: withAccount('staging') },
            { file: 'b.yaml', text: ACCOUNTS },
          ]),
        ),
      ).toEqual(['a.yaml:3:14: policies[0].account: account "staging" is not defined under accounts:']);
    });

    it('does not call an account unknown while a document that may define it does not parse', () => {
      expect(
        brief(
          issues([
            { file: 'a.yaml', text: withAccount('prod') },
            { file: 'b.yaml', text: `${ACCOUNTS}  - [\n` },
          ]),
        ),
      ).toEqual([expect.stringMatching(/^b\.yaml:\d+:\d+: : YAML: /)]);
    });

    it('checks a role’s partition against the Region of every policy that uses it, in any document', () => {
      const gov = POLICY.replace('p1', 'p2')
        .replace('us-east-1', 'us-gov-west-1')
        .replace('us-west-2', 'us-gov-east-1')
        .replace('  - name: p2\n', '  - name: p2\n    account: prod\n');
      expect(
        brief(
          issues([
            { file: 'a.yaml', text: ACCOUNTS + withAccount('prod') },
            { file: 'b.yaml', text: gov },
          ]),
        ),
      ).toEqual([
        'b.yaml:3:14: policies[0].account: account "prod" has its role in partition aws ("arn:aws:iam::111122223333:role/fsx-dr-copier"), but the source us-gov-west-1 is in partition aws-us-gov; a role is assumed only within its partition',
      ]);
    });

    it('does not judge the partition of a role ARN it has already refused', () => {
      const bad = ACCOUNTS.replace(
        'arn:aws:iam::111122223333:role/fsx-dr-copier',
        'arn:aws:iam::111122223333:role/',
      );
      expect(brief(issues([{ file: 'a.yaml', text: bad + withAccount('prod') }]))).toEqual([
        'a.yaml:3:14: accounts[0].roleArn: the string "arn:aws:iam::111122223333:role/" is not an IAM role ARN',
      ]);
    });
  });
});
