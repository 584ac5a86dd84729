import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsTestEnv } from '../support/aws-env.js';
import { startFsxSimulator, type FsxSimulator } from '../../simulator/src/index.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { CLI_PATH } from '../support/service-process.js';

/**
 * The malformed-input corpus (issue 4): policy files a careless edit, a broken pipeline or a hostile hand can
 * produce, beyond the foundation's test/fixtures/policies/invalid. Each goes through the real CLI, `validate`
 * and `run`, and must be refused the way a user can act on: exit 1 (not a crash code such as 70), every
 * problem naming the file (and its line where it has one), no stack trace, no endless line, and no hang. `run`
 * must print what `validate` prints, and a service started with a bad file must never touch Redis or FSx.
 */
const HOSTILE = fileURLToPath(new URL('../fixtures/policies/hostile/', import.meta.url));
/**
 * "In time" is about the work the CLI does, so it is measured in the CLI's own CPU time, which the rest of a busy
 * machine does not inflate (the heaviest case, 5,000 duplicate policies, takes about 3.5 s of it).
 */
const CPU_LIMIT_MS = 10_000;
/**
 * A hang, told apart from a slow start on a busy machine by the CPU the kernel charges the process (/proc): one
 * that used no CPU for this long is blocked (on a FIFO, say), one over CPU_LIMIT_MS is looping; either is killed.
 */
const STALL_LIMIT_MS = 15_000;
/** Without /proc (not Linux), a process still running after this long is taken to hang. */
const WALL_LIMIT_MS = 50_000;
/** /proc/<pid>/stat counts CPU time in clock ticks of 10 ms (USER_HZ is 100 on Linux). */
const CLOCK_TICK_MS = 10;
/** Loaded before the CLI with --import: writes the process's CPU usage to fd 3 as it exits. */
const REPORT_CPU_AT_EXIT = `data:text/javascript,${encodeURIComponent(
  "import { writeSync } from 'node:fs'; process.on('exit', () => writeSync(3, JSON.stringify(process.cpuUsage())));",
)}`;
const LONGEST_LINE = 2_000;

interface Case {
  /** Where the problem is reported: the file inside a directory case, else the case itself. */
  readonly file?: string;
  /** The line the first problem must point at, when the file has lines to point at. */
  readonly line?: number;
  /** A fragment of the message. */
  readonly message: RegExp;
}

const c = (line: number | undefined, message: RegExp, extra: Partial<Case> = {}): Case => ({
  ...(line !== undefined ? { line } : {}),
  message,
  ...extra,
});

/** Every committed fixture, with where and what its first problem is. A new fixture must be added here. */
const COMMITTED: Readonly<Record<string, Case>> = {
  // Types
  'type-name-number.yaml': c(3, /got the number 42/),
  'type-schedule-list.yaml': c(4, /schedule: got a list/),
  'type-schedule-mapping.yaml': c(4, /schedule: got a mapping/),
  'type-file-system-ids-string.yaml': c(7, /write a list/),
  'type-file-system-ids-number.yaml': c(7, /got the number 123456789/),
  'type-destination-string.yaml': c(8, /destinations\[0\]: got the string "us-west-2"/),
  'type-destinations-mapping.yaml': c(9, /destinations: got a mapping/),
  'type-source-null.yaml': c(5, /source: got an empty value/),
  'type-settings-list.yaml': c(3, /settings: got a list/),
  'type-max-in-flight-string.yaml': c(3, /got the string "five"/),
  'type-max-in-flight-bool.yaml': c(3, /maxInFlightPerRegion: got true/),
  'type-tags-list.yaml': c(7, /tags: got a list/),
  'type-copytags-null.yaml': c(7, /copyTags: got an empty value/),
  'type-timezone-number.yaml': c(4, /timezone: got the number 1/),
  'type-root-scalar.yaml': c(1, /got the string "just a sentence/),
  'type-root-number.yaml': c(1, /got the number 42/),
  'type-policies-null.yaml': c(1, /policies: got an empty value/),
  'type-policy-string.yaml': c(2, /policies\[0\]: got the string "windows-prod"/),
  'type-region-number.yaml': c(9, /got the number 1000/),
  'type-number-overflow.yaml': c(3, /got the number Infinity/),
  // Semantics
  'sem-max-in-flight-zero.yaml': c(2, /0 is too small/),
  'sem-max-in-flight-negative.yaml': c(2, /-3 is too small/),
  'sem-poll-interval-negative.yaml': c(2, /"-5s" is not a duration/),
  'sem-start-deadline-zero.yaml': c(2, /0s is too short/),
  'sem-completion-deadline-huge.yaml': c(2, /completionDeadline: \d+d is too long/),
  'sem-retention-negative.yaml': c(3, /-1 is too small/),
  'sem-schedule-april-31.yaml': c(4, /never fires/),
  'sem-schedule-empty.yaml': c(3, /schedule: the value is empty/),
  'sem-schedule-blank.yaml': c(3, /schedule: the value is empty/),
  'sem-schedule-injection.yaml': c(4, /has 9 fields/),
  'sem-schedule-step-zero.yaml': c(3, /cannot repeat at every 0/),
  'sem-schedule-reversed-range.yaml': c(3, /Invalid range: 59-0/),
  'sem-schedule-sixth-weekday.yaml': c(4, /occurrence number/),
  'sem-timezone-path.yaml': c(4, /unknown time zone/),
  'sem-region-empty.yaml': c(8, /the string "" is not an AWS Region name/),
  'sem-region-unknown.yaml': c(9, /"mars-north-1" is not an AWS Region name/),
  'sem-file-system-id-uppercase.yaml': c(6, /is not an FSx file system id/),
  'sem-kms-key-empty.yaml': c(9, /kmsKeyId: the value is empty/),
  'sem-tag-key-empty.yaml': c(8, /tag key "" is 0 characters long/),
  'sem-tag-value-control-chars.yaml': c(8, /characters FSx does not allow/),
  'sem-policy-name-too-long.yaml': c(2, /is not a valid policy name/),
  'sem-key-very-long.yaml': c(7, /at most 1024 chars/),
  'sem-prototype-pollution.yaml': c(2, /unknown key "__proto__"/),
  // Binary data and encodings
  'bin-random-bytes.yaml': c(1, /expected a mapping with settings and\/or policies/),
  'bin-png-header.yaml': c(1, /got the string "\uFFFDPNG/),
  'bin-nul-bytes.yaml': c(2, /"windows\\u0000prod" is not a valid policy name/),
  'bin-invalid-utf8.yaml': c(2, /is not a valid policy name/),
  'enc-utf16le-bom.yaml': c(1, /expected a mapping with settings and\/or policies/),
  'enc-utf8-bom-with-error.yaml': c(4, /hour field "25"/),
  // Layout: tabs, line endings, nothing at all
  'layout-tab-after-dash.yaml': c(2, /Tabs are not allowed/),
  'layout-crlf-with-error.yaml': c(9, /"US-WEST-2" is not an AWS Region name/),
  'layout-cr-only.yaml': c(1, /YAML:/),
  'layout-only-comments.yaml': c(1, /the file is empty/),
  'layout-only-whitespace.yaml': c(1, /the file is empty/),
  'layout-document-marker-only.yaml': c(1, /the file is empty/),
  'layout-null-document.yaml': c(1, /the file is empty/),
  'layout-mixed-indentation.yaml': c(6, /same column/),
  'layout-unterminated-flow.yaml': c(7, /Flow sequence/),
  'layout-unterminated-quote.yaml': c(9, /Missing closing "quote/),
  // Nesting
  'deep-flow-sequences.yaml': c(1, /YAML:/),
  'deep-block-mappings.yaml': c(2, /policies: got a mapping/),
  // Unicode
  'uni-name-accents.yaml': c(2, /"prod-ünïcødé" is not a valid policy name/),
  'uni-homoglyph-key.yaml': c(2, /did you mean "policies"\?/),
  'uni-zero-width-key.yaml': c(4, /did you mean "schedule"\?/),
  'uni-rtl-override-name.yaml': c(2, /is not a valid policy name/),
  'uni-emoji-region.yaml': c(8, /is not an AWS Region name/),
  // Duplicate keys
  'dup-key-in-policy.yaml': c(4, /duplicate key "schedule": already defined at line 3/),
  'dup-key-settings.yaml': c(3, /duplicate key "pollInterval": already defined at line 2/),
  'dup-key-top-level.yaml': c(9, /duplicate key "policies": already defined at line 1/),
  // Aliases
  'alias-billion-laughs.yaml': c(3, /alias bombs/),
  'alias-merge-key-bomb.yaml': c(3, /alias bombs/),
  'alias-self-reference.yaml': c(2, /unknown key "loop"/),
  'alias-undefined.yaml': c(8, /alias \*nowhere has no anchor/),
  'alias-policy-reused.yaml': c(4, /is already used by policies\[0\]/),
  // YAML tags that some loaders execute
  'tag-js-function.yaml': c(2, /Unresolved tag/),
  'tag-binary-name.yaml': c(2, /name: got a mapping/),
  'tag-python-object.yaml': c(2, /Unresolved tag/),
  'multi-document-second-bad.yaml': c(9, /more than one YAML document/),
  // Directories
  'dir-bad-and-good': c(7, /"fs-nothex" is not an FSx file system id/, {
    file: 'dir-bad-and-good/20-bad.yaml',
  }),
  'dir-subdirectory-named-yaml': c(undefined, /not a regular file/, {
    file: 'dir-subdirectory-named-yaml/nested.yaml',
  }),
  'dir-hidden-only': c(undefined, /holds no \.yaml or \.yml files/),
};

/** Made at run time in a temporary directory: too big to commit, or not a file git can hold. */
const GENERATED: Readonly<Record<string, Case>> = {
  'gen-over-one-mebibyte.yaml': c(undefined, /the limit is 1048576 bytes/),
  'gen-long-schedule.yaml': c(3, /schedule: cron expression "[^"]{50,60}\.\.\."/),
  'gen-five-thousand-duplicate-policies.yaml': c(9, /is already used by policies\[0\]/),
  'gen-nesting-100000-deep.yaml': c(1, /YAML:/),
  'gen-fifo.yaml': c(undefined, /not a regular file/),
  'gen-symlink-loop.yaml': c(undefined, /too many symbolic links/),
  'gen-missing.yaml': c(undefined, /no such file or directory/),
};

const MINIMAL_POLICY = (schedule: string): string =>
  `policies:\n  - name: p\n    schedule: "${schedule}"\n    source:\n      region: us-east-1\n` +
  `      fileSystemIds: [fs-0123456789abcdef0]\n    destinations:\n      - region: us-west-2\n`;

async function generate(dir: string): Promise<void> {
  const policy = MINIMAL_POLICY('0 3 * * *').replace('policies:\n', '');
  await writeFile(join(dir, 'gen-over-one-mebibyte.yaml'), `policies:\n${policy.repeat(8_000)}`);
  await writeFile(
    join(dir, 'gen-five-thousand-duplicate-policies.yaml'),
    `policies:\n${policy.repeat(5_000)}`,
  );
  await writeFile(join(dir, 'gen-long-schedule.yaml'), MINIMAL_POLICY('1 '.repeat(450_000)));
  await writeFile(
    join(dir, 'gen-nesting-100000-deep.yaml'),
    `policies: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
  );
  execFileSync('mkfifo', [join(dir, 'gen-fifo.yaml')]);
  await symlink('gen-symlink-loop.yaml', join(dir, 'gen-symlink-loop.yaml'));
}

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly tookMs: number;
  /** User + system CPU time of the CLI process; undefined when it did not exit by itself. */
  readonly cpuMs: number | undefined;
  /** Why the watchdog killed it, if it did. */
  readonly hang: string | undefined;
}

/** CPU time the kernel has charged to `pid` so far, in ms; undefined without /proc or once the process is gone. */
async function chargedCpuMs(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // After "pid (comm) ", fields start at the third, the state: utime is the 14th, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS;
  } catch {
    return undefined;
  }
}

/** Runs the real CLI to its end, or kills it when it hangs (a hang is a failure, not a stuck test). */
function runCli(args: readonly string[], env: Readonly<Record<string, string>>): Promise<CliResult> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', REPORT_CPU_AT_EXIT, CLI_PATH, ...args], {
    env: { PATH: process.env['PATH'] ?? '', ...awsTestEnv(), FSXDR_HTTP_PORT: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let usage = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdio[3]?.on('data', (d: Buffer) => (usage += d.toString()));
  let hang: string | undefined;
  let charged = -1;
  let progressAt = started;
  const kill = (why: string): void => {
    hang ??= why;
    child.kill('SIGKILL');
  };
  const watchdog = setInterval(() => {
    void (async () => {
      const cpuMs = child.pid === undefined ? undefined : await chargedCpuMs(child.pid);
      const now = Date.now();
      if (cpuMs === undefined) {
        if (now - started > WALL_LIMIT_MS) kill(`still running after ${WALL_LIMIT_MS} ms`);
        return;
      }
      if (cpuMs > charged) {
        charged = cpuMs;
        progressAt = now;
      }
      if (now - progressAt > STALL_LIMIT_MS) kill(`no CPU used for ${STALL_LIMIT_MS} ms: blocked`);
      else if (cpuMs > CPU_LIMIT_MS) kill(`over ${CPU_LIMIT_MS} ms of CPU: looping`);
    })();
  }, 1_000);
  return new Promise((resolve) => {
    child.once('close', (code) => {
      clearInterval(watchdog);
      const cpu = usage === '' ? undefined : (JSON.parse(usage) as { user: number; system: number });
      const cpuMs = cpu === undefined ? undefined : (cpu.user + cpu.system) / 1_000;
      resolve({ code, stdout, stderr, tookMs: Date.now() - started, cpuMs, hang });
    });
  });
}

/** What a user must get from a refused file; a failure quotes the start of stderr, not all of it. */
function expectRefusal(result: CliResult, where: string, expected: Case): void {
  const shown = `stderr was:\n${result.stderr.slice(0, 1_500)}`;
  const pointer = expected.line === undefined ? `${where}:` : `${where}:${expected.line}:`;
  const longest = Math.max(...result.stderr.split('\n').map((l) => l.length));
  expect(result.hang, `killed: ${result.hang}; ${shown}`).toBeUndefined();
  expect(result.cpuMs, `CPU time reported at exit; ${shown}`).toBeDefined();
  expect(result.cpuMs, `CPU time in ms; ${shown}`).toBeLessThan(CPU_LIMIT_MS);
  expect(result.code, shown).toBe(1);
  expect(/^\s+at .+:\d+:\d+\)?$/m.test(result.stderr), `a stack trace; ${shown}`).toBe(false);
  expect(result.stderr.includes('unexpected error'), shown).toBe(false);
  expect(expected.message.test(result.stderr), `${String(expected.message)}; ${shown}`).toBe(true);
  expect(result.stderr.includes(pointer), `names ${pointer}; ${shown}`).toBe(true);
  expect(/configuration invalid: \d+ problems? in \d+ files?/.test(result.stderr), shown).toBe(true);
  expect(longest, `a message line an operator can read; ${shown}`).toBeLessThanOrEqual(LONGEST_LINE);
}

describe('hostile policy files', () => {
  let generatedDir = '';
  let redis: TestRedis;
  let sim: FsxSimulator;
  let reader: Redis;
  let connectionsBefore = 0;
  const prefix = `hostile${process.pid}`;

  beforeAll(async () => {
    generatedDir = await mkdtemp(join(tmpdir(), 'fsxdr-hostile-'));
    await generate(generatedDir);
    redis = await startRedis({ forcePrivate: true });
    sim = await startFsxSimulator();
    reader = new Redis(redis.url, { maxRetriesPerRequest: null });
    connectionsBefore = await totalConnections(reader);
  });

  afterAll(async () => {
    reader.disconnect();
    await sim.close();
    await redis.stop();
    await rm(generatedDir, { recursive: true, force: true });
  });

  it('lists every committed fixture in the table (and more than 40 of them)', async () => {
    const names = (await readdir(HOSTILE)).sort();
    expect(names).toEqual(Object.keys(COMMITTED).sort());
    expect(names.length + Object.keys(GENERATED).length).toBeGreaterThan(40);
  });

  const cases = [
    ...Object.entries(COMMITTED).map(([name, expected]) => ({ name, dir: () => HOSTILE, expected })),
    ...Object.entries(GENERATED).map(([name, expected]) => ({ name, dir: () => generatedDir, expected })),
  ];

  describe.concurrent('each is refused by validate and run with exit 1, where it is, in time', () => {
    for (const { name, dir, expected } of cases) {
      it(name, async () => {
        const path = join(dir(), name);
        const target = { REDIS_URL: redis.url, AWS_ENDPOINT_URL_FSX: sim.endpoint };
        const [validate, run] = await Promise.all([
          runCli(['validate', '--config', path], {}),
          runCli(['run', '--config', path], { ...target, FSXDR_PREFIX: prefix }),
        ]);
        const where = join(dir(), expected.file ?? name);
        expectRefusal(validate, where, expected);
        expectRefusal(run, where, expected);
        expect(run.stderr === validate.stderr, 'run prints what validate prints').toBe(true);
        expect(run.stdout, 'run logs nothing: it never started').toBe('');
      });
    }
  });

  it('no run with a bad file touched Redis or FSx', async () => {
    expect(await totalConnections(reader)).toBe(connectionsBefore);
    expect(await reader.keys(`${prefix}*`)).toEqual([]);
    expect(await reader.dbsize()).toBe(0);
    expect(sim.requests).toHaveLength(0);
  });
});

/** Connections the Redis server has accepted since it started (ours included, counted before the runs). */
async function totalConnections(redis: Redis): Promise<number> {
  const info = await redis.info('stats');
  return Number(/total_connections_received:(\d+)/.exec(info)?.[1] ?? NaN);
}
