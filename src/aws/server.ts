/**
 * The AWS endpoint: one plain-HTTP listener (default 127.0.0.1:4566, LocalStack's port) that the
 * real `aws` CLI and boto3 reach with `AWS_ENDPOINT_URL`. It reads each request (bounded body),
 * hands it to the AwsDispatcher (SigV4 check, routing by credential scope, protocol codecs) and
 * writes the answer. The process never crashes on any input: socket, parser and handler errors
 * all end in a response or a closed socket.
 *
 * The services may be given as a loader: their handler modules (the action and route tables,
 * most of the AWS code) are then imported on the endpoint's first request, not while keks starts
 * its clusters — `keks start` answers /readyz before any AWS request can need them. The
 * dispatcher (SigV4 verification, the protocol codecs) is always imported on the first request.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { realClock, type Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
// The dispatcher (SigV4, protocol codecs) is imported with the services, on the first request.
import type { AwsDispatcher, AwsHttpRequest, AwsHttpResponse } from './core/dispatch.js';
import { AwsError, type AwsService, type CredentialStore } from './core/types.js';

export interface AwsEndpointOptions {
  /** The services, or a loader of them called once, on the first request. */
  services: AwsService[] | (() => Promise<AwsService[]>);
  credentials: CredentialStore;
  /** Listen address. Default 127.0.0.1. */
  host?: string;
  /** Listen port; 0 = any free port. Default 4566. */
  port?: number;
  clock?: Clock;
  logger?: Logger;
  /** Account of anonymous callers (unsigned STS AssumeRoleWithWebIdentity). Default 000000000000. */
  defaultAccountId?: string;
  /** Region of unsigned requests. Default us-east-1. */
  defaultRegion?: string;
  /** Largest accepted request body in bytes (larger → 413). Default 10 MiB. */
  maxBodyBytes?: number;
  /** Reject requests signed further than this from now (AWS: 15 min). Default: not enforced. */
  maxClockSkewMs?: number;
}

const DEFAULT_MAX_BODY = 10 * 1024 * 1024;

export class AwsEndpoint {
  private readonly opts: AwsEndpointOptions;
  private dispatching: Promise<AwsDispatcher> | undefined;
  private readonly host: string;
  private readonly wantedPort: number;
  private readonly logger: Logger | undefined;
  private readonly maxBodyBytes: number;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(opts: AwsEndpointOptions) {
    this.host = opts.host ?? '127.0.0.1';
    this.wantedPort = opts.port ?? 4566;
    this.logger = opts.logger;
    this.maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY;
    this.opts = opts;
  }

  private async newDispatcher(services: AwsService[]): Promise<AwsDispatcher> {
    const opts = this.opts;
    const { AwsDispatcher } = await import('./core/dispatch.js');
    return new AwsDispatcher({
      services,
      credentials: opts.credentials,
      clock: opts.clock ?? realClock,
      ...(opts.logger ? { logger: opts.logger } : {}),
      ...(opts.defaultAccountId ? { defaultAccountId: opts.defaultAccountId } : {}),
      ...(opts.defaultRegion ? { defaultRegion: opts.defaultRegion } : {}),
      ...(opts.maxClockSkewMs !== undefined ? { maxClockSkewMs: opts.maxClockSkewMs } : {}),
    });
  }

  /** The dispatcher over the services (loading them on the first call when given a loader; a failed load is retried). */
  dispatcher(): Promise<AwsDispatcher> {
    const services = this.opts.services;
    if (!this.dispatching) {
      const p = (Array.isArray(services) ? Promise.resolve(services) : services()).then((list) => this.newDispatcher(list));
      p.catch(() => { if (this.dispatching === p) this.dispatching = undefined; });
      this.dispatching = p;
    }
    return this.dispatching;
  }

  /** Starts listening; resolves once bound (rejects on EADDRINUSE etc.). */
  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer({ maxHeaderSize: 64 * 1024 }, (req, res) => { void this.onRequest(req, res); });
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    server.on('clientError', (err: Error, socket: Socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy();
      this.logger?.debug({ err: err.message }, 'aws: malformed HTTP request');
    });
    await new Promise<void>((resolve, reject) => {
      const onError = (e: Error): void => reject(e);
      server.once('error', onError);
      server.listen(this.wantedPort, this.host, () => {
        server.off('error', onError);
        server.on('error', (e) => this.logger?.error({ err: e }, 'aws: listener error'));
        resolve();
      });
    });
    this.server = server;
  }

  /** The bound port (after start()). */
  get port(): number {
    const a = this.server?.address() as AddressInfo | null | undefined;
    if (!a) throw new Error('AwsEndpoint is not listening');
    return a.port;
  }

  /** http://host:port — what AWS_ENDPOINT_URL should be set to. */
  get url(): string {
    const h = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${h}:${this.port}`;
  }

  /** Stops listening and closes open connections. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const raw = req.rawHeaders;
      const headers: Array<[string, string]> = [];
      for (let i = 0; i + 1 < raw.length; i += 2) headers.push([raw[i], raw[i + 1]]);
      const base: AwsHttpRequest = { method: req.method ?? 'GET', rawUrl: req.url ?? '/', headers, body: Buffer.alloc(0) };
      const body = await readBody(req, this.maxBodyBytes);
      const dispatcher = await this.dispatcher();
      if (body === 'too-large') {
        const r = dispatcher.reject(base, new AwsError('RequestEntityTooLarge', `Request body exceeds the ${this.maxBodyBytes} byte limit.`, 413));
        send(res, r, true);
        return;
      }
      send(res, await dispatcher.handle({ ...base, body }), false);
    } catch (e) {
      this.logger?.error({ err: e }, 'aws: request failed outside the dispatcher');
      if (!res.headersSent) {
        try { res.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"internal error"}'); } catch { res.destroy(); }
      } else res.destroy();
    }
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) {
      req.resume();
      resolve('too-large');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > limit) { over = true; chunks.length = 0; return; }
      chunks.push(c);
    });
    req.on('end', () => resolve(over ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('request aborted')));
  });
}

function send(res: ServerResponse, r: AwsHttpResponse, close: boolean): void {
  if (res.destroyed) return;
  const body = Buffer.from(r.body, 'utf8');
  res.writeHead(r.status, { ...r.headers, 'content-length': String(body.length), ...(close ? { connection: 'close' } : {}) });
  res.end(body);
}
