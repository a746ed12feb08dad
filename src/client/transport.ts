/**
 * How the in-process client reaches an API server. Controllers only ever see this interface
 * (DESIGN.md: controllers are API clients); the composition root plugs in a loopback transport
 * that runs requests through the full server pipeline without a socket.
 */

export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path plus query string, e.g. `/api/v1/namespaces?limit=500`. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
}

export interface StreamHandle {
  abort(): void;
}

export interface Transport {
  request(req: TransportRequest): Promise<TransportResponse>;
  /**
   * A streaming GET (watch): `onHead` once with the status, `onData` for each chunk of text,
   * `onEnd` when the stream ends (normally or not).
   */
  stream(req: TransportRequest, cb: { onHead(status: number): void; onData(text: string): void; onEnd(err?: Error): void }): StreamHandle;
}
