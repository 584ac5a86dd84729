import type { Redis } from 'ioredis';

/** The one private part of ioredis' SentinelConnector (6.x) this file touches. */
interface SentinelConnectorInternals {
  readonly failoverDetector?: { cleanup(): void } | null;
}

/**
 * Keeps ioredis' Sentinel failover detector to the connection it was made for.
 *
 * With `failoverDetector: true`, a Sentinel client subscribes to `+switch-master` on every sentinel once its
 * connection to the primary is up, and on that message drops the connection (`connector.disconnect()`) so that it
 * asks the sentinels for the new primary. When the primary dies, though, the connection closes by itself and that
 * subscription lives on (ioredis replaces it only when a next connection is up). The client meanwhile reconnects,
 * and while a reconnect is asking a sentinel for the primary, the sentinels finish the failover and announce it:
 * the old detector then disconnects the connector in the middle of its look-up, the look-up ends with "Connection
 * is closed", and ioredis puts the client in its terminal `end` state, failing every command it held, for good
 * (the mechanism of BullMQ #4378, here reached through the detector). Under load a look-up takes longer, so this
 * was what failed the Sentinel tests on a busy CI machine.
 *
 * So a closed connection retires its detector: the reconnect asks the sentinels anyway, and the next connection
 * subscribes anew. `duplicate()` (how BullMQ makes its own connections from the service's) passes this on.
 */
export function retireFailoverDetectorOnClose(client: Redis): Redis {
  client.on('close', () => {
    (client as unknown as { connector?: SentinelConnectorInternals }).connector?.failoverDetector?.cleanup();
  });
  const duplicate = client.duplicate.bind(client);
  client.duplicate = (override?: Parameters<Redis['duplicate']>[0]) =>
    retireFailoverDetectorOnClose(duplicate(override));
  return client;
}
