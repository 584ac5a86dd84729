import type { RedisEnvironmentProblem, RedisHost } from './redis-target.js';

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV6 = /^[0-9A-Fa-f:.]+$/;

/** One `host:port` (or `[v6]:port`, or a bare host with the default port); an error sentence otherwise. */
function parseHost(entry: string, defaultPort: number): RedisHost | string {
  let host: string;
  let port: string | undefined;
  const v6 = /^\[([^\]]*)\](?::(.*))?$/.exec(entry);
  if (v6) {
    host = v6[1] ?? '';
    port = v6[2];
    if (!IPV6.test(host) || !host.includes(':')) return `${JSON.stringify(entry)} is not an IPv6 address`;
  } else {
    const parts = entry.split(':');
    if (parts.length > 2) return `${JSON.stringify(entry)}: put an IPv6 address in brackets ([::1]:6379)`;
    host = parts[0] ?? '';
    port = parts[1];
    if (!HOSTNAME.test(host)) return `${JSON.stringify(entry)} has no valid host name`;
  }
  if (port === undefined) return { host, port: defaultPort };
  const n = /^\d{1,5}$/.test(port) ? Number(port) : NaN;
  if (!(n >= 1 && n <= 65535)) return `${JSON.stringify(entry)} has no port 1..65535`;
  return { host, port: n };
}

/**
 * A comma-separated host list (`REDIS_SENTINELS`, `REDIS_CLUSTER_NODES`); each problem goes onto `problems`. Credentials have no place in it (they would be quoted back in a message): an entry
 * with `@` or `//` is refused without being shown.
 */
export function parseHostList(
  variable: string,
  raw: string,
  defaultPort: number,
  problems: RedisEnvironmentProblem[],
): RedisHost[] {
  const hosts: RedisHost[] = [];
  const entries = raw.split(',').map((e) => e.trim());
  for (const [i, entry] of entries.entries()) {
    const at = `entry ${i + 1} of ${entries.length}`;
    if (entry === '') {
      problems.push({ variable, message: `${variable}: ${at} is empty; expected host:port,host:port` });
      continue;
    }
    if (entry.includes('@') || entry.includes('//')) {
      problems.push({
        variable,
        message: `${variable}: ${at} is a URL or carries credentials; list host:port only (passwords go in REDIS_PASSWORD)`,
      });
      continue;
    }
    const parsed = parseHost(entry, defaultPort);
    if (typeof parsed === 'string') {
      problems.push({ variable, message: `${variable}: ${at}, ${parsed}; expected host:port,host:port` });
      continue;
    }
    if (hosts.some((h) => h.host === parsed.host && h.port === parsed.port)) {
      problems.push({ variable, message: `${variable}: ${parsed.host}:${parsed.port} is listed twice` });
      continue;
    }
    hosts.push(parsed);
  }
  return hosts;
}
