/**
 * Progress lines on stderr, stamped with the time since the run began, so stdout carries only the result table
 * (a CI log or a `> file` keeps the table clean) while a person watching sees what the run is doing.
 */
export class ChaosLog {
  private readonly startedAt = Date.now();

  constructor(private readonly quiet = false) {}

  elapsedMs(): number {
    return Date.now() - this.startedAt;
  }

  info(message: string): void {
    if (this.quiet) return;
    const seconds = (this.elapsedMs() / 1000).toFixed(1).padStart(6);
    process.stderr.write(`[${seconds}s] ${message}\n`);
  }
}

/** Waits `ms` real milliseconds. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
