import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * CPU time and memory of another process, read from /proc (Linux), so the service is measured from outside, as it
 * runs, without instrumenting it. CPU counts every thread (the event loop, GC and libuv threads) at clock-tick
 * resolution (usually 10 ms), which is fine for totals of seconds.
 */
export interface ProcessSample {
  readonly cpuMs: number;
  readonly rssBytes: number;
  /** Peak resident set since the process started (VmHWM). */
  readonly peakRssBytes: number;
}

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

function statusKb(status: string, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return m?.[1] === undefined ? Number.NaN : Number(m[1]) * 1024;
}

/** A sample of a live process; undefined when it is gone (or /proc is not there). */
export function sampleProcess(pid: number): ProcessSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return {
      cpuMs: (ticks * 1000) / clockTicks(),
      rssBytes: statusKb(status, 'VmRSS'),
      peakRssBytes: statusKb(status, 'VmHWM'),
    };
  } catch {
    return undefined;
  }
}
