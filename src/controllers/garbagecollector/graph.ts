/**
 * The garbage collector's dependency graph (garbagecollector/graph.go, graph_builder.go): one
 * node per observed object (identity, owner references, deletion state — metadata only), and
 * for every owner uid the set of dependents that name it, whether or not the owner itself has
 * been observed (upstream's "virtual" nodes). The builder reports what needs attention.
 */
import type { KubeObject, OwnerReference } from '../../api/types.js';
import type { ResourceRef } from '../../client/client.js';

export const FOREGROUND = 'foregroundDeletion';
export const ORPHAN = 'orphan';

export interface GraphNode {
  uid: string;
  ref: ResourceRef;
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  owners: OwnerReference[];
  deleting: boolean;
  finalizers: string[];
  resourceVersion: string;
}

/** What the graph builder asks the collector to do after an event. */
export interface GraphWork {
  attemptToDelete: string[];
  orphan: string[];
}

export class DependencyGraph {
  readonly nodes = new Map<string, GraphNode>();
  private readonly dependents = new Map<string, Set<string>>();

  dependentsOf(uid: string): GraphNode[] {
    const out: GraphNode[] = [];
    for (const d of this.dependents.get(uid) ?? []) {
      const n = this.nodes.get(d);
      if (n) out.push(n);
    }
    return out;
  }

  hasDependents(uid: string): boolean {
    return this.dependentsOf(uid).length > 0;
  }

  private link(node: GraphNode): void {
    for (const o of node.owners) {
      let s = this.dependents.get(o.uid);
      if (!s) { s = new Set(); this.dependents.set(o.uid, s); }
      s.add(node.uid);
    }
  }

  private unlink(node: GraphNode): void {
    for (const o of node.owners) {
      const s = this.dependents.get(o.uid);
      if (!s) continue;
      s.delete(node.uid);
      if (s.size === 0) this.dependents.delete(o.uid);
    }
  }

  /** processGraphChanges for an added or updated object. */
  upsert(obj: KubeObject, ref: ResourceRef, apiVersion: string, kind: string): GraphWork {
    const m = obj.metadata;
    const uid = m.uid as string;
    const work: GraphWork = { attemptToDelete: [], orphan: [] };
    const old = this.nodes.get(uid);
    const node: GraphNode = {
      uid, ref, apiVersion, kind, namespace: m.namespace ?? '', name: m.name as string,
      owners: m.ownerReferences ?? [], deleting: !!m.deletionTimestamp, finalizers: m.finalizers ?? [], resourceVersion: m.resourceVersion ?? '',
    };
    if (old) this.unlink(old);
    this.nodes.set(uid, node);
    this.link(node);
    // A newly observed owner: dependents waiting on it may now be resolved (nothing to do), but
    // dependents of an owner observed as deleting in foreground need attention.
    const ownersChanged = !old || JSON.stringify(old.owners) !== JSON.stringify(node.owners);
    if (ownersChanged) {
      // Owners gone or never observed: verify (attemptToDelete checks them against the API).
      if (node.owners.some((o) => !this.nodes.has(o.uid) || this.nodes.get(o.uid)!.deleting)) work.attemptToDelete.push(uid);
      // Owners removed from the list: a foreground-deleting one may now be unblocked.
      for (const o of old?.owners ?? []) if (!node.owners.some((n) => n.uid === o.uid) && this.nodes.get(o.uid)?.deleting) work.attemptToDelete.push(o.uid);
    }
    if (node.deleting) {
      if (node.finalizers.includes(FOREGROUND)) {
        work.attemptToDelete.push(uid);
        for (const d of this.dependentsOf(uid)) work.attemptToDelete.push(d.uid);
      }
      if (node.finalizers.includes(ORPHAN)) work.orphan.push(uid);
      // A dependent being deleted may unblock an owner deleting in foreground.
      if (!old?.deleting) for (const o of node.owners) if (this.nodes.get(o.uid)?.finalizers.includes(FOREGROUND)) work.attemptToDelete.push(o.uid);
    }
    return work;
  }

  /** processGraphChanges for a deleted object: its dependents and foreground-deleting owners need attention. */
  remove(obj: KubeObject): GraphWork {
    const uid = obj.metadata.uid as string;
    const work: GraphWork = { attemptToDelete: [], orphan: [] };
    const node = this.nodes.get(uid);
    if (!node) return work;
    this.unlink(node);
    this.nodes.delete(uid);
    for (const d of this.dependents.get(uid) ?? []) work.attemptToDelete.push(d);
    for (const o of node.owners) {
      const owner = this.nodes.get(o.uid);
      if (owner?.deleting && owner.finalizers.includes(FOREGROUND)) work.attemptToDelete.push(o.uid);
    }
    return work;
  }
}
