import type { Config } from './types.js';

/** Every destination Region of a config, once each, sorted: one copy queue (and worker) per Region. */
export function destinationRegions(config: Config): string[] {
  return [...new Set(config.policies.flatMap((p) => p.destinations.map((d) => d.region)))].sort();
}
