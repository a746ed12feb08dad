/**
 * createStore: the one place that turns configuration into a storage backend.
 * memory — tests and `--store memory`; sqlite — the default, one file under dataDir;
 * etcd — a real etcd v3 cluster, keys under etcdPrefix so several clusters can share it.
 */
import { join } from 'node:path';
import type { Clock } from '../util/clock.js';
import { defaultCompactionPolicy, type CompactionPolicy } from './compactor.js';
import type { Store } from './interface.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

export type StoreKind = 'memory' | 'sqlite' | 'etcd';

export interface CreateStoreOptions {
  kind: StoreKind;
  /** sqlite: directory for the database file (`<dataDir>/keks.db`) when `file` is not given. */
  dataDir?: string;
  /** sqlite: the database file. */
  file?: string;
  /** etcd: client URLs, e.g. ['http://127.0.0.1:2379']. */
  etcdEndpoints?: string[];
  /** etcd: prefix for every key (default '/keks'). */
  etcdPrefix?: string;
  clock?: Clock;
  /** Background compaction; false disables it. Default: defaultCompactionPolicy for every kind (a memory store without it keeps every version forever). */
  compaction?: CompactionPolicy | false;
  /** Watch progress notifications for bookmarks (ms; 0 = off). */
  progressIntervalMs?: number;
}

export async function createStore(opts: CreateStoreOptions): Promise<Store> {
  const common = { ...(opts.clock ? { clock: opts.clock } : {}), ...(opts.progressIntervalMs ? { progressIntervalMs: opts.progressIntervalMs } : {}) };
  switch (opts.kind) {
    case 'memory': {
      // Loaded on demand, as etcd: `keks start` (sqlite) does not import the other backends.
      const { MemoryStore } = await import('./memory/memory-store.js');
      return new MemoryStore({ ...common, ...(opts.compaction !== false ? { compaction: opts.compaction ?? defaultCompactionPolicy } : {}) });
    }
    case 'sqlite': {
      const file = opts.file ?? (opts.dataDir ? join(opts.dataDir, 'keks.db') : undefined);
      if (!file) throw new Error('createStore: sqlite needs `file` or `dataDir`');
      return new SqliteStore({ ...common, file, ...(opts.compaction !== undefined ? { compaction: opts.compaction } : {}) });
    }
    case 'etcd': {
      if (!opts.etcdEndpoints || opts.etcdEndpoints.length === 0) throw new Error('createStore: etcd needs `etcdEndpoints`');
      // Loaded on demand: the etcd client (gRPC) costs start-up time and memory sqlite users never need.
      const { EtcdStore } = await import('./etcd/etcd-store.js');
      return EtcdStore.connect({
        ...common,
        endpoints: opts.etcdEndpoints,
        prefix: opts.etcdPrefix ?? '/keks',
        ...(opts.compaction !== undefined ? { compaction: opts.compaction } : {}),
      });
    }
    default:
      throw new Error(`createStore: unknown store kind '${String((opts as { kind: unknown }).kind)}'`);
  }
}

export { StorageError, isStorageError } from './interface.js';
export type { KeyValue, ListOptions, ListResult, Store, StorageErrorCode, Watch, WatchEvent, WatchEventType, WatchOptions } from './interface.js';
export { defaultCompactionPolicy, type CompactionPolicy };
