/**
 * Keys of an informer's objects grouped by namespace (client-go's namespace indexer), so a
 * controller looks at one namespace's ReplicaSets instead of the whole cluster's.
 */
import type { KubeObject } from '../../api/types.js';
import { objectKey, type Informer } from '../../client/informer.js';

export class NamespaceIndex {
  private readonly byNs = new Map<string, Set<string>>();

  constructor(private readonly informer: Informer) {
    informer.addHandlers({
      add: (o) => this.add(o),
      update: (_old, o) => this.add(o),
      delete: (o) => {
        const s = this.byNs.get(o.metadata.namespace ?? '');
        s?.delete(objectKey(o));
        if (s?.size === 0) this.byNs.delete(o.metadata.namespace ?? '');
      },
    });
  }

  private add(o: KubeObject): void {
    const ns = o.metadata.namespace ?? '';
    let s = this.byNs.get(ns);
    if (!s) { s = new Set(); this.byNs.set(ns, s); }
    s.add(objectKey(o));
  }

  /** The cached objects of one namespace. */
  list(namespace: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const k of this.byNs.get(namespace) ?? []) {
      const o = this.informer.get(k);
      if (o) out.push(o);
    }
    return out;
  }
}
