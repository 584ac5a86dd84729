import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { awsTestEnv } from '../../test/support/aws-env.js';
import { sampleProcess, type ProcessSample } from './process-stats.js';

/** The repository root, from dist/bench/src. */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');
/** The built CLI: what package.json's `bin` points at and what a container runs. */
export const CLI_PATH = resolve(REPO_ROOT, 'dist/bin/fsx-dr.js');

export type LogLine = Record<string, unknown> & { event?: string; time?: string };

export interface LaunchOptions {
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Writes a V8 CPU profile of the process into this directory when it exits (`node --cpu-prof`). */
  readonly cpuProfileDir?: string;
}

/**
 * An `fsx-dr` process started as a user starts it. Its JSON log lines are counted per `event` rather than kept
 * (a scale run writes tens of thousands), with the first line of each event and the last few lines for errors.
 */
export class ServiceLauncher {
  readonly counts = new Map<string, number>();
  readonly first = new Map<string, LogLine>();
  readonly tail: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly startedAt = Date.now();
  #lastSample: ProcessSample | undefined;
  readonly #listeners = new Set<(line: LogLine) => void>();

  private constructor(readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (text) => this.#onLine(text));
    createInterface({ input: child.stderr! }).on('line', (text) => this.#keep(`stderr: ${text}`));
    this.exited = new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));
  }

  static start(opts: LaunchOptions): ServiceLauncher {
    // Node 20 refuses --cpu-prof in NODE_OPTIONS, so it goes on the command line.
    const profile =
      opts.cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfileDir}`];
    const child = spawn(process.execPath, [...profile, CLI_PATH, ...opts.args], {
      env: { PATH: process.env['PATH'] ?? '', ...awsTestEnv(), ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ServiceLauncher(child);
  }

  #keep(text: string): void {
    this.tail.push(text);
    if (this.tail.length > 30) this.tail.shift();
  }

  #onLine(text: string): void {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      this.#keep(text);
      return;
    }
    const event = line.event ?? '';
    this.counts.set(event, (this.counts.get(event) ?? 0) + 1);
    if (!this.first.has(event)) this.first.set(event, line);
    if (event !== 'copy.started' && event !== 'copy.succeeded') this.#keep(text);
    for (const listener of this.#listeners) listener(line);
  }

  count(event: string): number {
    return this.counts.get(event) ?? 0;
  }

  /** Calls `listener` on every log line from now on; returns the unsubscribe. */
  onLine(listener: (line: LogLine) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Waits until `done()` holds, checked on every log line and every 50 ms; fails with the log tail otherwise. */
  async waitUntil(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`fsx-dr exited while waiting for ${what}:\n${this.tail.join('\n')}`);
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}:\n${this.tail.join('\n')}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** CPU time and memory now (the last sample once the process has gone). */
  sample(): ProcessSample | undefined {
    const pid = this.child.pid;
    const now = pid === undefined ? undefined : sampleProcess(pid);
    if (now) this.#lastSample = now;
    return this.#lastSample;
  }

  /** SIGTERM (hand back and exit, as a container stop does), then the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    this.sample();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return (await this.exited).code;
  }
}
