import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { generate } from 'selfsigned';

/** A Redis a test can use: its URL, a key prefix unique to this test, and how to stop (or restart) it. */
export interface TestRedis {
  readonly url: string;
  readonly port: number;
  /** A prefix no other test uses, for BullMQ queues and our own keys. */
  readonly prefix: string;
  /** True when this helper started the server (so it may be restarted and is private to the caller). */
  readonly private: boolean;
  /** With `tls`: the certificate to trust (for NODE_EXTRA_CA_CERTS). */
  readonly caFile?: string;
  stop(): Promise<void>;
  /** Stops the server and starts it again on the same port (same data when `appendonly` was asked). */
  restart(downMs?: number): Promise<void>;
  /** Stops the server, keeping its port and data directory, until `resume()`. */
  halt(): Promise<void>;
  resume(): Promise<void>;
}

export interface StartRedisOptions {
  /** Turn AOF persistence on (`appendfsync always`), so a restart keeps every acknowledged write. */
  appendonly?: boolean;
  /** Always start a private server, even when REDIS_URL is set (tests that restart Redis need this). */
  forcePrivate?: boolean;
  /** Require this password (`requirepass`); the URL carries it. Implies a private server. */
  password?: string;
  /** Serve TLS only, with a self-signed certificate made for the test (`rediss://`). Implies a private server. */
  tls?: boolean;
}

/**
 * A key and a self-signed certificate for 127.0.0.1 in `dir` (key.pem, cert.pem), made in-process by the
 * selfsigned package, so that the TLS tests need no openssl binary.
 */
async function makeSelfSignedCert(dir: string): Promise<void> {
  const now = Date.now();
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 60_000),
    notAfterDate: new Date(now + 24 * 3_600_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
    ],
  });
  await writeFile(join(dir, 'key.pem'), pems.private, { mode: 0o600 });
  await writeFile(join(dir, 'cert.pem'), pems.cert);
}

/** Returns a TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      if (addr === null || typeof addr === 'string') return reject(new Error('no port'));
      srv.close(() => resolve(addr.port));
    });
  });
}

/**
 * Runs `start` on a port that was free a moment ago, and on another when someone took it before the bind (test
 * files run two at a time, and any outgoing connection may get that port): up to five ports.
 */
export async function onFreePort<T>(start: (port: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await start(await freePort());
    } catch (error) {
      const said = error instanceof RedisExitedError ? error.output : String(error);
      if (!said.includes('Address already in use') || attempt >= 5) throw error;
    }
  }
}

/** A key prefix no other test uses. */
export function uniquePrefix(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

/** redis-server ended before it was ready; `output` is the end of what it printed (why). */
class RedisExitedError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(`${message}:\n${output.trim().split('\n').slice(-5).join('\n')}`);
    this.name = 'RedisExitedError';
  }
}

/**
 * Starts a private `redis-server` on a free port (no persistence unless asked), or, when REDIS_URL is set and
 * `forcePrivate` is not, uses that server with a unique prefix. Call `stop()` in afterAll.
 */
function refuse(what: string): Promise<never> {
  return Promise.reject(new Error(`cannot ${what} the shared Redis at REDIS_URL; use forcePrivate`));
}

export async function startRedis(opts: StartRedisOptions = {}): Promise<TestRedis> {
  const external = process.env['REDIS_URL'];
  if (external && !opts.forcePrivate && !opts.password && !opts.tls) {
    return {
      url: external,
      port: Number(new URL(external).port || 6379),
      prefix: uniquePrefix(),
      private: false,
      stop: async () => {},
      restart: () => refuse('restart'),
      halt: () => refuse('stop'),
      resume: () => refuse('start'),
    };
  }
  const dir = await mkdtemp(join(tmpdir(), 'fsxdr-redis-'));
  const caFile = join(dir, 'cert.pem');
  if (opts.tls) await makeSelfSignedCert(dir);
  const argsFor = (port: number): string[] => [
    ...(opts.tls
      ? [
          '--port',
          '0',
          '--tls-port',
          String(port),
          '--tls-cert-file',
          caFile,
          '--tls-key-file',
          join(dir, 'key.pem'),
        ]
      : ['--port', String(port)]),
    ...(opts.tls ? ['--tls-auth-clients', 'no'] : []),
    ...(opts.password ? ['--requirepass', opts.password] : []),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    opts.appendonly ? 'yes' : 'no',
    '--appendfsync',
    'always',
    '--maxmemory-policy',
    'noeviction',
  ];
  let child: ChildProcess | undefined;
  /**
   * Starts the server on `port` and resolves when it says "Ready to accept connections", which it says only once
   * it listens: a port that merely accepts connections may be another program's (the port was free a moment
   * before, and this machine runs other tests too). Rejects with its last output when it exits first.
   */
  const launch = async (port: number): Promise<void> => {
    const proc = spawn('redis-server', argsFor(port), { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer): void => {
        output = (output + d.toString()).slice(-4_000);
        if (output.includes('Ready to accept connections')) {
          proc.off('exit', onExit);
          resolve();
        }
      };
      const onExit = (code: number | null): void =>
        reject(
          new RedisExitedError(`redis-server on port ${port} exited (${code}) before it was ready`, output),
        );
      proc.stdout?.on('data', onData);
      proc.stderr?.on('data', onData);
      proc.once('exit', onExit);
      proc.once('error', (err) => reject(new Error(`cannot start redis-server: ${err.message}`)));
    });
    // Keep reading its log, so that a full pipe never stalls it.
    proc.stdout?.resume();
    proc.stderr?.resume();
  };
  const halt = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
      setTimeout(() => proc.kill('SIGKILL'), 3_000).unref();
    });
  };
  const port = await onFreePort(async (p) => {
    await launch(p);
    return p;
  });
  const auth = opts.password ? `:${encodeURIComponent(opts.password)}@` : '';
  return {
    url: `${opts.tls ? 'rediss' : 'redis'}://${auth}127.0.0.1:${port}`,
    ...(opts.tls ? { caFile } : {}),
    port,
    prefix: uniquePrefix(),
    private: true,
    stop: async () => {
      await halt();
      await rm(dir, { recursive: true, force: true });
    },
    restart: async (downMs = 0) => {
      await halt();
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      await launch(port);
    },
    halt,
    resume: () => launch(port),
  };
}
