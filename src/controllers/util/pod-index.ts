/**
 * A pod index fed by a pod informer's handlers: pods by controller uid and the orphans of each
 * namespace, so a controller finds its pods without scanning every pod in the cluster (the
 * role of client-go's indexers; the controller-uid index of the ReplicaSet controller).
 */
import type { KubeObject } from '../../api/types.js';
import { objectKey } from '../../client/informer.js';
import { controllerOf } from './owner-refs.js';

export class PodIndex {
  private readonly byOwner = new Map<string, Map<string, KubeObject>>();
  private readonly orphans = new Map<string, Map<string, KubeObject>>();

  private bucket(m: Map<string, Map<string, KubeObject>>, k: string): Map<string, KubeObject> {
    let b = m.get(k);
    if (!b) { b = new Map(); m.set(k, b); }
    return b;
  }

  private where(pod: KubeObject): [Map<string, Map<string, KubeObject>>, string] {
    const ref = controllerOf(pod);
    return ref ? [this.byOwner, ref.uid] : [this.orphans, pod.metadata.namespace ?? ''];
  }

  upsert(pod: KubeObject, old?: KubeObject): void {
    if (old) this.remove(old);
    const [m, k] = this.where(pod);
    this.bucket(m, k).set(objectKey(pod), pod);
  }

  remove(pod: KubeObject): void {
    const [m, k] = this.where(pod);
    const b = m.get(k);
    if (!b) return;
    b.delete(objectKey(pod));
    if (b.size === 0) m.delete(k);
  }

  owned(uid: string): KubeObject[] {
    return [...(this.byOwner.get(uid)?.values() ?? [])];
  }

  orphansIn(namespace: string): KubeObject[] {
    return [...(this.orphans.get(namespace)?.values() ?? [])];
  }
}
