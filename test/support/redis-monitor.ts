import { Redis } from 'ioredis';

/** One command a Redis server ran, as MONITOR reports it. */
export interface MonitoredCommand {
  /** The client that sent it (`127.0.0.1:port`): one connection of one process. */
  readonly source: string;
  /** The command and its arguments, e.g. `['eval', script, '1', key, field, value]`. */
  readonly args: readonly string[];
}

/**
 * Every command the server runs, with the connection that sent it (Redis' MONITOR), so a test can wait until each
 * process has done something a number of times instead of sleeping and hoping it did.
 */
export class RedisCommandLog {
  readonly commands: MonitoredCommand[] = [];

  private constructor(private readonly monitor: Redis) {
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      this.commands.push({ source, args });
    });
  }

  static async start(url: string): Promise<RedisCommandLog> {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null });
    client.on('error', () => undefined);
    await client.connect();
    const monitor = await client.monitor();
    monitor.on('error', () => undefined);
    client.disconnect();
    return new RedisCommandLog(monitor);
  }

  /** How many commands matching `pred` each connection sent, from index `from` of `commands` on. */
  countBySource(pred: (args: readonly string[]) => boolean, from = 0): Map<string, number> {
    const counts = new Map<string, number>();
    for (const { source, args } of this.commands.slice(from))
      if (pred(args)) counts.set(source, (counts.get(source) ?? 0) + 1);
    return counts;
  }

  close(): void {
    this.monitor.disconnect();
  }
}
