import { cpus, loadavg, totalmem, release, platform } from 'node:os';

/** Where the numbers came from: they mean little without the machine, and less without its load at the time. */
export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryBytes: number;
  readonly node: string;
  readonly os: string;
  /** 1-, 5- and 15-minute load averages. */
  readonly loadAverage: readonly [number, number, number];
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryBytes: totalmem(),
    node: process.version,
    os: `${platform()} ${release()}`,
    loadAverage: [one, five, fifteen],
  };
}

export function formatLoad(load: readonly number[]): string {
  return load.map((l) => l.toFixed(2)).join(' / ');
}
