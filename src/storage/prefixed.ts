/**
 * A view of a store under a key prefix: every key the caller uses is stored as `prefix + key`,
 * and results and watch events come back with the prefix removed. This is how several clusters
 * share one store (one sqlite file or one etcd) with their own key spaces, as kine serves many
 * k3s servers from one database: `/clusters/<name>/registry/...`.
 *
 * Revisions stay the backing store's global counter, so resourceVersions of different clusters
 * interleave (they are opaque to clients; only their order per key space matters). Compaction
 * and close belong to the backing store; this view's close() is a no-op.
 */
import { StorageError, type KeyValue, type ListOptions, type ListResult, type Store, type Watch, type WatchEvent, type WatchOptions } from './interface.js';

export class PrefixedStore implements Store {
  readonly kind: Store['kind'];
  private readonly inner: Store;
  private readonly prefix: string;
  private readonly ownsInner: boolean;

  /** `ownsInner`: close() closes the backing store too (a view that is the store's only user). */
  constructor(inner: Store, prefix: string, opts: { ownsInner?: boolean } = {}) {
    if (!prefix.startsWith('/') || prefix.endsWith('/')) throw new Error(`PrefixedStore: prefix must look like /a/b (got "${prefix}")`);
    this.inner = inner;
    this.prefix = prefix;
    this.kind = inner.kind;
    this.ownsInner = opts.ownsInner ?? false;
  }

  private strip(kv: KeyValue): KeyValue {
    return { key: kv.key.slice(this.prefix.length), value: kv.value, createRevision: kv.createRevision, modRevision: kv.modRevision };
  }

  /** Storage errors name keys (and carry the current pair on Conflict): report them in this view's key space. */
  private rethrow(e: unknown): never {
    if (!(e instanceof StorageError)) throw e;
    const key = e.key?.startsWith(this.prefix) ? e.key.slice(this.prefix.length) : e.key;
    const message = e.message.split(this.prefix).join('');
    throw new StorageError(e.code, message, {
      ...(key !== undefined ? { key } : {}),
      ...(e.current ? { current: this.strip(e.current) } : {}),
      ...(e.compactedRevision !== undefined ? { compactedRevision: e.compactedRevision } : {}),
    });
  }

  async get(key: string, revision?: number): Promise<KeyValue | null> {
    const kv = await this.inner.get(this.prefix + key, revision).catch((e: unknown) => this.rethrow(e));
    return kv ? this.strip(kv) : null;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const inner = { ...opts, ...(opts.startAfter !== undefined ? { startAfter: this.prefix + opts.startAfter } : {}) };
    const r = await this.inner.list(this.prefix + prefix, inner).catch((e: unknown) => this.rethrow(e));
    return { ...r, items: r.items.map((kv) => this.strip(kv)) };
  }

  count(prefix: string): Promise<number> {
    return this.inner.count(this.prefix + prefix);
  }

  async create(key: string, value: string): Promise<KeyValue> {
    return this.strip(await this.inner.create(this.prefix + key, value).catch((e: unknown) => this.rethrow(e)));
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<KeyValue> {
    return this.strip(await this.inner.update(this.prefix + key, value, expectedModRevision).catch((e: unknown) => this.rethrow(e)));
  }

  async delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    return this.strip(await this.inner.delete(this.prefix + key, expectedModRevision).catch((e: unknown) => this.rethrow(e)));
  }

  watch(opts: WatchOptions): Watch {
    const strip = (kv: KeyValue): KeyValue => this.strip(kv);
    return this.inner.watch({
      ...opts,
      prefix: this.prefix + opts.prefix,
      onEvent: (events: WatchEvent[]) => opts.onEvent(events.map((e) => ({ type: e.type, kv: strip(e.kv), ...(e.prev ? { prev: strip(e.prev) } : {}) }))),
    });
  }

  currentRevision(): Promise<number> {
    return this.inner.currentRevision();
  }

  compactedRevision(): Promise<number> {
    return this.inner.compactedRevision();
  }

  compact(revision: number): Promise<void> {
    return this.inner.compact(revision);
  }

  sizeBytes(): Promise<number> {
    return this.inner.sizeBytes();
  }

  /** The backing store is shared: closing a view closes it only when the view owns it. */
  async close(): Promise<void> {
    if (this.ownsInner) await this.inner.close();
  }

  /** Deletes every key of this view (a deleted cluster's objects), in batches. */
  async deleteAll(): Promise<number> {
    let n = 0;
    for (;;) {
      const page = await this.inner.list(this.prefix + '/', { limit: 500 });
      for (const kv of page.items) {
        await this.inner.delete(kv.key).catch(() => undefined);
        n++;
      }
      if (!page.more) return n;
    }
  }
}
