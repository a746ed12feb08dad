/**
 * What a watch delivers to its consumer (the HTTP handler or the in-process client): typed
 * events whose object is decoded and serialised at most once per event, however many
 * watchers receive it.
 */
import type { KubeObject } from '../../api/types.js';

export type WatchType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchItem {
  type: WatchType;
  /** The object as JSON (with resourceVersion). Memoised. */
  json(): string;
  /** The decoded object. Memoised and shared: consumers must not mutate it. */
  object(): KubeObject;
}

export interface WatchSink {
  /** Called in revision order. */
  send(item: WatchItem): void;
  /** The watch ended with an error (e.g. 410 Expired); the consumer sends an ERROR event and closes. */
  fail(err: Error): void;
}

export interface WatchHandle {
  stop(): void;
}

/** A ready-made item around an object (initial events, bookmarks). */
export function itemOf(type: WatchType, obj: KubeObject, json?: string): WatchItem {
  let j = json;
  return { type, object: () => obj, json: () => (j ??= JSON.stringify(obj)) };
}
