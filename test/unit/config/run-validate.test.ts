import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatConfigIssues, runValidate } from '../../../src/cli/validate.js';

const EXAMPLE = fileURLToPath(new URL('../../../config/policies.example.yaml', import.meta.url));
const INVALID = fileURLToPath(new URL('../../fixtures/policies/invalid/', import.meta.url));
const NOW = new Date('2026-03-28T12:00:00Z');

async function run(config: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runValidate(
    { config, now: NOW },
    {
      stdout: (text) => (stdout += `${text}\n`),
      stderr: (text) => (stderr += `${text}\n`),
    },
  );
  return { code, stdout, stderr };
}

describe('runValidate', () => {
  it('prints what the example would do, next fire times in its zone and in UTC, and exits 0', async () => {
    const { code, stdout, stderr } = await run(EXAMPLE);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toBe(
      [
        `ok: 2 policies, 3 destinations in ${EXAMPLE}`,
        'settings: pollInterval 30s, maxInFlightPerRegion 5, startDeadline 8h, completionDeadline 2d, outcomeRetention 10000 records / 30d',
        '',
        `windows-prod (${EXAMPLE})`,
        '  source        eu-central-1: fs-0123456789abcdef0, fs-0fedcba9876543210',
        '  destinations  eu-west-1, kms arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab, copyTags true, tags dr-tier=gold, owner=platform-team',
        '                us-east-1, kms arn:aws:kms:us-east-1:111122223333:key/abcd1234-ab12-cd34-ef56-abcdef123456, copyTags true, tags dr-tier=silver, owner=platform-team',
        '  schedule      0 */6 * * * (Europe/Berlin)',
        '  rpo           14h',
        '  next          2026-03-28T18:00:00+01:00  2026-03-28T17:00:00Z',
        '                2026-03-29T00:00:00+01:00  2026-03-28T23:00:00Z',
        '                2026-03-29T06:00:00+02:00  2026-03-29T04:00:00Z',
        '',
        `analytics-daily (${EXAMPLE})`,
        '  source        us-east-1: fs-0a1b2c3d4e5f60718, fs-09f8e7d6c5b4a3210',
        '  destinations  us-west-2, kms FSx-managed key, copyTags false',
        '  schedule      0 2 * * * (UTC)',
        '  next          2026-03-29T02:00:00Z  2026-03-29T02:00:00Z',
        '                2026-03-30T02:00:00Z  2026-03-30T02:00:00Z',
        '                2026-03-31T02:00:00Z  2026-03-31T02:00:00Z',
        '',
      ].join('\n'),
    );
  });

  it('prints every problem as file:line:column: path: message, a count, no stack, and exits 1', async () => {
    const file = join(INVALID, 'several-mistakes.yaml');
    const { code, stdout, stderr } = await run(file);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    const prefixes = [
      `${file}:2:17: settings.pollInterval: `,
      `${file}:3:25: settings.maxInFlightPerRegion: `,
      `${file}:7:15: policies[0].timezone: `,
      `${file}:13:9: policies[0].destinations[0].copyTag: `,
      `${file}:15:15: policies[1].schedule: `,
      `${file}:20:17: policies[1].destinations[0].region: `,
      'configuration invalid: ',
    ];
    expect(lines).toHaveLength(prefixes.length);
    prefixes.forEach((prefix, i) => expect(lines[i]?.startsWith(prefix), lines[i]).toBe(true));
    expect(lines[3]).toBe(
      `${file}:13:9: policies[0].destinations[0].copyTag: unknown key "copyTag"; did you mean "copyTags"? (expected one of: region, kmsKeyId, copyTags, tags, inRegion, retention)`,
    );
    expect(lines.at(-1)).toBe('configuration invalid: 6 problems in 1 file');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 1 for a missing file, naming it', async () => {
    const file = join(INVALID, 'does-not-exist.yaml');
    const { code, stderr } = await run(file);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `${file}: cannot read the configuration: no such file or directory (ENOENT)\nconfiguration invalid: 1 problem in 1 file\n`,
    );
  });
});

describe('formatConfigIssues', () => {
  it('sorts by file then line, prints whole-file problems without a position, and adds a count', () => {
    expect(
      formatConfigIssues([
        { file: 'b.yaml', line: 3, column: 1, path: 'policies[0].name', message: 'late', expected: 'a name' },
        { file: 'b.yaml', line: 1, column: 5, path: '', message: 'YAML: early' },
        { file: 'a.yaml', line: 0, column: 0, path: '', message: 'not a regular file' },
      ]),
    ).toBe(
      [
        'a.yaml: not a regular file',
        'b.yaml:1:5: YAML: early',
        'b.yaml:3:1: policies[0].name: late (expected a name)',
        'configuration invalid: 3 problems in 2 files',
      ].join('\n'),
    );
  });
});
