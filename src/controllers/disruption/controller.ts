/**
 * The disruption controller (pkg/controller/disruption/disruption.go): keeps every
 * PodDisruptionBudget's status (expectedPods, currentHealthy, desiredHealthy,
 * disruptionsAllowed, the DisruptionAllowed condition) in line with the pods its selector
 * matches. The eviction subresource reads and decrements status.disruptionsAllowed.
 *
 * Cost per sync: O(pods in the PDB's namespace) through a namespace index, at most one status
 * write; a pod event re-queues only the PDBs of the pod's namespace.
 */
import type { KubeObject } from '../../api/types.js';
import { labelSelectorFromMeta, type MetaLabelSelector } from '../../apimachinery/labels.js';
import type { ApiClient, ResourceRef } from '../../client/client.js';
import { isNotFound } from '../../client/errors.js';
import { type Informer, objectKey } from '../../client/informer.js';
import { sharedInformersFor } from '../../client/shared-informers.js';
import { runWorkers, WorkQueue } from '../../client/workqueue.js';
import type { Clock } from '../../util/clock.js';
import { formatTime as rfc3339 } from '../../apimachinery/time.js';
import { ControllerLifecycle } from '../util/lifecycle.js';
import { NamespaceIndex } from '../util/namespace-index.js';
import { PODS, withKind } from '../util/resources.js';
import { calculatePdbStatus, pdbStatusChanged } from './status.js';

export const PDBS: ResourceRef = { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', namespaced: true };

export interface DisruptionControllerOptions {
  client: ApiClient;
  clock: Clock;
  workers?: number;
  onError?: (key: string, err: unknown) => void;
}

export class DisruptionController {
  readonly pdbInformer: Informer;
  readonly podInformer: Informer;
  private readonly o: DisruptionControllerOptions;
  private readonly queue: WorkQueue<string>;
  private readonly pdbsByNs: NamespaceIndex;
  private readonly podsByNs: NamespaceIndex;
  private readonly life = new ControllerLifecycle();
  private running: Promise<void> | undefined;

  constructor(opts: DisruptionControllerOptions) {
    this.o = opts;
    this.queue = new WorkQueue<string>({ clock: opts.clock, baseDelayMs: 5, maxDelayMs: 30_000 });
    this.pdbInformer = sharedInformersFor(opts.client, opts.clock).informerFor({ ref: PDBS });
    this.podInformer = sharedInformersFor(opts.client, opts.clock).informerFor({ ref: PODS });
    this.pdbsByNs = new NamespaceIndex(this.pdbInformer);
    this.podsByNs = new NamespaceIndex(this.podInformer);
    this.pdbInformer.addHandlers({
      add: (p) => this.queue.add(objectKey(p)),
      update: (_o, p) => this.queue.add(objectKey(p)),
      delete: () => undefined,
    });
    const touch = (pod: KubeObject): void => {
      for (const pdb of this.pdbsByNs.list(pod.metadata.namespace ?? '')) this.queue.add(objectKey(pdb));
    };
    this.podInformer.addHandlers({ add: touch, update: (_o, p) => touch(p), delete: touch });
  }

  start(): void {
    this.pdbInformer.start();
    this.podInformer.start();
    this.running = this.life.afterSync([this.pdbInformer, this.podInformer], () => runWorkers(this.queue, this.o.workers ?? 2, (k) => this.sync(k), this.o.onError));
  }

  async stop(): Promise<void> {
    this.life.stop();
    this.pdbInformer.stop();
    this.podInformer.stop();
    this.queue.shutdown();
    await this.running;
  }

  /** sync / trySync: recompute one PDB's status. */
  async sync(key: string): Promise<void> {
    const cached = this.pdbInformer.get(key);
    if (!cached) return;
    const pdb = withKind(cached, 'policy/v1', 'PodDisruptionBudget');
    const ns = pdb.metadata.namespace ?? '';
    let pods: KubeObject[] = [];
    try {
      const sel = labelSelectorFromMeta((pdb.spec as { selector?: MetaLabelSelector } | undefined)?.selector);
      // policy/v1: an empty selector matches every pod of the namespace.
      pods = this.podsByNs.list(ns).filter((p) => sel.matches(p.metadata.labels ?? {}));
    } catch {
      pods = [];
    }
    const status = calculatePdbStatus(pdb, pods, rfc3339(this.o.clock.now()));
    if (!pdbStatusChanged(pdb, status)) return;
    try {
      await this.o.client.update(PDBS, ns, { ...pdb, status }, 'status');
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
