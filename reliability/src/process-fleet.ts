import type { ChaosLog } from './chaos-log.js';
import { pause } from './chaos-log.js';
import { CliProcess, type ExitInfo } from './cli-process.js';

export type Role = 'worker' | 'scheduler';

/** A process that exited without being told to: a crash, whatever its exit code. */
export interface CrashRecord {
  readonly process: string;
  readonly code: number | null;
  readonly signal: string | null;
  readonly stderrTail: readonly string[];
}

/** A SIGTERM that did not end in a clean exit (code 0) within the service's promised 10 seconds. */
export interface UncleanStop {
  readonly process: string;
  readonly code: number | null;
  readonly tookMs: number;
  /** True when the process had not exited 15 s after SIGTERM and was killed. */
  readonly hung: boolean;
}

export interface FleetCounters {
  readonly sigkills: Record<Role, number>;
  sigterms: number;
  slowestStopMs: number;
  readonly crashes: CrashRecord[];
  readonly uncleanStops: UncleanStop[];
}

interface Slot {
  readonly name: string;
  readonly role: Role;
  current: CliProcess | undefined;
  /** Operations on one slot never overlap (a kill and a rolling restart of the same process). */
  locked: boolean;
}

const STOP_PROMISE_MS = 10_000;
const HANG_MS = 15_000;

/**
 * The service as a team deploys it: N worker and M scheduler processes of `fsx-dr run` on one Redis, each slot
 * restarted when its process dies (as a container orchestrator would), with every kill, stop and crash counted.
 */
export class ProcessFleet {
  /** Every process ever started, for the audit of their logs. */
  readonly history: CliProcess[] = [];
  readonly counters: FleetCounters = {
    sigkills: { worker: 0, scheduler: 0 },
    sigterms: 0,
    slowestStopMs: 0,
    crashes: [],
    uncleanStops: [],
  };
  private readonly slots: Slot[];
  private incarnation = 0;
  /** False during the outage and at the end: a crashed process is not brought back then. */
  private restartOnCrash = true;

  constructor(
    private readonly configPath: string,
    private readonly env: () => Record<string, string>,
    private readonly log: ChaosLog,
    workers: number,
    schedulers: number,
  ) {
    this.slots = [
      ...Array.from({ length: workers }, (_, i) => slot(`worker-${i + 1}`, 'worker')),
      ...Array.from({ length: schedulers }, (_, i) => slot(`scheduler-${i + 1}`, 'scheduler')),
    ];
  }

  /** Starts every slot's process and waits until each has said it started. */
  async startAll(): Promise<void> {
    this.restartOnCrash = true;
    for (const s of this.slots) this.start(s);
    await Promise.all(this.slots.map((s) => waitStarted(s, 20_000)));
  }

  /** Slots whose process runs and that no other operation holds. */
  idleSlots(role?: Role): readonly { name: string; role: Role }[] {
    return this.slots.filter((s) => !s.locked && s.current?.running === true && (!role || s.role === role));
  }

  /** SIGKILL, down for `downMs`, started again. */
  async kill(name: string, downMs: number): Promise<void> {
    await this.withSlot(name, async (s) => {
      const proc = s.current;
      if (!proc?.running) return;
      await proc.signal('SIGKILL');
      this.counters.sigkills[s.role] += 1;
      this.log.info(`SIGKILL ${proc.name}; back in ${downMs} ms`);
      await pause(downMs);
      this.start(s);
    });
  }

  /**
   * A rolling deploy: one process at a time gets SIGTERM, its replacement starts once it has exited, and the next
   * goes once the replacement is up (a readiness check, bounded).
   */
  async rollingRestart(): Promise<void> {
    for (const s of this.slots) {
      await this.withSlot(s.name, async (held) => {
        await this.stop(held);
        this.start(held);
        await waitStarted(held, 15_000);
      });
    }
  }

  /** Stops every process (the whole service down); `signal` SIGTERM for a deploy, SIGKILL for a power cut. */
  async stopAll(signal: NodeJS.Signals): Promise<void> {
    this.restartOnCrash = false;
    await Promise.all(
      this.slots.map((s) =>
        this.withSlot(s.name, async (held) => {
          if (signal === 'SIGTERM') return this.stop(held);
          if (held.current?.running) {
            await held.current.signal('SIGKILL');
            this.counters.sigkills[held.role] += 1;
          }
        }),
      ),
    );
  }

  private async stop(s: Slot): Promise<void> {
    const proc = s.current;
    if (!proc?.running) return;
    const started = Date.now();
    const exit = proc.signal('SIGTERM');
    this.counters.sigterms += 1;
    const result = await Promise.race([exit, pause(HANG_MS).then(() => undefined)]);
    const tookMs = Date.now() - started;
    this.counters.slowestStopMs = Math.max(this.counters.slowestStopMs, tookMs);
    if (result === undefined) {
      await proc.signal('SIGKILL');
      this.counters.uncleanStops.push({ process: proc.name, code: null, tookMs, hung: true });
    } else if (result.code !== 0 || tookMs > STOP_PROMISE_MS) {
      this.counters.uncleanStops.push({ process: proc.name, code: result.code, tookMs, hung: false });
    }
    const how = result === undefined ? 'hung' : `exit ${result.code ?? result.signal}`;
    this.log.info(`SIGTERM ${proc.name}: ${how} after ${tookMs} ms`);
  }

  private start(s: Slot): void {
    this.incarnation += 1;
    const args = ['run', '--config', this.configPath, '--role', s.role];
    const proc = new CliProcess(`${s.name}#${this.incarnation}`, args, this.env());
    s.current = proc;
    this.history.push(proc);
    void proc.exited.then((exit) => this.onExit(s, proc, exit));
  }

  private onExit(s: Slot, proc: CliProcess, exit: ExitInfo): void {
    if (proc.exitExpected) return;
    this.counters.crashes.push({
      process: proc.name,
      code: exit.code,
      signal: exit.signal,
      stderrTail: proc.stderr.slice(-10),
    });
    const why = proc.stderr.find((l) => /error/i.test(l)) ?? proc.stderr.at(-1) ?? '';
    this.log.info(`CRASH ${proc.name}: exit ${exit.code ?? exit.signal}: ${why}`);
    if (!this.restartOnCrash || s.current !== proc) return;
    void this.withSlot(s.name, async (held) => {
      await pause(1_000);
      if (this.restartOnCrash && !held.current?.running) this.start(held);
    });
  }

  private async withSlot(name: string, fn: (s: Slot) => Promise<void>): Promise<void> {
    const s = this.slots.find((x) => x.name === name);
    if (!s) throw new Error(`no process slot ${name}`);
    while (s.locked) await pause(50);
    s.locked = true;
    try {
      await fn(s);
    } finally {
      s.locked = false;
    }
  }
}

/** Waits until the slot's process logged that it started (bounded: a slow start on a busy machine is no failure). */
async function waitStarted(s: Slot, timeoutMs: number): Promise<void> {
  const event = s.role === 'worker' ? 'worker.started' : 'scheduler.started';
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && s.current?.running && s.current.events(event).length === 0)
    await pause(100);
}

function slot(name: string, role: Role): Slot {
  return { name, role, current: undefined, locked: false };
}
