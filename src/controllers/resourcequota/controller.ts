/**
 * The resource-quota controller (pkg/controller/resourcequota/resource_quota_controller.go):
 * keeps every ResourceQuota's status.hard equal to spec.hard and status.used equal to what the
 * namespace's objects use now (pods, services, PVCs, config maps, secrets, replication
 * controllers, resource quotas, and `count/<resource>.<group>` of any other resource). The
 * ResourceQuota admission plugin charges new objects at once; this controller settles the
 * numbers afterwards, which is what credits deletions and finished pods.
 *
 * Cost: one sync per namespace with quotas when one of its tracked objects changes, O(objects
 * of the namespace) from the informer caches; `count/` of other resources lists them.
 */
import type { KubeObject } from '../../api/types.js';
import type { ApiClient, ResourceRef } from '../../client/client.js';
import { isNotFound, isConflict } from '../../client/errors.js';
import { type Informer } from '../../client/informer.js';
import { sharedInformersFor } from '../../client/shared-informers.js';
import { runWorkers, WorkQueue } from '../../client/workqueue.js';
import type { Clock } from '../../util/clock.js';
import { addLists, maskList, type ResourceList } from '../../apimachinery/quota/resources.js';
import { usageOf } from '../../apimachinery/quota/usage.js';
import { quotaMatchesPod } from '../../apimachinery/quota/scopes.js';
import { ControllerLifecycle } from '../util/lifecycle.js';

const core = (resource: string): ResourceRef => ({ group: '', version: 'v1', resource, namespaced: true });
export const RESOURCEQUOTAS = core('resourcequotas');
/** Kinds watched all the time (the evaluators kube-controller-manager registers). */
const TRACKED = ['pods', 'services', 'persistentvolumeclaims', 'configmaps', 'secrets', 'replicationcontrollers', 'resourcequotas'];

export interface ResourceQuotaControllerOptions {
  client: ApiClient;
  clock: Clock;
  /** Resolves `count/<resource>.<group>` names to a listable resource (discovery); default none. */
  resolve?: (group: string, resource: string) => ResourceRef | undefined;
  onError?: (key: string, err: unknown) => void;
}

export class ResourceQuotaController {
  private readonly o: ResourceQuotaControllerOptions;
  private readonly informers = new Map<string, Informer>();
  private readonly queue: WorkQueue<string>;
  private readonly life = new ControllerLifecycle();
  private running: Promise<void> | undefined;

  constructor(o: ResourceQuotaControllerOptions) {
    this.o = o;
    this.queue = new WorkQueue<string>({ clock: o.clock, baseDelayMs: 20, maxDelayMs: 30_000 });
    for (const r of TRACKED) {
      const inf = sharedInformersFor(o.client, o.clock).informerFor({ ref: core(r) });
      const touch = (obj: KubeObject): void => this.touch(obj.metadata.namespace as string | undefined, r === 'resourcequotas');
      inf.addHandlers({ add: touch, update: (_old, obj) => touch(obj), delete: touch });
      this.informers.set(r, inf);
    }
  }

  private get quotas(): Informer {
    return this.informers.get('resourcequotas') as Informer;
  }

  private touch(namespace: string | undefined, isQuota: boolean): void {
    if (!namespace) return;
    if (isQuota || this.quotas.list().some((q) => q.metadata.namespace === namespace)) this.queue.add(namespace);
  }

  start(): void {
    for (const i of this.informers.values()) i.start();
    this.running = this.life.afterSync([...this.informers.values()], () => runWorkers(this.queue, 2, (k) => this.sync(k), this.o.onError));
  }

  async stop(): Promise<void> {
    this.life.stop();
    for (const i of this.informers.values()) i.stop();
    this.queue.shutdown();
    await this.running;
  }

  /** The usage of every object of a resource in the namespace, per quota (scopes apply to pods). */
  private async usage(namespace: string, group: string, resource: string, quota: KubeObject, now: number): Promise<ResourceList> {
    let objs: KubeObject[];
    const inf = group === '' ? this.informers.get(resource) : undefined;
    if (inf) objs = inf.list().filter((o) => o.metadata.namespace === namespace);
    else {
      const ref = this.o.resolve?.(group, resource);
      // A resource that does not resolve or list (a CRD not served at that version) counts 0.
      objs = ref ? await this.o.client.list(ref, namespace).then((l) => l.items, () => []) : [];
    }
    let sum: ResourceList = {};
    for (const o of objs) {
      if (group === '' && resource === 'pods' && !quotaMatchesPod(quota, o, now)) continue;
      if (o.metadata.deletionTimestamp && !(group === '' && resource === 'pods')) continue;
      sum = addLists(sum, usageOf(group, resource, o, now));
    }
    return sum;
  }

  async sync(namespace: string): Promise<void> {
    const now = this.o.clock.now();
    for (const quota of this.quotas.list().filter((q) => q.metadata.namespace === namespace)) {
      const hard = ((quota.spec as { hard?: ResourceList } | undefined)?.hard) ?? {};
      const names = Object.keys(hard);
      let used: ResourceList = {};
      const resources = new Set<string>();
      for (const n of names) {
        const m = /^count\/([^.]+)(?:\.(.+))?$/.exec(n);
        if (m) resources.add(`${m[2] ?? ''}/${m[1]}`);
      }
      for (const r of TRACKED) resources.add(`/${r}`);
      for (const gr of resources) {
        const [group, resource] = gr.split('/') as [string, string];
        used = addLists(used, await this.usage(namespace, group, resource, quota, now));
      }
      used = maskList(used, names);
      for (const n of names) used[n] ??= '0';
      const status = (quota.status ?? {}) as { hard?: ResourceList; used?: ResourceList };
      if (same(status.hard, hard) && same(status.used, used)) continue;
      try {
        await this.o.client.update(RESOURCEQUOTAS, namespace, { ...quota, status: { hard, used } }, 'status');
      } catch (e) {
        if (isNotFound(e)) continue;
        if (isConflict(e)) { this.queue.addRateLimited(namespace); continue; }
        throw e;
      }
    }
  }
}

function same(a: ResourceList | undefined, b: ResourceList): boolean {
  if (!a) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => b[k] !== undefined && a[k] === b[k]);
}

