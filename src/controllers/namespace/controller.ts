/**
 * The namespace lifecycle controller (pkg/controller/namespace/deletion): when a namespace is
 * marked for deletion (phase Terminating), delete everything in it through the API — every
 * namespaced resource that discovery says supports deletecollection — and, once nothing is
 * left, remove the `kubernetes` finalizer through /finalize so the namespace itself goes.
 */
import type { KubeObject } from '../../api/types.js';
import type { Clock } from '../../util/clock.js';
import type { ApiClient, ResourceRef } from '../../client/client.js';
import { isConflict, isNotFound } from '../../client/errors.js';
import { type Informer } from '../../client/informer.js';
import { sharedInformersFor } from '../../client/shared-informers.js';
import { runWorkers, WorkQueue } from '../../client/workqueue.js';

const NAMESPACES: ResourceRef = { group: '', version: 'v1', resource: 'namespaces', namespaced: false };
const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

interface DiscoveryList {
  items: Array<{ metadata: { name?: string }; versions: Array<{ version: string; resources: Array<{ resource: string; scope: string; verbs: string[] }> }> }>;
}

/** Content remains in a namespace being deleted: try again later (with backoff). */
export class ContentRemainingError extends Error {}

export interface NamespaceControllerOptions {
  client: ApiClient;
  clock: Clock;
  workers?: number;
  onError?: (key: string, err: unknown) => void;
}

export class NamespaceController {
  private readonly o: NamespaceControllerOptions;
  readonly informer: Informer;
  private readonly queue: WorkQueue<string>;
  private running: Promise<void> | undefined;

  constructor(opts: NamespaceControllerOptions) {
    this.o = opts;
    this.informer = sharedInformersFor(opts.client, opts.clock).informerFor({ ref: NAMESPACES });
    this.queue = new WorkQueue<string>({ clock: opts.clock, baseDelayMs: 50, maxDelayMs: 10_000 });
    const enqueue = (o: KubeObject): void => { if (o.metadata.deletionTimestamp) this.queue.add(o.metadata.name as string); };
    this.informer.addHandlers({ add: enqueue, update: (_old, o) => enqueue(o) });
  }

  start(): void {
    this.informer.start();
    this.running = runWorkers(this.queue, this.o.workers ?? 2, (k) => this.sync(k), this.o.onError);
  }

  async stop(): Promise<void> {
    this.informer.stop();
    this.queue.shutdown();
    await this.running;
  }

  /** Namespaced resources that can be deleted as collections, preferred version of each group. */
  private async deletableResources(): Promise<ResourceRef[]> {
    const out: ResourceRef[] = [];
    const seen = new Set<string>();
    for (const path of ['/api', '/apis']) {
      const doc = await this.o.client.getRaw<DiscoveryList>(path, AGGREGATED);
      for (const g of doc.items) {
        const group = g.metadata.name ?? '';
        const v = g.versions[0];
        if (!v) continue;
        for (const r of v.resources) {
          if (r.scope !== 'Namespaced' || !r.verbs.includes('deletecollection') || !r.verbs.includes('list')) continue;
          const key = `${group}/${r.resource}`;
          if (seen.has(key)) continue;
          seen.add(key);
          out.push({ group, version: v.version, resource: r.resource, namespaced: true });
        }
      }
    }
    return out;
  }

  async sync(name: string): Promise<void> {
    const ns = this.informer.get(name);
    if (!ns || !ns.metadata.deletionTimestamp) return;
    const resources = await this.deletableResources();
    let remaining = 0;
    for (const ref of resources) {
      await this.o.client.deleteCollection(ref, name);
      const left = await this.o.client.list(ref, name, { limit: 1 });
      remaining += left.items.length;
    }
    if (remaining > 0) throw new ContentRemainingError(`namespace ${name}: content remains`);
    try {
      const fresh = await this.o.client.get(NAMESPACES, '', name);
      const spec = (fresh.spec ?? {}) as { finalizers?: string[] };
      const fins = (spec.finalizers ?? []).filter((f) => f !== 'kubernetes');
      if (fins.length === (spec.finalizers ?? []).length) return;
      await this.o.client.update(NAMESPACES, '', { ...fresh, spec: { ...spec, finalizers: fins } }, 'finalize');
    } catch (e) {
      if (isNotFound(e)) return;
      if (isConflict(e)) throw e;
      throw e;
    }
  }
}
