import { FSxClient, type FSxClientConfig } from '@aws-sdk/client-fsx';
import type { FsxSimulator } from './start-fsx-simulator.js';

/**
 * A real SDK client for one Region, pointed at the simulator with throwaway static credentials, so a test never
 * depends on the environment's AWS settings. `config` overrides anything (e.g. `maxAttempts: 1`).
 */
export function fsxClientFor(sim: FsxSimulator, region: string, config: FSxClientConfig = {}): FSxClient {
  return new FSxClient({
    region,
    endpoint: sim.endpoint,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    ...config,
  });
}
