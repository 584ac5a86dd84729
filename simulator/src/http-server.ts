import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WireResponse } from './wire-response.js';

/**
 * The transport: one `node:http` server on 127.0.0.1 carrying AWS (`POST /`: FSx and STS, told apart by the
 * SigV4 scope) and the control API (`/__sim/`).
 * It owns the sockets, so `close()` can end the ones a hang fault holds open, and the latency timers, so closing
 * does not wait for them.
 */
export interface HttpRoutes {
  aws(headers: IncomingHttpHeaders, body: string): Promise<WireResponse | 'hang'>;
  control(method: string, path: string, body: string): { status: number; body: unknown };
}

export interface SimulatorHttpServer {
  readonly port: number;
  /** Waits `ms` real milliseconds; rejects if the server closes first. */
  sleep(ms: number): Promise<void>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > 4 * 1024 * 1024) throw new Error('request body larger than 4 MiB');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    ...headers,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

async function route(routes: HttpRoutes, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const method = req.method ?? 'GET';
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (path.startsWith('/__sim/')) {
    const answer = routes.control(method, path, body);
    return send(res, answer.status, {}, JSON.stringify(answer.body));
  }
  if (method !== 'POST' || path !== '/') {
    const error = { __type: 'UnknownOperationException', Message: `No route for ${method} ${path}` };
    return send(res, 404, { 'x-amzn-errortype': error.__type }, JSON.stringify(error));
  }
  const response = await routes.aws(req.headers, body);
  if (response === 'hang' || res.destroyed) return; // the socket stays open until close()
  send(res, response.status, response.headers, response.body);
}

export async function listenHttp(port: number, routes: HttpRoutes): Promise<SimulatorHttpServer> {
  const closing = new AbortController();
  const server = createServer((req, res) => {
    route(routes, req, res).catch((error: unknown) => {
      if (closing.signal.aborted || res.headersSent) return;
      const body = { __type: 'InternalServerError', Message: `Simulator failure: ${String(error)}` };
      send(res, 500, { 'x-amzn-errortype': body.__type }, JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  let closed: Promise<void> | undefined;
  return {
    port: (server.address() as AddressInfo).port,
    sleep: (ms) =>
      new Promise((resolve, reject) => {
        if (closing.signal.aborted) return reject(new Error('simulator closed'));
        const onAbort = (): void => {
          clearTimeout(timer);
          reject(new Error('simulator closed'));
        };
        const timer = setTimeout(() => {
          closing.signal.removeEventListener('abort', onAbort);
          resolve();
        }, ms);
        closing.signal.addEventListener('abort', onAbort, { once: true });
      }),
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
