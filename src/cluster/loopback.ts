/**
 * The loopback transport: in-process controllers send requests straight into the API server's
 * request listener — full pipeline (authentication with the loopback token, authorization,
 * admission, registry) but no socket, no TLS. Watches stream chunk by chunk.
 */
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StreamHandle, Transport, TransportRequest, TransportResponse } from '../client/transport.js';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** Just enough of ServerResponse for the API server's handlers. */
class LoopbackResponse extends EventEmitter {
  statusCode = 200;
  headersSent = false;
  writableLength = 0;
  writableEnded = false;
  private headers: Record<string, string | string[]> = {};

  constructor(private readonly sink: { head(status: number, headers: Record<string, string | string[]>): void; data(s: string): void; end(): void }) {
    super();
  }

  setHeader(k: string, v: string | string[]): this { this.headers[k.toLowerCase()] = v; return this; }
  getHeader(k: string): string | string[] | undefined { return this.headers[k.toLowerCase()]; }
  removeHeader(k: string): void { delete this.headers[k.toLowerCase()]; }
  hasHeader(k: string): boolean { return k.toLowerCase() in this.headers; }

  writeHead(status: number, headers?: Record<string, string | string[] | number>): this {
    this.statusCode = status;
    if (headers) for (const [k, v] of Object.entries(headers)) this.headers[k.toLowerCase()] = typeof v === 'number' ? String(v) : v;
    return this;
  }

  flushHeaders(): void { this.sendHead(); }

  private sendHead(): void {
    if (this.headersSent) return;
    this.headersSent = true;
    this.sink.head(this.statusCode, this.headers);
  }

  write(chunk: string | Buffer): boolean {
    this.sendHead();
    this.sink.data(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    return true;
  }

  end(chunk?: string | Buffer): this {
    if (this.writableEnded) return this;
    if (chunk !== undefined && chunk !== null) this.write(chunk);
    this.sendHead();
    this.writableEnded = true;
    this.sink.end();
    this.emit('finish');
    this.emit('close');
    return this;
  }

  /** The client went away. */
  abort(): void {
    if (this.writableEnded) return;
    this.writableEnded = true;
    this.emit('close');
  }
}

function makeRequest(r: TransportRequest, token: string): IncomingMessage & Readable {
  const body = r.body !== undefined ? Buffer.from(r.body) : undefined;
  const req = Readable.from(body ? [body] : []) as unknown as IncomingMessage & Readable;
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = v;
  if (body) headers['content-length'] = String(body.length);
  Object.assign(req, { method: r.method, url: r.path, headers, socket: { remoteAddress: '127.0.0.1' } });
  return req;
}

export function loopbackTransport(listener: Listener, token: string): Transport {
  return {
    request(r: TransportRequest): Promise<TransportResponse> {
      return new Promise((resolve) => {
        let status = 0;
        let hdrs: Record<string, string | string[]> = {};
        const chunks: string[] = [];
        const res = new LoopbackResponse({
          head: (s, h) => { status = s; hdrs = h; },
          data: (s) => chunks.push(s),
          end: () => resolve({ status, headers: hdrs, body: chunks.join('') }),
        });
        listener(makeRequest(r, token), res as unknown as ServerResponse);
      });
    },
    stream(r, cb): StreamHandle {
      const req = makeRequest(r, token);
      const res = new LoopbackResponse({ head: (s) => cb.onHead(s), data: (s) => cb.onData(s), end: () => cb.onEnd() });
      listener(req, res as unknown as ServerResponse);
      return {
        abort: () => {
          req.emit('close');
          res.abort();
          cb.onEnd();
        },
      };
    },
  };
}
