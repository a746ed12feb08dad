/**
 * The load generator's job description and result, shared by the parent (load-pool.ts) and
 * the forked workers (load-worker.ts). A job is either closed-loop (`concurrency` callers, each
 * sending its next request when the previous answered, for `count` requests or `durationMs`)
 * or open-loop (`rate` requests/s, at most `concurrency` in flight; late ones are skipped and
 * counted, never queued, so a slow server cannot hide behind the generator).
 */
import type { ClientKind } from './http-clients.js';
import type { Target } from './keks-process.js';

export type LoadOp = 'create' | 'get' | 'list';

export interface LoadJob {
  op: LoadOp;
  client: ClientKind;
  concurrency: number;
  namespace: string;
  count?: number;
  durationMs?: number;
  /** Open loop: requests per second from this worker. */
  rate?: number;
  /** get: names to pick from at random. */
  names?: string[];
  /** create: object names are `${namePrefix}-${i}`. */
  namePrefix?: string;
  /** create: the value of data.payload. */
  payload?: string;
  /** list: query string (e.g. `?limit=500`). */
  listQuery?: string;
}

export interface LoadResult {
  /** Latencies of successful requests, ms (send → last byte). */
  lat: Float64Array;
  ok: number;
  errors: number;
  skipped: number;
  errorSamples: string[];
  wallS: number;
  /** CPU seconds of the worker process during the run. */
  cpuS: number;
  bytes: number;
}

export type ToWorker =
  | { type: 'prepare'; target: Target; job: LoadJob }
  | { type: 'go' }
  | { type: 'close' };

export type FromWorker =
  | { type: 'prepared' }
  | { type: 'result'; result: LoadResult }
  | { type: 'failed'; error: string };

export const cmPath = (ns: string, name?: string): string => `/api/v1/namespaces/${ns}/configmaps${name ? `/${name}` : ''}`;

export function configMapJson(name: string, payload: string, labels: Record<string, string> = {}): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { app: 'keks-bench', ...labels } }, data: { payload } });
}

/** A deterministic pseudo-random payload of `bytes` characters (same generator as api-bench.mjs). */
export function makePayload(bytes: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let s = '';
  let x = 12345;
  for (let i = 0; i < bytes; i++) { x = (x * 1103515245 + 12345) & 0x7fffffff; s += alphabet[x % alphabet.length]; }
  return s;
}
