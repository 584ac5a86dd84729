import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { awsTestEnv } from './aws-env.js';

/** The repository root, whether this file runs from test/support or compiled from dist/test/support. */
const ROOT = resolve(import.meta.dirname, import.meta.dirname.includes('/dist/') ? '../../..' : '../..');

/** The built CLI, exactly what package.json's `bin` points at and the container runs. */
export const CLI_PATH = resolve(ROOT, 'dist/bin/fsx-dr.js');

export type LogLine = Record<string, unknown> & { event?: string; msg?: string };

/** Tunables that compress time for tests: polls, locks and backoffs in the tens or hundreds of milliseconds. */
export const FAST_ENV: Readonly<Record<string, string>> = {
  LOG_LEVEL: 'debug',
  LOG_FORMAT: 'json',
  // Many processes at once: each takes a free port and says which in its `http.listening` line.
  FSXDR_HTTP_PORT: '0',
  FSXDR_HTTP_HOST: '127.0.0.1',
  FSXDR_LOCK_DURATION: '2s',
  FSXDR_STALLED_INTERVAL: '1s',
  FSXDR_FSX_REQUEST_TIMEOUT: '2s',
  FSXDR_TRANSIENT_RETRY_BASE: '50ms',
  FSXDR_TRANSIENT_RETRY_CAP: '500ms',
  FSXDR_SOURCE_WAIT_BASE: '100ms',
  FSXDR_SOURCE_WAIT_CAP: '400ms',
  FSXDR_REGION_FULL_DELAY: '200ms',
};

/** A `fsx-dr` process started as a user starts it, with its JSON log lines collected. */
export class ServiceProcess {
  readonly logs: LogLine[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly child: ChildProcess) {
    const out = createInterface({ input: child.stdout! });
    out.on('line', (line) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        parsed = undefined;
      }
      const isObject = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
      this.logs.push(isObject ? (parsed as LogLine) : { msg: line, event: 'non-json' });
      for (const w of this.waiters) w();
    });
    createInterface({ input: child.stderr! }).on('line', (l) => this.stderr.push(l));
    this.exited = new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));
  }

  static start(args: readonly string[], env: Readonly<Record<string, string>>): ServiceProcess {
    const child = spawn(process.execPath, [CLI_PATH, ...args], {
      env: { PATH: process.env['PATH'] ?? '', ...awsTestEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ServiceProcess(child);
  }

  events(name: string): LogLine[] {
    return this.logs.filter((l) => l.event === name);
  }

  /** Waits until a log line matches; fails with the last lines when it does not come in time. */
  async waitForLog(pred: (l: LogLine) => boolean, timeoutMs = 20_000): Promise<LogLine> {
    const found = this.logs.find(pred);
    if (found) return found;
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        const tail = this.logs
          .slice(-15)
          .map((l) => JSON.stringify(l))
          .join('\n');
        reject(
          new Error(
            `log line not seen within ${timeoutMs} ms; last lines:\n${tail}\n${this.stderr.join('\n')}`,
          ),
        );
      }, timeoutMs);
      const check = (): void => {
        const hit = this.logs.find(pred);
        if (hit) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolvePromise(hit);
        }
      };
      this.waiters.add(check);
    });
  }

  async waitForEvent(name: string, timeoutMs?: number): Promise<LogLine> {
    return this.waitForLog((l) => l.event === name, timeoutMs);
  }

  /** Sends a signal and waits for the exit; returns how long that took. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; tookMs: number }> {
    const started = Date.now();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    const { code } = await this.exited;
    return { code, tookMs: Date.now() - started };
  }
}

/** Runs a one-shot CLI command to completion. */
export async function runCli(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    env: { PATH: process.env['PATH'] ?? '', ...awsTestEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // 'close', not 'exit': only then has all of stdout been read.
  const code = await new Promise<number | null>((res) => child.once('close', (c) => res(c)));
  return { code, stdout, stderr };
}

/** Writes a policy file into a fresh temporary directory and returns its path. */
export async function writePolicyFile(yaml: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fsxdr-policy-'));
  const file = join(dir, 'policies.yaml');
  await writeFile(file, yaml);
  return file;
}

/** Polls until `check` returns true; fails with `what` when it does not within the time. */
export async function eventually(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
