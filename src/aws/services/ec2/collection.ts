/**
 * An in-memory view over one state table that can also change synchronously.
 *
 * Most EC2 writes are async and follow the state layer's rule (the store write is awaited, then
 * memory changes). A few backend calls are synchronous by contract — the default VPC "created on
 * first use" and `allocatePrivateIp` — so `saveSoon`/`removeSoon` change memory at once and
 * persist in the background; `flush()` waits for (and reports the first failure of) those
 * writes, and every async write flushes first so durable order matches call order.
 */
import type { StateTable } from '../../core/state.js';

export class Collection<T> {
  private readonly docs = new Map<string, T>();
  private readonly table: StateTable<T>;
  private readonly pending = new Set<Promise<void>>();
  private failure: unknown;

  /** `idOf` names a document's id (the table key), used to index what the table loaded. */
  constructor(table: StateTable<T>, idOf: (doc: T) => string) {
    this.table = table;
    for (const doc of table.values()) this.docs.set(idOf(doc), doc);
  }

  get(id: string): T | undefined {
    return this.docs.get(id);
  }

  has(id: string): boolean {
    return this.docs.has(id);
  }

  values(): T[] {
    return [...this.docs.values()];
  }

  get size(): number {
    return this.docs.size;
  }

  async save(id: string, doc: T): Promise<void> {
    await this.flush();
    await this.table.put(id, doc);
    this.docs.set(id, doc);
  }

  async remove(id: string): Promise<void> {
    await this.flush();
    await this.table.delete(id);
    this.docs.delete(id);
  }

  saveSoon(id: string, doc: T): void {
    this.docs.set(id, doc);
    this.track(this.table.put(id, doc));
  }

  removeSoon(id: string): void {
    this.docs.delete(id);
    this.track(this.table.delete(id));
  }

  /** Waits for background writes; throws the first one that failed (once). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    if (this.failure !== undefined) {
      const f = this.failure;
      this.failure = undefined;
      throw f;
    }
  }

  private track(p: Promise<void>): void {
    const tracked = p.catch((e: unknown) => { this.failure ??= e; }).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }
}
