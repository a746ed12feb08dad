/**
 * An in-memory, watch-fed view of one namespaced resource, grouped by namespace — what
 * admission plugins read instead of listing the store on every request (upstream's plugins
 * read informer caches: LimitRanger's lister, the quota admission's quota accessor).
 *
 * Starts lazily on first use (list, then watch from the list's revision); on a watch error it
 * re-lists. Readers get the objects as decoded by the watch (shared: never mutate them).
 */
import type { KubeObject } from '../api/types.js';
import type { GenericStore } from '../registry/generic/store.js';
import { MATCH_EVERYTHING } from '../registry/generic/filter.js';
import type { WatchHandle } from '../registry/generic/watch-types.js';

export class NamespacedObjectIndex {
  private readonly byNs = new Map<string, Map<string, KubeObject>>();
  private started: Promise<void> | undefined;
  private handle: WatchHandle | undefined;
  private stopped = false;

  constructor(private readonly store: GenericStore) {}

  /** Objects of a namespace (empty when none), after the initial list completed. */
  async inNamespace(namespace: string): Promise<KubeObject[]> {
    await (this.started ??= this.sync());
    const m = this.byNs.get(namespace);
    return m ? [...m.values()] : [];
  }

  stop(): void {
    this.stopped = true;
    this.handle?.stop();
  }

  private put(o: KubeObject): void {
    const ns = o.metadata.namespace ?? '';
    let m = this.byNs.get(ns);
    if (!m) this.byNs.set(ns, (m = new Map()));
    m.set(o.metadata.name as string, o);
  }

  private remove(o: KubeObject): void {
    const ns = o.metadata.namespace ?? '';
    const m = this.byNs.get(ns);
    m?.delete(o.metadata.name as string);
    if (m && m.size === 0) this.byNs.delete(ns);
  }

  private async sync(): Promise<void> {
    const list = await this.store.list('', { filter: MATCH_EVERYTHING });
    this.byNs.clear();
    for (const it of list.items) this.put(it.object());
    this.handle = await this.store.watch('', { filter: MATCH_EVERYTHING, resourceVersion: list.resourceVersion }, {
      send: (item) => {
        if (item.type === 'ADDED' || item.type === 'MODIFIED') this.put(item.object());
        else if (item.type === 'DELETED') this.remove(item.object());
      },
      fail: () => {
        if (this.stopped) return;
        // Re-list on the next read (e.g. after 410 Expired).
        this.started = undefined;
      },
    });
  }
}
