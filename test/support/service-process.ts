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

/**
 * A `fsx-dr` process started as a user starts it, with its JSON log lines collected.
 *
 * The lines arrive after the fact: the process writes them asynchronously (pino's default destination), and they
 * cross a pipe. So a test that saw a copy's outcome in Redis has not necessarily seen its log line yet. Wait for
 * the lines you count (`waitForEvent`, `waitForEvents`); for "exactly N", wait for N, `stop()` the process, and
 * count again: after `exited` (the child's 'close': its stdout has ended) no line is still on its way.
 */
export class ServiceProcess {
  readonly logs: LogLine[] = [];
  readonly stderr: string[] = [];
  /** Resolves once the process has exited and its stdout and stderr have closed. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private closed = false;
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
      this.notify();
    });
    createInterface({ input: child.stderr! }).on('line', (l) => this.stderr.push(l));
    // 'close', not 'exit': at 'exit' the last lines may still be in the pipe. readline emits its last 'line'
    // before the stream ends, so every line is in `logs` by then.
    this.exited = new Promise((res) =>
      child.once('close', (code, signal) => {
        this.closed = true;
        this.notify();
        res({ code, signal });
      }),
    );
  }

  static start(args: readonly string[], env: Readonly<Record<string, string>>): ServiceProcess {
    const child = spawn(process.execPath, [CLI_PATH, ...args], {
      env: { PATH: process.env['PATH'] ?? '', ...awsTestEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ServiceProcess(child);
  }

  private notify(): void {
    for (const w of this.waiters) w();
  }

  events(name: string): LogLine[] {
    return this.logs.filter((l) => l.event === name);
  }

  /**
   * Resolves with `found()` as soon as it returns something; fails with the last lines when it has not within
   * `timeoutMs`, or at once when the process has closed without it (no line can come any more).
   */
  private waitFor<T>(what: string, found: () => T | undefined, timeoutMs: number): Promise<T> {
    const now = found();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolvePromise, reject) => {
      const fail = (why: string): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        const tail = this.logs
          .slice(-15)
          .map((l) => JSON.stringify(l))
          .join('\n');
        reject(new Error(`${what}: ${why}; last lines:\n${tail}\n${this.stderr.join('\n')}`));
      };
      const timer = setTimeout(() => fail(`not seen within ${timeoutMs} ms`), timeoutMs);
      const check = (): void => {
        const hit = found();
        if (hit !== undefined) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolvePromise(hit);
        } else if (this.closed) {
          fail(`the process ended (code ${this.child.exitCode}, signal ${this.child.signalCode}) without it`);
        }
      };
      this.waiters.add(check);
      if (this.closed) check();
    });
  }

  /** Waits until a log line matches; fails with the last lines when it does not come in time. */
  async waitForLog(pred: (l: LogLine) => boolean, timeoutMs = 20_000): Promise<LogLine> {
    return this.waitFor('log line', () => this.logs.find(pred), timeoutMs);
  }

  async waitForEvent(name: string, timeoutMs?: number): Promise<LogLine> {
    return this.waitForLog((l) => l.event === name, timeoutMs);
  }

  /** Waits until at least `count` lines carry `event: name`; returns all of them seen so far. */
  async waitForEvents(name: string, count: number, timeoutMs = 20_000): Promise<LogLine[]> {
    return this.waitFor(
      `${count} ${name} line(s) (seen ${this.events(name).length})`,
      () => {
        const lines = this.events(name);
        return lines.length >= count ? lines : undefined;
      },
      timeoutMs,
    );
  }

  /** Sends a signal and waits for the exit and the end of its output; returns how long that took. */
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
