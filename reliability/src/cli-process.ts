import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { CLI_PATH } from './repo-paths.js';

export type LogLine = Record<string, unknown> & { readonly event?: string };

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Log events the audit reads; other lines are counted and only the latest few kept, to bound memory. */
const KEPT_EVENTS: ReadonlySet<string> = new Set([
  'copy.succeeded',
  'copy.failed',
  'copy.expired',
  'copy.started',
  'copy.attached',
  'copy.handed_back',
  'schedule.fired',
  'service.stopped',
  'service.stop_timeout',
  'worker.started',
  'scheduler.started',
  'redis.failover',
  'worker.stalled',
]);
const TAIL_LINES = 40;

/** One `fsx-dr run` process, started as a user starts it, with the log lines the chaos audit needs. */
export class CliProcess {
  readonly kept: LogLine[] = [];
  readonly tail: string[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<ExitInfo>;
  readonly startedAt = Date.now();
  linesSeen = 0;
  /** Set before the runner signals the process: any other exit is a crash. */
  exitExpected = false;
  private readonly child: ChildProcess;

  constructor(
    readonly name: string,
    args: readonly string[],
    env: Readonly<Record<string, string>>,
  ) {
    this.child = spawn(process.execPath, [CLI_PATH, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    createInterface({ input: this.child.stdout! }).on('line', (line) => this.onLine(line));
    createInterface({ input: this.child.stderr! }).on('line', (line) => {
      if (this.stderr.length < 200) this.stderr.push(line);
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => resolve({ code, signal }));
      this.child.once('error', () => resolve({ code: null, signal: null }));
    });
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends a signal (the exit is expected from now on); resolves when the process has exited. */
  async signal(signal: NodeJS.Signals): Promise<ExitInfo> {
    this.exitExpected = true;
    if (this.running) this.child.kill(signal);
    return this.exited;
  }

  events(name: string): LogLine[] {
    return this.kept.filter((l) => l.event === name);
  }

  private onLine(line: string): void {
    this.linesSeen += 1;
    this.tail.push(line);
    if (this.tail.length > TAIL_LINES) this.tail.shift();
    let parsed: LogLine;
    try {
      parsed = JSON.parse(line) as LogLine;
    } catch {
      this.kept.push({ event: 'non-json', msg: line });
      return;
    }
    if (typeof parsed.event === 'string' && KEPT_EVENTS.has(parsed.event)) this.kept.push(parsed);
  }
}
