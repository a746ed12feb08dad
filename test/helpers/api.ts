/**
 * A raw HTTPS client for tests: talks to a keks API server with its CA and one of the
 * identities the harness offers (bearer token, a client certificate, or nobody), and returns
 * status, headers and body without interpreting them — tests assert on the wire.
 */
import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';

export type Auth =
  | { kind: 'token'; token: string }
  | { kind: 'cert'; certPem: string; keyPem: string }
  | { kind: 'none' };

export interface ApiResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON (throws with the text if it is not JSON). */
  json<T = any>(): T;
}

export interface RequestOptions {
  method?: string;
  /** Object → JSON text with Content-Type application/json unless headers say otherwise. */
  body?: string | Buffer | object;
  headers?: Record<string, string>;
  /** Overrides the client's identity for this request. */
  auth?: Auth;
  /** Send the body without any Content-Type header (as kubectl's `scale --current-replicas` PUT). */
  omitContentType?: boolean;
  timeoutMs?: number;
}

export interface ApiClientOptions {
  endpoint: string;
  caPem: string;
  auth: Auth;
  /** Keep-alive agent (default true): bursts reuse connections. */
  keepAlive?: boolean;
}

function parse(status: number, headers: IncomingHttpHeaders, text: string): ApiResponse {
  return {
    status, headers, text,
    json<T>(): T {
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new Error(`not JSON (HTTP ${status}): ${text.slice(0, 500)}`);
      }
    },
  };
}

export class ApiClient {
  private readonly agents = new Map<string, https.Agent>();

  constructor(private readonly o: ApiClientOptions) {}

  private agentFor(auth: Auth): https.Agent {
    const key = auth.kind === 'cert' ? `cert:${auth.certPem}` : auth.kind;
    let a = this.agents.get(key);
    if (!a) {
      a = new https.Agent({
        keepAlive: this.o.keepAlive ?? true, maxSockets: 64, ca: this.o.caPem,
        ...(auth.kind === 'cert' ? { cert: auth.certPem, key: auth.keyPem } : {}),
      });
      this.agents.set(key, a);
    }
    return a;
  }

  request(path: string, opts: RequestOptions = {}): Promise<ApiResponse> {
    const auth = opts.auth ?? this.o.auth;
    const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
    if (auth.kind === 'token') headers.Authorization = `Bearer ${auth.token}`;
    let body: Buffer | undefined;
    if (opts.body !== undefined) {
      if (Buffer.isBuffer(opts.body)) body = opts.body;
      else if (typeof opts.body === 'string') body = Buffer.from(opts.body);
      else body = Buffer.from(JSON.stringify(opts.body));
      if (!opts.omitContentType && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
      // Node sends DELETE bodies neither chunked nor with a length unless told: say the length.
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'transfer-encoding')) headers['Content-Length'] = String(body.length);
    }
    const url = new URL(path, this.o.endpoint);
    return new Promise((resolve, reject) => {
      const req = https.request(url, { method: opts.method ?? 'GET', headers, agent: this.agentFor(auth) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(parse(res.statusCode ?? 0, res.headers, Buffer.concat(chunks).toString('utf8'))));
        res.on('error', reject);
      });
      req.setTimeout(opts.timeoutMs ?? 15_000, () => req.destroy(new Error(`timeout: ${opts.method ?? 'GET'} ${path}`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  get(path: string, opts: RequestOptions = {}): Promise<ApiResponse> {
    return this.request(path, { ...opts, method: 'GET' });
  }

  post(path: string, body: RequestOptions['body'], opts: RequestOptions = {}): Promise<ApiResponse> {
    return this.request(path, { ...opts, method: 'POST', body });
  }

  put(path: string, body: RequestOptions['body'], opts: RequestOptions = {}): Promise<ApiResponse> {
    return this.request(path, { ...opts, method: 'PUT', body });
  }

  patch(path: string, body: RequestOptions['body'], contentType: string, opts: RequestOptions = {}): Promise<ApiResponse> {
    return this.request(path, { ...opts, method: 'PATCH', body, headers: { 'Content-Type': contentType, ...opts.headers } });
  }

  delete(path: string, body?: RequestOptions['body'], opts: RequestOptions = {}): Promise<ApiResponse> {
    return this.request(path, { ...opts, method: 'DELETE', body });
  }

  /** Opens a watch and collects its events until stop() (or the server ends the stream). */
  watch(path: string, opts: RequestOptions = {}): WatchStream {
    const auth = opts.auth ?? this.o.auth;
    const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
    if (auth.kind === 'token') headers.Authorization = `Bearer ${auth.token}`;
    const url = new URL(path, this.o.endpoint);
    // A dedicated agent-less connection: the stream must not hold a pooled socket.
    const req = https.request(url, { method: 'GET', headers, ca: this.o.caPem, agent: false });
    return new WatchStream(req);
  }

  close(): void {
    for (const a of this.agents.values()) a.destroy();
    this.agents.clear();
  }
}

export interface WatchEvent {
  type: string;
  object: any;
}

/** A watch response being read: its HTTP status, parsed events so far, and waits on them. */
export class WatchStream {
  status = 0;
  headers: IncomingHttpHeaders = {};
  events: WatchEvent[] = [];
  /** The body when the server answered with a non-200 (a Status). */
  errorBody = '';
  ended = false;
  private buf = '';
  private readonly waiters: Array<() => void> = [];
  private readonly req: ReturnType<typeof https.request>;

  constructor(req: ReturnType<typeof https.request>) {
    this.req = req;
    req.on('response', (res) => {
      this.status = res.statusCode ?? 0;
      this.headers = res.headers;
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        if (this.status !== 200) { this.errorBody += d; return; }
        this.buf += d;
        let i: number;
        while ((i = this.buf.indexOf('\n')) >= 0) {
          const line = this.buf.slice(0, i).trim();
          this.buf = this.buf.slice(i + 1);
          if (line) this.events.push(JSON.parse(line) as WatchEvent);
        }
        this.wake();
      });
      res.on('end', () => { this.ended = true; this.wake(); });
      res.on('error', () => { this.ended = true; this.wake(); });
      this.wake();
    });
    req.on('error', () => { this.ended = true; this.wake(); });
    req.end();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Waits until `pred(this)` holds, bounded. */
  async until(pred: (w: WatchStream) => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred(this)) {
      const left = deadline - Date.now();
      if (left <= 0 || (this.ended && !pred(this))) {
        throw new Error(`${this.ended ? 'stream ended' : 'timed out'} waiting for ${what}; status ${this.status}; events ${JSON.stringify(this.events.map((e) => [e.type, e.object?.metadata?.name, e.object?.metadata?.resourceVersion]))} ${this.errorBody}`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
  }

  /** Resolves when `n` events have arrived. */
  waitEvents(n: number, timeoutMs = 10_000): Promise<void> {
    return this.until((w) => w.events.length >= n, `${n} events`, timeoutMs);
  }

  /** Resolves when response headers arrived. */
  waitHeaders(timeoutMs = 10_000): Promise<void> {
    return this.until((w) => w.status !== 0, 'response headers', timeoutMs);
  }

  /** Resolves when the stream ended (e.g. a non-200 answer was read completely). */
  waitEnd(timeoutMs = 10_000): Promise<void> {
    return this.until((w) => w.ended, 'end of stream', timeoutMs);
  }

  stop(): void {
    this.req.destroy();
  }
}

/** Polls `fn` until it returns a truthy value (returned), bounded by timeoutMs. */
export async function eventually<T>(fn: () => Promise<T> | T, what: string, timeoutMs = 10_000, intervalMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
