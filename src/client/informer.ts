/**
 * A shared informer (k8s.io/client-go/tools/cache): LIST then WATCH from the list's
 * resourceVersion, an indexed local cache (the lister), event handlers, and recovery — a watch
 * that ends is resumed from the last seen resourceVersion, a 410 Expired triggers a fresh LIST.
 */
import type { KubeObject } from '../api/types.js';
import type { Clock } from '../util/clock.js';
import type { ApiClient, ResourceRef, WatchEvent } from './client.js';
import type { StreamHandle } from './transport.js';

export interface InformerHandlers {
  add?(obj: KubeObject): void;
  update?(oldObj: KubeObject, newObj: KubeObject): void;
  delete?(obj: KubeObject): void;
}

export function objectKey(obj: KubeObject): string {
  const ns = obj.metadata.namespace;
  return ns ? `${ns}/${obj.metadata.name}` : (obj.metadata.name as string);
}

export interface InformerOptions {
  client: ApiClient;
  ref: ResourceRef;
  clock: Clock;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Delay before re-listing after an error. */
  retryMs?: number;
}

export class Informer {
  private readonly o: InformerOptions;
  private readonly cache = new Map<string, KubeObject>();
  private readonly handlers: InformerHandlers[] = [];
  private rv = '';
  private stream: StreamHandle | undefined;
  private stopped = false;
  private synced = false;
  /** start() calls not yet matched by stop(): a shared informer runs while any user holds it. */
  private starts = 0;
  private syncWaiters: Array<() => void> = [];

  constructor(opts: InformerOptions) {
    this.o = opts;
  }

  addHandlers(h: InformerHandlers): void {
    this.handlers.push(h);
    if (this.synced) for (const o of this.cache.values()) h.add?.(o);
  }

  get(key: string): KubeObject | undefined {
    return this.cache.get(key);
  }

  list(): KubeObject[] {
    return [...this.cache.values()];
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((r) => this.syncWaiters.push(r));
  }

  /** Removes a handler set added with addHandlers (a stopping user of a shared informer). */
  removeHandlers(h: InformerHandlers): void {
    const i = this.handlers.indexOf(h);
    if (i >= 0) this.handlers.splice(i, 1);
  }

  /** Ref-counted: the first start() lists and watches; later ones only count a new user. */
  start(): void {
    this.starts++;
    if (this.starts > 1) return;
    this.stopped = false;
    void this.relist();
  }

  /** Ref-counted: the watch ends when every start() has been matched by a stop(). */
  stop(): void {
    if (this.starts > 0) this.starts--;
    if (this.starts > 0) return;
    this.stopped = true;
    this.stream?.abort();
  }

  private async relist(): Promise<void> {
    if (this.stopped) return;
    try {
      const list = await this.o.client.list(this.o.ref, this.o.namespace ?? '', { labelSelector: this.o.labelSelector, fieldSelector: this.o.fieldSelector });
      const fresh = new Map(list.items.map((o) => [objectKey(o), o]));
      for (const [k, old] of this.cache) if (!fresh.has(k)) { this.cache.delete(k); this.emit('delete', old); }
      for (const [k, o] of fresh) {
        const old = this.cache.get(k);
        this.cache.set(k, o);
        if (!old) this.emit('add', o);
        else if (old.metadata.resourceVersion !== o.metadata.resourceVersion) this.emit('update', o, old);
      }
      this.rv = list.metadata.resourceVersion ?? '';
      if (!this.synced) { this.synced = true; for (const w of this.syncWaiters.splice(0)) w(); }
      this.watch();
    } catch {
      this.o.clock.setTimeout(() => void this.relist(), this.o.retryMs ?? 1000);
    }
  }

  private watch(): void {
    if (this.stopped) return;
    let expired = false;
    this.stream = this.o.client.watch(this.o.ref, this.o.namespace ?? '', {
      resourceVersion: this.rv, allowWatchBookmarks: true, labelSelector: this.o.labelSelector, fieldSelector: this.o.fieldSelector,
    }, (e) => { if (e.type === 'ERROR') expired = true; else this.apply(e); }, (err) => {
      if (this.stopped) return;
      // A 410 (as an HTTP error or an ERROR event) means our resourceVersion is gone: list again.
      if (expired || (err && /expired|too old|410/i.test(err.message))) void this.relist();
      else if (err) this.o.clock.setTimeout(() => void this.relist(), this.o.retryMs ?? 1000);
      else this.watch();
    });
  }

  private apply(e: WatchEvent): void {
    const o = e.object;
    if (o.metadata?.resourceVersion) this.rv = o.metadata.resourceVersion;
    if (e.type === 'BOOKMARK') return;
    const k = objectKey(o);
    const old = this.cache.get(k);
    if (e.type === 'DELETED') {
      this.cache.delete(k);
      this.emit('delete', o);
    } else {
      this.cache.set(k, o);
      if (old) this.emit('update', o, old); else this.emit('add', o);
    }
  }

  private emit(kind: 'add' | 'update' | 'delete', o: KubeObject, old?: KubeObject): void {
    // Every handler set gets the event even if one throws (a shared informer serves several
    // components); the first error still surfaces afterwards.
    let failure: unknown;
    for (const h of this.handlers) {
      try {
        if (kind === 'add') h.add?.(o);
        else if (kind === 'update') h.update?.(old as KubeObject, o);
        else h.delete?.(o);
      } catch (e) {
        failure ??= e;
      }
    }
    if (failure !== undefined) throw failure;
  }
}
