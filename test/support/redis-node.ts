import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What a redis-server prints once it serves: a data node, and a Sentinel (which never says the former). */
const READY = /Ready to accept connections|\+monitor master/;

/**
 * One `redis-server` process (a data node or, with `sentinel`, a Sentinel) on a fixed port, with its own config
 * file and data directory. The config file matters: Sentinel rewrites its own, and on a failover it runs
 * `CONFIG REWRITE` on the nodes it reconfigures, so a node that is killed and started again comes back with the
 * role Sentinel gave it. Ready when it says so (as redis-server.ts waits), not when the port accepts a connection,
 * which might be another program's.
 */
export class RedisNode {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly confFile: string,
    private readonly sentinel: boolean,
  ) {}

  /** Writes `redis.conf` (or `sentinel.conf`) in `dir` from the lines given, and starts the server. */
  static async start(opts: {
    port: number;
    dir: string;
    lines: readonly string[];
    sentinel?: boolean;
  }): Promise<RedisNode> {
    await mkdir(opts.dir, { recursive: true });
    const confFile = join(opts.dir, opts.sentinel ? 'sentinel.conf' : 'redis.conf');
    const base = [`port ${opts.port}`, 'bind 127.0.0.1', `dir ${opts.dir}`];
    await writeFile(confFile, [...base, ...opts.lines, ''].join('\n'));
    const node = new RedisNode(opts.port, opts.dir, confFile, opts.sentinel ?? false);
    await node.launch();
    return node;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process again (after `kill`) with the config file as it is now, and `extraArgs` over it. */
  async launch(extraArgs: readonly string[] = []): Promise<void> {
    if (this.running) return;
    const args = [this.confFile, ...(this.sentinel ? ['--sentinel'] : []), ...extraArgs];
    const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = proc;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer): void => {
        output = (output + d.toString()).slice(-4_000);
        if (READY.test(output)) {
          proc.off('exit', onExit);
          resolve();
        }
      };
      const onExit = (code: number | null): void =>
        reject(
          new Error(`redis-server on port ${this.port} exited (${code}) before it was ready:\n${output}`),
        );
      proc.stdout?.on('data', onData);
      proc.stderr?.on('data', onData);
      proc.once('exit', onExit);
      proc.once('error', (err) => reject(new Error(`cannot start redis-server: ${err.message}`)));
    });
    // Keep reading its log, so that a full pipe never stalls it.
    proc.stdout?.resume();
    proc.stderr?.resume();
  }

  /**
   * SIGSTOP: the process holds its connections and its port but answers nothing, as a server stuck on a busy
   * host does (the kernel still completes a TCP handshake to it). `resume` (SIGCONT) lets it go on.
   */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  /** Sends `signal` (SIGKILL: a crash, nothing flushed) and waits for the process to be gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const proc = this.child;
    this.child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill(signal);
      if (signal !== 'SIGKILL') setTimeout(() => proc.kill('SIGKILL'), 3_000).unref();
    });
  }
}
