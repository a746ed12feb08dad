/**
 * The garbage collector (pkg/controller/garbagecollector/garbagecollector.go): watches every
 * deletable resource, keeps the owner → dependents graph, and
 * - deletes dependents whose owners are all gone (background cascading deletion): an owner not in
 *   the graph is confirmed absent with a live GET (404, or another uid under that name);
 * - for an owner deleting in foreground (`foregroundDeletion` finalizer) deletes its dependents
 *   (in foreground themselves if they have dependents) and removes the finalizer once no
 *   dependent with blockOwnerDeletion remains;
 * - for an owner with the `orphan` finalizer removes its ownerReference from every dependent,
 *   then the finalizer.
 * Dependents with some live owner only lose references to absent or foreground-deleting owners.
 *
 * Cost: one informer per monitored resource; an update costs a comparison of ownerReferences
 * and deletion state (status churn does no work); work is proportional to the dependents of
 * changed owners. Discovery is refreshed every 30 s to pick up custom resources.
 */
import type { KubeObject, OwnerReference } from '../../api/types.js';
import type { ApiClient, ResourceRef } from '../../client/client.js';
import { isConflict, isNotFound } from '../../client/errors.js';
import { type Informer } from '../../client/informer.js';
import { sharedInformersFor } from '../../client/shared-informers.js';
import { runWorkers, WorkQueue } from '../../client/workqueue.js';
import type { Clock, Timer } from '../../util/clock.js';
import { ControllerLifecycle } from '../util/lifecycle.js';
import { discoverResources, type DiscoveredResources } from './discovery.js';
import { DependencyGraph, FOREGROUND, ORPHAN, type GraphNode, type GraphWork } from './graph.js';

export interface GarbageCollectorOptions {
  client: ApiClient;
  clock: Clock;
  workers?: number;
  /** Discovery refresh period (upstream: 30 s). */
  resyncMs?: number;
  onError?: (key: string, err: unknown) => void;
}

type OwnerState = 'solid' | 'dangling' | 'waiting';

export class GarbageCollector {
  readonly graph = new DependencyGraph();
  private readonly o: GarbageCollectorOptions;
  private readonly queue: WorkQueue<string>;
  private readonly informers = new Map<string, Informer>();
  private kinds: DiscoveredResources['kinds'] = new Map();
  private running: Promise<void> | undefined;
  private timer: Timer | undefined;
  private stopped = false;
  private readonly life = new ControllerLifecycle();

  constructor(opts: GarbageCollectorOptions) {
    this.o = opts;
    this.queue = new WorkQueue<string>({ clock: opts.clock, baseDelayMs: 20, maxDelayMs: 30_000 });
  }

  start(): void {
    this.running = (async () => {
      while (!this.stopped) {
        try { await this.refresh(); break; } catch { await Promise.race([new Promise<void>((r) => this.o.clock.setTimeout(r, 500)), this.life.stopped]); }
      }
      if (this.stopped) return;
      await Promise.race([Promise.all([...this.informers.values()].map((i) => i.waitForSync())), this.life.stopped]);
      if (this.stopped) return;
      this.timer = this.o.clock.setInterval(() => void this.refresh().catch(() => undefined), this.o.resyncMs ?? 30_000);
      await runWorkers(this.queue, this.o.workers ?? 4, (k) => this.process(k), this.o.onError);
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.life.stop();
    this.timer?.cancel();
    for (const i of this.informers.values()) i.stop();
    this.queue.shutdown();
    await this.running;
  }

  /** True once every monitored resource has been listed. */
  get hasSynced(): boolean {
    return this.informers.size > 0 && [...this.informers.values()].every((i) => i.hasSynced);
  }

  /** Starts informers for resources that appeared in discovery (resyncMonitors). */
  private async refresh(): Promise<void> {
    const found = await discoverResources(this.o.client);
    this.kinds = found.kinds;
    for (const m of found.monitored) {
      const key = `${m.ref.group}/${m.ref.resource}`;
      if (this.informers.has(key) || this.stopped) continue;
      const inf = sharedInformersFor(this.o.client, this.o.clock).informerFor({ ref: m.ref });
      const apiVersion = m.ref.group ? `${m.ref.group}/${m.ref.version}` : m.ref.version;
      const up = (o: KubeObject): void => { if (o.metadata.uid) this.enqueue(this.graph.upsert(o, m.ref, apiVersion, m.kind)); };
      inf.addHandlers({ add: up, update: (_old, o) => up(o), delete: (o) => { if (o.metadata.uid) this.enqueue(this.graph.remove(o)); } });
      this.informers.set(key, inf);
      inf.start();
    }
  }

  private enqueue(w: GraphWork): void {
    for (const uid of w.attemptToDelete) this.queue.add(`delete/${uid}`);
    for (const uid of w.orphan) this.queue.add(`orphan/${uid}`);
  }

  private async process(key: string): Promise<void> {
    const i = key.indexOf('/');
    const uid = key.slice(i + 1);
    const node = this.graph.nodes.get(uid);
    if (!node) return;
    if (key.startsWith('orphan/')) await this.orphanDependents(node);
    else await this.attemptToDelete(node);
  }

  /** attemptToDeleteItem. */
  private async attemptToDelete(node: GraphNode): Promise<void> {
    if (node.deleting) {
      if (node.finalizers.includes(FOREGROUND)) await this.processDeletingDependents(node);
      return;
    }
    if (node.owners.length === 0) return;
    const solid: OwnerReference[] = [];
    const gone: OwnerReference[] = [];
    let waiting = false;
    for (const ref of node.owners) {
      const state = await this.ownerState(node, ref);
      if (state === 'solid') solid.push(ref); else gone.push(ref);
      waiting ||= state === 'waiting';
    }
    if (solid.length > 0) {
      if (gone.length === 0) return;
      // Keep the object; drop references to absent or foreground-deleting owners.
      const keep = node.owners.filter((r) => !gone.some((g) => g.uid === r.uid));
      await this.patchOwners(node, keep);
      return;
    }
    let policy: 'Background' | 'Foreground' | 'Orphan' = 'Background';
    if (node.finalizers.includes(ORPHAN)) policy = 'Orphan';
    else if (node.finalizers.includes(FOREGROUND) || (waiting && this.graph.hasDependents(node.uid))) policy = 'Foreground';
    try {
      await this.o.client.delete(node.ref, node.namespace, node.name, { propagationPolicy: policy, preconditions: { uid: node.uid } });
    } catch (e) {
      if (!isNotFound(e) && !isConflict(e)) throw e;
    }
  }

  /** classifyReferences for one owner: observed (maybe deleting in foreground) or confirmed absent. */
  private async ownerState(node: GraphNode, ref: OwnerReference): Promise<OwnerState> {
    const owner = this.graph.nodes.get(ref.uid);
    if (owner) return owner.deleting && owner.finalizers.includes(FOREGROUND) ? 'waiting' : 'solid';
    const group = ref.apiVersion.includes('/') ? ref.apiVersion.slice(0, ref.apiVersion.indexOf('/')) : '';
    const version = ref.apiVersion.slice(ref.apiVersion.indexOf('/') + 1);
    const mapping = this.kinds.get(`${group}/${ref.kind}`);
    if (!mapping) return 'solid'; // unknown kind: never delete on a guess (upstream retries)
    const ownerRef: ResourceRef = { group, version, resource: mapping.resource, namespaced: mapping.namespaced };
    try {
      const live = await this.o.client.get(ownerRef, mapping.namespaced ? node.namespace : '', ref.name);
      if (live.metadata.uid !== ref.uid) return 'dangling';
      return live.metadata.deletionTimestamp && live.metadata.finalizers?.includes(FOREGROUND) ? 'waiting' : 'solid';
    } catch (e) {
      if (isNotFound(e)) return 'dangling';
      throw e;
    }
  }

  /** processDeletingDependents: delete blocking dependents; once none remain, drop the finalizer. */
  private async processDeletingDependents(owner: GraphNode): Promise<void> {
    const blocking = this.graph.dependentsOf(owner.uid).filter((d) => d.owners.some((r) => r.uid === owner.uid && r.blockOwnerDeletion));
    if (blocking.length === 0) {
      await this.removeFinalizer(owner, FOREGROUND);
      return;
    }
    for (const d of blocking) if (!d.deleting) this.queue.add(`delete/${d.uid}`);
  }

  /** orphanDependents + removeFinalizer(orphan). */
  private async orphanDependents(owner: GraphNode): Promise<void> {
    if (!owner.deleting || !owner.finalizers.includes(ORPHAN)) return;
    await Promise.all(this.graph.dependentsOf(owner.uid).map((d) => this.patchOwners(d, d.owners.filter((r) => r.uid !== owner.uid))));
    await this.removeFinalizer(owner, ORPHAN);
  }

  private async patchOwners(node: GraphNode, owners: OwnerReference[]): Promise<void> {
    try {
      await this.o.client.patch(node.ref, node.namespace, node.name, { metadata: { uid: node.uid, ownerReferences: owners.length ? owners : null } }, 'merge');
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  /** A merge patch of the finalizer list guarded by the observed resourceVersion (a conflict retries). */
  private async removeFinalizer(node: GraphNode, finalizer: string): Promise<void> {
    const rest = node.finalizers.filter((f) => f !== finalizer);
    if (rest.length === node.finalizers.length) return;
    try {
      await this.o.client.patch(node.ref, node.namespace, node.name, { metadata: { uid: node.uid, resourceVersion: node.resourceVersion, finalizers: rest.length ? rest : null } }, 'merge');
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
