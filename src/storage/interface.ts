/**
 * The revisioned key-value store every backend implements (memory, sqlite, etcd).
 *
 * Semantics follow etcd v3, the store kube-apiserver is written against:
 * - One global revision counter. Every successful write (create, update, delete) gets the next
 *   revision; reads report the revision they were served at. resourceVersion = revision.
 * - `modRevision` of a key is the revision of its last write; `createRevision` of its creation.
 * - Writes are guarded: create fails if the key exists, update/delete fail if the key's current
 *   modRevision differs from the expected one (optimistic concurrency, as etcd's Txn compare).
 * - Watches see every event after a revision, in revision order, with no gaps, until stopped.
 * - Compaction forgets history older than a revision; reading or watching from before it fails
 *   with a `Compacted` StorageError (the API turns that into 410 Expired).
 * Values are opaque strings to the store (the registry stores JSON without metadata.resourceVersion,
 * which it fills from modRevision on read, as kube-apiserver's etcd3 store does).
 */

export interface KeyValue {
  key: string;
  value: string;
  createRevision: number;
  modRevision: number;
}

export interface ListOptions {
  /** Serve the list as of this revision; 0/undefined = the latest. Before compaction → Compacted. */
  revision?: number;
  /** At most this many items; 0/undefined = no limit. */
  limit?: number;
  /** Exclusive start key (the position of a continue token). Keys sort bytewise ascending. */
  startAfter?: string;
}

export interface ListResult {
  items: KeyValue[];
  /** The revision the list was served at (the `revision` option when given). */
  revision: number;
  /** True when more keys under the prefix exist after the last item (at the same revision). */
  more: boolean;
  /** Number of keys after the last item, when the backend knows it cheaply (for remainingItemCount). */
  remaining?: number;
}

export type WatchEventType = 'create' | 'update' | 'delete';

export interface WatchEvent {
  type: WatchEventType;
  /** For create/update: the new value. For delete: the last value before deletion, with modRevision = the delete's revision. */
  kv: KeyValue;
  /** The value before this event (update and delete), when known. */
  prev?: KeyValue;
}

export interface WatchOptions {
  /** Only keys starting with this prefix. */
  prefix: string;
  /**
   * Deliver every event with revision > afterRevision (exclusive, like a resourceVersion).
   * 0 = only events from now on. Before the compacted revision → onError(Compacted).
   */
  afterRevision: number;
  /** Called in revision order, never concurrently, never with gaps. */
  onEvent: (events: WatchEvent[]) => void;
  /** Called at most once; the watch is over after it. */
  onError: (err: Error) => void;
  /** Optional: progress notifications (the store's current revision) for bookmarks. */
  onProgress?: (revision: number) => void;
}

export interface Watch {
  stop(): void;
}

export interface Store {
  readonly kind: 'memory' | 'sqlite' | 'etcd';
  /** The latest value of a key, or null. With `revision`, the value as of that revision. */
  get(key: string, revision?: number): Promise<KeyValue | null>;
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  count(prefix: string): Promise<number>;
  /** Creates the key; `KeyExists` if present. Returns the stored pair. */
  create(key: string, value: string): Promise<KeyValue>;
  /** Replaces the value if the key's modRevision equals `expectedModRevision`; `Conflict` if not, `NotFound` if gone. */
  update(key: string, value: string, expectedModRevision: number): Promise<KeyValue>;
  /** Deletes the key (guarded when `expectedModRevision` is given). Returns the deleted pair with modRevision = the delete revision. */
  delete(key: string, expectedModRevision?: number): Promise<KeyValue>;
  watch(opts: WatchOptions): Watch;
  currentRevision(): Promise<number>;
  /** The oldest revision still readable (history before it is compacted away). */
  compactedRevision(): Promise<number>;
  /** Forget history before `revision` (keeps the latest value of every live key). */
  compact(revision: number): Promise<void>;
  /** Approximate bytes used by the backend (for the store size metric). */
  sizeBytes(): Promise<number>;
  /** Finish in-flight writes, stop watches, release files and connections. */
  close(): Promise<void>;
}

export type StorageErrorCode = 'KeyExists' | 'NotFound' | 'Conflict' | 'Compacted' | 'Unavailable' | 'Closed';

export class StorageError extends Error {
  readonly code: StorageErrorCode;
  readonly key: string | undefined;
  /** For Conflict: the current pair, when the backend has it at hand (saves a re-read). */
  readonly current: KeyValue | undefined;
  /** For Compacted: the compacted revision. */
  readonly compactedRevision: number | undefined;

  constructor(code: StorageErrorCode, message: string, opts: { key?: string; current?: KeyValue; compactedRevision?: number } = {}) {
    super(message);
    this.name = 'StorageError';
    this.code = code;
    this.key = opts.key;
    this.current = opts.current;
    this.compactedRevision = opts.compactedRevision;
  }
}

export function isStorageError(e: unknown, code?: StorageErrorCode): e is StorageError {
  return e instanceof StorageError && (code === undefined || e.code === code);
}
