/**
 * The DaemonSet controller (pkg/controller/daemon/daemon_controller.go syncDaemonSet and
 * update.go): keeps one pod of the current template on every eligible node (eligibility.ts),
 * pinned there by node affinity and bound by the scheduler; follows nodes joining, leaving and
 * changing labels or taints; replaces old pods by RollingUpdate (maxUnavailable / maxSurge) or
 * OnDelete; keeps ControllerRevisions (`<ds>-<hash>`, pods labelled `controller-revision-hash`
 * and `pod-template-generation`) and writes status. Expectations stop a stale cache from
 * creating a second pod on a node.
 *
 * Cost per sync: O(nodes + the DaemonSet's pods) from the caches; node changes that matter
 * (labels, taints, existence) resync every DaemonSet, as upstream's nodeAdd/nodeUpdate do.
 */
import type { KubeObject } from '../../api/types.js';
import { labelSelectorFromMeta, type LabelSelector, type MetaLabelSelector } from '../../apimachinery/labels.js';
import type { ApiClient } from '../../client/client.js';
import { isNotFound } from '../../client/errors.js';
import { EventRecorder } from '../../client/events.js';
import { type Informer, objectKey } from '../../client/informer.js';
import { sharedInformersFor } from '../../client/shared-informers.js';
import { runWorkers, WorkQueue } from '../../client/workqueue.js';
import type { Clock } from '../../util/clock.js';
import { canonicalJson, computeTemplateHash } from '../util/hash.js';
import { ensureRevision, POD_REVISION_LABEL, REVISION_HASH_LABEL, truncateHistory } from '../util/history.js';
import { ControllerExpectations, DeletionTracker } from '../util/expectations.js';
import { ControllerLifecycle } from '../util/lifecycle.js';
import { NamespaceIndex } from '../util/namespace-index.js';
import { adoptPatch, controllerOf, newControllerRef } from '../util/owner-refs.js';
import { PodIndex } from '../util/pod-index.js';
import { msUntilAvailable } from '../util/pods.js';
import { keyOf, PODS, withKind } from '../util/resources.js';
import { CONTROLLERREVISIONS, DAEMONSETS, NODES } from '../util/workload-refs.js';
import { addDaemonTolerations, nodeShouldRunDaemonPod, pinToNode, targetNode, type Eligibility, type PodSpecShape } from './eligibility.js';
import { computeDsStatus, planNodes, planRollingUpdate, updateBudgets, type NodePlanInput } from './plan.js';

/** daemon_controller.go BurstReplicas: pod creations or deletions per sync. */
export const BURST_REPLICAS = 250;

export interface DaemonSetControllerOptions {
  client: ApiClient;
  clock: Clock;
  workers?: number;
  onError?: (key: string, err: unknown) => void;
}

interface DsSpec {
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  updateStrategy?: { type?: string; rollingUpdate?: { maxUnavailable?: number | string; maxSurge?: number | string } };
  template?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: PodSpecShape };
}

export class DaemonSetController {
  readonly dsInformer: Informer;
  readonly podInformer: Informer;
  readonly nodeInformer: Informer;
  readonly revInformer: Informer;
  private readonly o: DaemonSetControllerOptions;
  private readonly queue: WorkQueue<string>;
  private readonly pods = new PodIndex();
  private readonly dsByNamespace: NamespaceIndex;
  private readonly expectations: ControllerExpectations;
  private readonly deletions: DeletionTracker;
  private readonly recorder: EventRecorder;
  private running: Promise<void> | undefined;
  private readonly life = new ControllerLifecycle();

  constructor(opts: DaemonSetControllerOptions) {
    this.o = opts;
    this.queue = new WorkQueue<string>({ clock: opts.clock, baseDelayMs: 5, maxDelayMs: 30_000 });
    this.expectations = new ControllerExpectations(opts.clock);
    this.deletions = new DeletionTracker(this.expectations);
    this.recorder = new EventRecorder({ client: opts.client, clock: opts.clock, component: 'daemonset-controller' });
    this.dsInformer = sharedInformersFor(opts.client, opts.clock).informerFor({ ref: DAEMONSETS });
    this.podInformer = sharedInformersFor(opts.client, opts.clock).informerFor({ ref: PODS });
    this.nodeInformer = sharedInformersFor(opts.client, opts.clock).informerFor({ ref: NODES });
    this.revInformer = sharedInformersFor(opts.client, opts.clock).informerFor({ ref: CONTROLLERREVISIONS });
    this.dsByNamespace = new NamespaceIndex(this.dsInformer);
    const enqueue = (d: KubeObject): void => this.queue.add(objectKey(d));
    this.dsInformer.addHandlers({ add: enqueue, update: (_o, d) => enqueue(d), delete: (d) => { this.deletions.delete(objectKey(d)); enqueue(d); } });
    this.podInformer.addHandlers({
      add: (p) => { this.pods.upsert(p); const k = this.ownerKey(p); if (k) { this.expectations.creationObserved(k); this.queue.add(k); } else this.orphanChanged(p); },
      update: (old, p) => {
        this.pods.upsert(p, old);
        const k = this.ownerKey(p);
        if (k && p.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) this.deletions.deletionObserved(k, objectKey(p));
        const ok = this.ownerKey(old);
        if (ok && ok !== k) this.queue.add(ok);
        if (k) this.queue.add(k); else this.orphanChanged(p);
      },
      delete: (p) => { this.pods.remove(p); const k = this.ownerKey(p); if (k) { this.deletions.deletionObserved(k, objectKey(p)); this.queue.add(k); } },
    });
    const allSets = (): void => { for (const d of this.dsInformer.list()) enqueue(d); };
    this.nodeInformer.addHandlers({
      add: allSets,
      delete: allSets,
      update: (old, n) => { if (schedulingRelevant(old) !== schedulingRelevant(n)) allSets(); },
    });
  }

  start(): void {
    const all = [this.dsInformer, this.podInformer, this.nodeInformer, this.revInformer];
    for (const i of all) i.start();
    this.running = this.life.afterSync(all, () => runWorkers(this.queue, this.o.workers ?? 2, (k) => this.sync(k), this.o.onError));
  }

  async stop(): Promise<void> {
    this.life.stop();
    for (const i of [this.dsInformer, this.podInformer, this.nodeInformer, this.revInformer]) i.stop();
    this.queue.shutdown();
    await this.running;
  }

  private ownerKey(pod: KubeObject): string | undefined {
    const ref = controllerOf(pod);
    if (!ref || ref.kind !== 'DaemonSet') return undefined;
    const key = keyOf(pod.metadata.namespace, ref.name);
    return this.dsInformer.get(key)?.metadata.uid === ref.uid ? key : undefined;
  }

  private orphanChanged(pod: KubeObject): void {
    if (controllerOf(pod)) return;
    for (const d of this.dsByNamespace.list(pod.metadata.namespace ?? '')) if (selectorOf(d)?.matches(pod.metadata.labels ?? {})) this.queue.add(objectKey(d));
  }

  async sync(key: string): Promise<void> {
    const cached = this.dsInformer.get(key);
    if (!cached) { this.deletions.delete(key); return; }
    const ds = withKind(cached, 'apps/v1', 'DaemonSet');
    const selector = selectorOf(ds);
    if (!selector) return;
    const spec = (ds.spec ?? {}) as DsSpec;
    const ns = ds.metadata.namespace as string;
    const ownerRef = newControllerRef(ds, 'apps/v1', 'DaemonSet');
    const status = (ds.status ?? {}) as { collisionCount?: number };
    const owned = this.revInformer.list().filter((r) => r.metadata.namespace === ns && controllerOf(r)?.uid === ds.metadata.uid);
    const rev = await ensureRevision({
      client: this.o.client, owner: ds, ownerRef, revisions: owned, collisionCount: status.collisionCount ?? 0,
      hashOf: (c) => computeTemplateHash(spec.template ?? {}, c),
    });
    const hash = rev.revision.metadata.labels?.[REVISION_HASH_LABEL] ?? '';
    const pods = await this.claimPods(ds, selector);
    const input = this.planInput(ds, spec, pods, hash);

    if (this.expectations.satisfied(key) && !ds.metadata.deletionTimestamp) {
      const plan = planNodes(input);
      let createOn = plan.createOn;
      let deletes = plan.deletes;
      if ((spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && createOn.length === 0 && deletes.length === 0) {
        const ru = planRollingUpdate({ ...input, maxSurge: spec.updateStrategy?.rollingUpdate?.maxSurge, maxUnavailable: spec.updateStrategy?.rollingUpdate?.maxUnavailable });
        createOn = ru.createOn;
        deletes = ru.deletes;
      }
      for (const f of plan.failed) {
        this.recorder.event(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${ns}/${f.pod.metadata.name} on node ${f.node}, will try to kill it`);
      }
      await this.apply(key, ds, spec, hash, createOn, deletes);
    }

    const next = computeDsStatus(input);
    const fresh: Record<string, number> = { ...next, collisionCount: rev.collisionCount };
    const prev = (ds.status ?? {}) as Record<string, unknown>;
    // Zero counters may be omitted on the wire: compare them as present.
    if (Object.entries(fresh).some(([k, v]) => (prev[k] ?? 0) !== v)) {
      const full = { ...prev, ...fresh };
      try {
        await this.o.client.update(DAEMONSETS, ns, { ...ds, status: full }, 'status');
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    const live = new Set([rev.revision.metadata.name as string]);
    for (const p of pods) { const h = p.metadata.labels?.[POD_REVISION_LABEL]; if (h) live.add(`${ds.metadata.name}-${h}`); }
    await truncateHistory(this.o.client, rev.revisions, live, spec.revisionHistoryLimit ?? 10);
    if (input.minReadySeconds > 0) {
      const waits = pods.map((p) => msUntilAvailable(p, input.minReadySeconds, input.now)).filter((x): x is number => x !== undefined);
      if (waits.length) this.queue.addAfter(key, Math.min(...waits) + 10);
    }
  }

  private planInput(ds: KubeObject, spec: DsSpec, pods: KubeObject[], hash: string): NodePlanInput {
    const nodes = new Map<string, Eligibility>();
    for (const n of this.nodeInformer.list()) nodes.set(n.metadata.name as string, nodeShouldRunDaemonPod(spec.template?.spec ?? {}, n));
    const podsByNode = new Map<string, KubeObject[]>();
    const terminatingOn = new Set<string>();
    for (const p of pods) {
      const node = targetNode(p);
      if (node && p.metadata.deletionTimestamp) terminatingOn.add(node);
      if (!node || p.metadata.deletionTimestamp) continue;
      const l = podsByNode.get(node);
      if (l) l.push(p); else podsByNode.set(node, [p]);
    }
    const input: NodePlanInput = {
      nodes, podsByNode, hash, generation: ds.metadata.generation ?? 0, minReadySeconds: spec.minReadySeconds ?? 0, now: this.o.clock.now(), surging: false, terminatingOn,
    };
    input.surging = (spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate'
      && updateBudgets({ ...input, maxSurge: spec.updateStrategy?.rollingUpdate?.maxSurge, maxUnavailable: undefined }).maxSurge > 0;
    return input;
  }

  /** Creates pods on `createOn` and deletes `deletes`, under expectations, with upstream's events. */
  private async apply(key: string, ds: KubeObject, spec: DsSpec, hash: string, createOn: string[], deletes: KubeObject[]): Promise<void> {
    const ns = ds.metadata.namespace as string;
    const ownerRef = newControllerRef(ds, 'apps/v1', 'DaemonSet');
    // At most BurstReplicas creations and deletions per sync (daemon_controller.go); the rest next time.
    createOn = createOn.slice(0, BURST_REPLICAS);
    deletes = deletes.slice(0, BURST_REPLICAS);
    this.expectations.expect(key, createOn.length, 0);
    this.deletions.expectDeletions(key, deletes.map(objectKey));
    const errors: unknown[] = [];
    const create = async (node: string): Promise<void> => {
      const t = spec.template ?? {};
      const podSpec = structuredClone(t.spec ?? {}) as PodSpecShape;
      addDaemonTolerations(podSpec);
      pinToNode(podSpec, node);
      const labels = { ...(t.metadata?.labels ?? {}), [POD_REVISION_LABEL]: hash, 'pod-template-generation': String(ds.metadata.generation ?? 0) };
      const pod: KubeObject = {
        apiVersion: 'v1', kind: 'Pod',
        metadata: { generateName: `${ds.metadata.name}-`, namespace: ns, labels, ownerReferences: [ownerRef], ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}) },
        spec: podSpec,
      };
      try {
        const created = await this.o.client.create(PODS, ns, pod);
        this.recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
      } catch (e) {
        this.expectations.creationObserved(key);
        this.recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`);
        errors.push(e);
      }
    };
    // Slow start (1, 2, 4, … at once), stopping after a failing batch; skipped creations are not expected.
    let done = 0;
    for (let batch = 1; done < createOn.length && !errors.length; batch *= 2) {
      const chunk = createOn.slice(done, done + batch);
      await Promise.all(chunk.map(create));
      done += chunk.length;
    }
    for (let i = done; i < createOn.length; i++) this.expectations.creationObserved(key);
    await Promise.all(deletes.map(async (pod) => {
      try {
        // A pod whose node is gone has no kubelet to finish a graceful deletion: force it (as PodGC does).
        const node = targetNode(pod);
        const gone = !!node && !this.nodeInformer.get(node);
        await this.o.client.delete(PODS, ns, pod.metadata.name as string, { preconditions: { uid: pod.metadata.uid }, ...(gone ? { gracePeriodSeconds: 0 } : {}) });
        this.recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
      } catch (e) {
        this.deletions.deletionObserved(key, objectKey(pod));
        if (isNotFound(e)) return;
        this.recorder.event(ds, 'Warning', 'FailedDelete', `Error deleting: ${(e as Error).message}`);
        errors.push(e);
      }
    }));
    if (errors.length) throw errors[0];
  }

  /** Owned pods matching the selector; matching orphans are adopted. */
  private async claimPods(ds: KubeObject, selector: LabelSelector): Promise<KubeObject[]> {
    const ns = ds.metadata.namespace as string;
    const out = this.pods.owned(ds.metadata.uid as string).filter((p) => selector.matches(p.metadata.labels ?? {}));
    if (ds.metadata.deletionTimestamp) return out;
    const ref = newControllerRef(ds, 'apps/v1', 'DaemonSet');
    for (const pod of this.pods.orphansIn(ns)) {
      if (pod.metadata.deletionTimestamp || !selector.matches(pod.metadata.labels ?? {})) continue;
      try {
        out.push(await this.o.client.patch(PODS, ns, pod.metadata.name as string, adoptPatch(pod, ref), 'merge'));
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    return out;
  }
}

/** What of a node decides daemon placement: labels, taints, unschedulable (nodeUpdate's shouldIgnoreNodeUpdate, inverted). */
function schedulingRelevant(n: KubeObject): string {
  const spec = (n.spec ?? {}) as { taints?: unknown; unschedulable?: boolean };
  return canonicalJson({ l: n.metadata.labels ?? {}, t: spec.taints ?? [], u: !!spec.unschedulable });
}

function selectorOf(ds: KubeObject): LabelSelector | undefined {
  try {
    const s = labelSelectorFromMeta((ds.spec as { selector?: MetaLabelSelector } | undefined)?.selector);
    return s.empty ? undefined : s;
  } catch {
    return undefined;
  }
}
