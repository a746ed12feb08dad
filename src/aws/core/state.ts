/**
 * Durable state of the AWS services: named tables of JSON documents, held in memory (Describe
 * calls are served from memory — the ≤ 5 ms p99 target) and written through to the same
 * revisioned store the clusters use, under `/aws/<table>/<id>`.
 *
 * Write-through order: the store write is awaited first and the in-memory copy changes only
 * after it succeeded, so a failed write leaves nothing half-applied. Writes to one key are
 * serialised through the key's last known modRevision (the store's optimistic concurrency),
 * so two in-flight updates cannot silently overwrite each other.
 *
 * This is the one place outside registry/ that touches storage/: AWS resources are not
 * Kubernetes objects and need no registry semantics (docs/architecture.md, "AWS side").
 */
import type { Store } from '../../storage/interface.js';

export interface StateTable<T> {
  readonly name: string;
  get(id: string): T | undefined;
  has(id: string): boolean;
  /** Every document, in id order. */
  values(): T[];
  /** Creates or replaces a document (durable when the promise resolves). */
  put(id: string, doc: T): Promise<void>;
  /** Removes a document; a no-op when absent. */
  delete(id: string): Promise<void>;
}

export interface AwsState {
  /** Opens (loading it from the store once) a table. Table names: [a-z0-9-]+. */
  table<T>(name: string): Promise<StateTable<T>>;
}

const ROOT = '/aws/';

class StoreTable<T> implements StateTable<T> {
  readonly name: string;
  private readonly docs = new Map<string, { doc: T; rev: number }>();
  private readonly store: Store;
  private readonly prefix: string;
  /** Per-id chain so concurrent writes to one id apply in call order. */
  private readonly pending = new Map<string, Promise<void>>();

  constructor(store: Store, name: string) {
    this.store = store;
    this.name = name;
    this.prefix = `${ROOT}${name}/`;
  }

  async load(): Promise<void> {
    let startAfter: string | undefined;
    for (;;) {
      const page = await this.store.list(this.prefix, { limit: 500, ...(startAfter ? { startAfter } : {}) });
      for (const kv of page.items) this.docs.set(kv.key.slice(this.prefix.length), { doc: JSON.parse(kv.value) as T, rev: kv.modRevision });
      if (!page.more || page.items.length === 0) return;
      startAfter = page.items[page.items.length - 1].key;
    }
  }

  get(id: string): T | undefined {
    return this.docs.get(id)?.doc;
  }

  has(id: string): boolean {
    return this.docs.has(id);
  }

  values(): T[] {
    return [...this.docs.keys()].sort().map((k) => (this.docs.get(k) as { doc: T }).doc);
  }

  put(id: string, doc: T): Promise<void> {
    return this.serial(id, async () => {
      const key = this.prefix + id;
      const text = JSON.stringify(doc);
      const cur = this.docs.get(id);
      const kv = cur ? await this.store.update(key, text, cur.rev) : await this.store.create(key, text);
      this.docs.set(id, { doc: JSON.parse(text) as T, rev: kv.modRevision });
    });
  }

  delete(id: string): Promise<void> {
    return this.serial(id, async () => {
      const cur = this.docs.get(id);
      if (!cur) return;
      await this.store.delete(this.prefix + id, cur.rev);
      this.docs.delete(id);
    });
  }

  private serial(id: string, fn: () => Promise<void>): Promise<void> {
    const prev = this.pending.get(id) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(fn);
    this.pending.set(id, next);
    const cleanup = (): void => { if (this.pending.get(id) === next) this.pending.delete(id); };
    next.then(cleanup, cleanup);
    return next;
  }
}

/** AWS state kept in `store` (the process's one store; sqlite by default, memory in tests). */
export function storeBackedState(store: Store): AwsState {
  const tables = new Map<string, Promise<StateTable<unknown>>>();
  return {
    table<T>(name: string): Promise<StateTable<T>> {
      if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`AwsState: bad table name "${name}"`);
      let t = tables.get(name);
      if (!t) {
        const table = new StoreTable<unknown>(store, name);
        t = table.load().then(() => table);
        tables.set(name, t);
      }
      return t as Promise<StateTable<T>>;
    },
  };
}
