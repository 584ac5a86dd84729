import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

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

/** A key and a self-signed certificate for 127.0.0.1, made with openssl in `dir`. */
async function makeSelfSignedCert(dir: string): Promise<void> {
  const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'];
  args.push(
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    join(dir, 'key.pem'),
    '-out',
    join(dir, 'cert.pem'),
  );
  const proc = spawn('openssl', args, { stdio: 'ignore' });
  const code = await new Promise<number | null>((resolve, reject) => {
    proc.once('error', (err) =>
      reject(new Error(`cannot run openssl for a test certificate: ${err.message}`)),
    );
    proc.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`openssl exited with ${String(code)} making a test certificate`);
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

/** A key prefix no other test uses. */
export function uniquePrefix(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

/** Resolves once something accepts TCP connections on 127.0.0.1:`port`. */
export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const sock = connect({ port, host: '127.0.0.1' }, () => {
        sock.end();
        resolve(true);
      });
      sock.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline)
      throw new Error(`redis-server did not listen on ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
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
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'fsxdr-redis-'));
  const caFile = join(dir, 'cert.pem');
  if (opts.tls) await makeSelfSignedCert(dir);
  const args = [
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
  const launch = async (): Promise<void> => {
    const proc = spawn('redis-server', args, { stdio: 'ignore' });
    child = proc;
    await Promise.race([
      waitForPort(port, 10_000),
      new Promise<never>((_, reject) => {
        proc.once('error', (err) => reject(new Error(`cannot start redis-server: ${err.message}`)));
      }),
    ]);
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
  await launch();
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
      await launch();
    },
    halt,
    resume: launch,
  };
}
