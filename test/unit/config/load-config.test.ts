import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONFIG_ERROR_CODE, ConfigError, isConfigError } from '../../../src/config/config-error.js';
import type { ConfigIssue } from '../../../src/config/config-error.js';
import { loadConfig } from '../../../src/config/load-config.js';

const POLICY = `policies:
  - name: p1
    schedule: "0 * * * *"
    source: { region: us-east-1, fileSystemIds: [fs-0123456789abcdef0] }
    destinations: [{ region: us-west-2 }]
`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fsx-dr-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function failure(path: string): Promise<ConfigError> {
  try {
    await loadConfig(path);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`${path} loaded without error`);
}

const whole = (file: string, message: string): ConfigIssue => ({
  file,
  line: 0,
  column: 0,
  path: '',
  message,
});

describe('loadConfig', () => {
  it('reads one file', async () => {
    await writeFile(join(dir, 'p.yaml'), POLICY);
    const config = await loadConfig(join(dir, 'p.yaml'));
    expect(config.policies.map((p) => p.name)).toEqual(['p1']);
  });

  it('names a missing path', async () => {
    const path = join(dir, 'nope.yaml');
    expect((await failure(path)).issues).toEqual([
      whole(path, 'cannot read the configuration: no such file or directory (ENOENT)'),
    ]);
  });

  it('names an empty directory', async () => {
    await writeFile(join(dir, 'notes.txt'), 'not yaml');
    expect((await failure(dir)).issues).toEqual([whole(dir, 'the directory holds no .yaml or .yml files')]);
  });

  it('refuses a file over 1 MiB without reading it, and says so', async () => {
    const path = join(dir, 'big.yaml');
    await writeFile(path, `${POLICY}#${'x'.repeat(1024 * 1024)}\n`);
    const [issue] = (await failure(path)).issues;
    expect(issue).toEqual(
      whole(path, expect.stringContaining('the limit is 1048576 bytes (1 MiB) per file') as string),
    );
  });

  it('reports an unreadable entry and the other files problems together, without a spurious "no policies"', async () => {
    await mkdir(join(dir, 'a.yaml'));
    await writeFile(join(dir, 'b.yaml'), 'settings:\n  pollInterval: 5\n');
    const { issues } = await failure(dir);
    expect(issues.map((i) => `${i.file}:${i.line}:${i.column}: ${i.message}`)).toEqual([
      `${join(dir, 'a.yaml')}:0:0: not a regular file`,
      `${join(dir, 'b.yaml')}:2:17: 5 has no unit: write e.g. "5s", "5m" or "5h"`,
    ]);
  });

  it('throws a ConfigError an entry point can recognise and print', async () => {
    const path = join(dir, 'bad.yaml');
    await writeFile(path, POLICY.replace('p1', 'P1'));
    const error = await failure(path);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConfigError');
    expect(error.code).toBe(CONFIG_ERROR_CODE);
    expect(error.code).toBe('FSXDR_CONFIG_INVALID');
    expect(isConfigError(error)).toBe(true);
    expect(isConfigError(new Error('other'))).toBe(false);
    expect(error.message).toBe(
      `configuration invalid: 1 problem, first: ${path}:2:11: the string "P1" is not a valid policy name`,
    );
    expect(Object.isFrozen(error.issues)).toBe(true);
  });
});
