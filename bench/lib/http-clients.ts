/**
 * Two keep-alive HTTPS clients for the load generators, behind one interface:
 *  - `node`: node:https with a keep-alive Agent (one socket per concurrent caller), as the
 *    anchor client /work/shared/tools/api-bench.mjs and most Node clients do;
 *  - `raw`: one TLS socket per caller, requests written as HTTP/1.1 text and responses parsed
 *    by hand (status line, Content-Length or chunked) — several times cheaper per request,
 *    used to check that the load generator is not what limits the measured rate.
 * Both resolve (never reject) with the status (0 on a transport error) and the body.
 */
import https from 'node:https';
import tls from 'node:tls';
import type { Target } from './keks-process.js';

export type ClientKind = 'node' | 'raw';

export interface HttpResult {
  status: number;
  body: Buffer;
  error?: string;
}

export interface HttpClient {
  /** One request at a time per connection `conn` (0 ≤ conn < connections). */
  request(conn: number, method: string, path: string, body?: string): Promise<HttpResult>;
  close(): void;
}

function tlsOptions(t: Target): tls.ConnectionOptions {
  const o: tls.ConnectionOptions = { ca: t.caPem };
  if (t.certPem && t.keyPem) { o.cert = t.certPem; o.key = t.keyPem; }
  return o;
}

function baseHeaders(t: Target): Record<string, string> {
  const h: Record<string, string> = { Accept: 'application/json', 'User-Agent': 'keks-bench/1' };
  if (t.token) h.Authorization = `Bearer ${t.token}`;
  return h;
}

export function nodeClient(t: Target, connections: number): HttpClient {
  const agent = new https.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections, scheduling: 'lifo', ...tlsOptions(t) });
  const headers = baseHeaders(t);
  return {
    request(_conn, method, path, body) {
      return new Promise((resolve) => {
        const h: Record<string, string | number> = { ...headers };
        if (body !== undefined) { h['Content-Type'] = 'application/json'; h['Content-Length'] = Buffer.byteLength(body); }
        const req = https.request({ host: t.host, port: t.port, method, path, headers: h, agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
          res.on('error', (e) => resolve({ status: 0, body: Buffer.alloc(0), error: e.message }));
        });
        req.setTimeout(30_000, () => req.destroy(new Error('request timeout')));
        req.on('error', (e) => resolve({ status: 0, body: Buffer.alloc(0), error: e.message }));
        req.end(body);
      });
    },
    close() { agent.destroy(); },
  };
}

/** One raw HTTP/1.1 keep-alive connection over TLS; one request in flight at a time. */
class RawConnection {
  private sock: tls.TLSSocket | undefined;
  private buf: Buffer = Buffer.alloc(0);
  private pending: ((r: HttpResult) => void) | undefined;
  constructor(private readonly t: Target, private readonly head: string) {}

  private connect(): tls.TLSSocket {
    const s = tls.connect({ host: this.t.host, port: this.t.port, ...tlsOptions(this.t) });
    s.setNoDelay(true);
    s.on('data', (d: Buffer) => { this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d; this.parse(); });
    const fail = (msg: string): void => {
      this.sock = undefined;
      this.buf = Buffer.alloc(0);
      const p = this.pending; this.pending = undefined;
      p?.({ status: 0, body: Buffer.alloc(0), error: msg });
    };
    s.on('error', (e) => fail(e.message));
    s.on('close', () => fail('connection closed'));
    return s;
  }

  request(method: string, path: string, body?: string): Promise<HttpResult> {
    this.sock ??= this.connect();
    const len = body === undefined ? 0 : Buffer.byteLength(body);
    const text = `${method} ${path} HTTP/1.1\r\n${this.head}${body === undefined ? '' : `Content-Type: application/json\r\nContent-Length: ${len}\r\n`}\r\n${body ?? ''}`;
    return new Promise((resolve) => { this.pending = resolve; this.sock?.write(text); });
  }

  /** Parses one complete response from the buffer, if there is one. */
  private parse(): void {
    const b = this.buf;
    const end = b.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = b.toString('latin1', 0, end);
    const status = Number(head.slice(9, 12));
    const lower = head.toLowerCase();
    const cl = /\r\ncontent-length:\s*(\d+)/.exec(lower);
    let body: Buffer;
    let consumed: number;
    if (cl) {
      const n = Number(cl[1]);
      if (b.length < end + 4 + n) return;
      body = b.subarray(end + 4, end + 4 + n);
      consumed = end + 4 + n;
    } else if (lower.includes('\r\ntransfer-encoding: chunked')) {
      const parts: Buffer[] = [];
      let p = end + 4;
      for (;;) {
        const le = b.indexOf('\r\n', p);
        if (le < 0) return;
        const size = parseInt(b.toString('latin1', p, le), 16);
        if (b.length < le + 2 + size + 2) return;
        if (size === 0) { consumed = le + 4; break; }
        parts.push(b.subarray(le + 2, le + 2 + size));
        p = le + 2 + size + 2;
      }
      body = Buffer.concat(parts);
    } else {
      body = Buffer.alloc(0);
      consumed = end + 4;
    }
    this.buf = b.length > consumed ? b.subarray(consumed) : Buffer.alloc(0);
    const p = this.pending; this.pending = undefined;
    p?.({ status, body });
  }

  close(): void { this.sock?.destroy(); }
}

export function rawClient(t: Target, connections: number): HttpClient {
  const head = Object.entries({ Host: `${t.host}:${t.port}`, ...baseHeaders(t) }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  const conns = Array.from({ length: connections }, () => new RawConnection(t, head));
  return {
    request(conn, method, path, body) { return conns[conn].request(method, path, body); },
    close() { for (const c of conns) c.close(); },
  };
}

export function makeClient(kind: ClientKind, t: Target, connections: number): HttpClient {
  return kind === 'raw' ? rawClient(t, connections) : nodeClient(t, connections);
}
