/**
 * The Fargate scheduler (EKS's `fargate-scheduler`), as a controller beside the API server: every
 * pending pod with spec.schedulerName `fargate-scheduler` (set by admission/fargate-scheduler.ts)
 * gets a dedicated Node (fargate-node.ts) created for it, is annotated with its
 * `CapacityProvisioned` size and bound to that Node through POST pods/binding; the Node is deleted
 * once its pod is gone (or replaced by a new pod of the same name). The Node's NoSchedule taint
 * keeps every other pod off it, and its simulated-node annotation gives it a kubelet.
 *
 * One controller shape (DESIGN.md): informers on pods and Fargate nodes enqueue pod keys;
 * sync(key) is idempotent and reads the caches; errors retry with backoff.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../api/types.js';
import type { ApiClient, ResourceRef } from '../client/client.js';
import { ApiError, isNotFound } from '../client/errors.js';
import { Informer, objectKey } from '../client/informer.js';
import { runWorkers, WorkQueue } from '../client/workqueue.js';
import type { Clock } from '../util/clock.js';
import { FARGATE_SCHEDULER_NAME } from '../admission/fargate-scheduler.js';
import { capacityProvisioned, COMPUTE_TYPE_LABEL, FARGATE_POD_ANNOTATION, FARGATE_POD_UID_ANNOTATION, fargateNode, fargateSize } from './fargate-node.js';

const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const NODES: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false };

export interface FargateAddress { ip: string; zone: string }

export interface FargateControllerOptions {
  client: ApiClient;
  clock: Clock;
  region: string;
  /** Zones of the cluster's private subnets (eksctl: 192.168.96.0/19, .128.0/19, .160.0/19 for zones 0..2). */
  zones: string[];
  /** Picks a Fargate node's address (e.g. Ec2Backend.allocatePrivateIp in the profile's subnets); default: the private subnets above. */
  allocateAddress?: (pod: KubeObject, used: ReadonlySet<string>) => FargateAddress;
  releaseAddress?: (addr: FargateAddress) => void;
  workers?: number;
  onError?: (key: string, err: unknown) => void;
}

function hashInt(seed: string): number {
  return parseInt(createHash('sha256').update(seed).digest('hex').slice(0, 8), 16);
}

/** A free address in zone z's private /19 (192.168.96+32z.0/19), picked by the pod's uid and probed linearly. */
export function defaultFargateAddress(pod: KubeObject, zones: string[], used: ReadonlySet<string>): FargateAddress {
  const h = hashInt(pod.metadata.uid ?? objectKey(pod));
  const zi = zones.length ? h % zones.length : 0;
  const base = (96 + zi * 32) % 256;
  for (let i = 0; i < 8000; i++) {
    const off = 16 + ((h + i * 2477) % 8000);
    const ip = `192.168.${base + (off >> 8)}.${off & 255}`;
    if ((off & 255) !== 0 && (off & 255) !== 255 && !used.has(ip)) return { ip, zone: zones[zi] ?? 'us-east-1a' };
  }
  throw new Error(`no free Fargate address in zone ${zones[zi]}`);
}

function isFargatePending(pod: KubeObject): boolean {
  const spec = (pod.spec ?? {}) as { schedulerName?: string; nodeName?: string };
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return spec.schedulerName === FARGATE_SCHEDULER_NAME && !spec.nodeName && !pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

export class FargateController {
  readonly pods: Informer;
  readonly nodes: Informer;
  private readonly o: FargateControllerOptions;
  private readonly queue: WorkQueue<string>;
  private running: Promise<void> | undefined;
  /** Pod uid → the Node created for it (covers the node informer's lag between create and its watch event). */
  private readonly createdFor = new Map<string, string>();

  constructor(opts: FargateControllerOptions) {
    this.o = opts;
    this.queue = new WorkQueue<string>({ clock: opts.clock, baseDelayMs: 20, maxDelayMs: 10_000 });
    // Only Fargate pods (schedulerName is immutable): no second copy of every pod in the cluster.
    this.pods = new Informer({ client: opts.client, ref: PODS, clock: opts.clock, fieldSelector: `spec.schedulerName=${FARGATE_SCHEDULER_NAME}` });
    this.nodes = new Informer({ client: opts.client, ref: NODES, clock: opts.clock, labelSelector: `${COMPUTE_TYPE_LABEL}=fargate` });
    const onPod = (p: KubeObject): void => {
      const s = p.spec as { schedulerName?: string } | undefined;
      if (s?.schedulerName === FARGATE_SCHEDULER_NAME) this.queue.add(objectKey(p));
    };
    this.pods.addHandlers({ add: onPod, update: (_o, p) => onPod(p), delete: onPod });
    const onNode = (n: KubeObject): void => {
      const key = n.metadata.annotations?.[FARGATE_POD_ANNOTATION];
      if (key) this.queue.add(key);
    };
    this.nodes.addHandlers({ add: onNode, update: (_o, n) => onNode(n) });
  }

  start(): void {
    this.pods.start();
    this.nodes.start();
    this.running = (async () => {
      await Promise.all([this.pods.waitForSync(), this.nodes.waitForSync()]);
      await runWorkers(this.queue, this.o.workers ?? 4, (k) => this.sync(k), this.o.onError);
    })();
  }

  async stop(): Promise<void> {
    this.queue.shutdown();
    this.pods.stop();
    this.nodes.stop();
    await this.running;
  }

  private nodesFor(key: string): KubeObject[] {
    return this.nodes.list().filter((n) => n.metadata.annotations?.[FARGATE_POD_ANNOTATION] === key);
  }

  async sync(key: string): Promise<void> {
    const pod = this.pods.get(key);
    const uid = pod?.metadata.uid;
    const mine = this.nodesFor(key);
    // Nodes whose pod is gone (or was replaced by a new pod of the same name) go away.
    for (const n of mine) {
      if (uid && n.metadata.annotations?.[FARGATE_POD_UID_ANNOTATION] === uid) continue;
      await this.deleteNode(n);
    }
    if (!pod || !isFargatePending(pod)) return;
    let node = mine.find((n) => n.metadata.annotations?.[FARGATE_POD_UID_ANNOTATION] === uid);
    const recent = uid ? this.createdFor.get(uid) : undefined;
    if (!node && recent) node = await this.o.client.get(NODES, '', recent).catch((e: unknown) => { if (isNotFound(e)) return undefined; throw e; });
    if (!node) {
      node = await this.createNode(pod);
      if (uid) this.createdFor.set(uid, node.metadata.name as string);
    }
    const { namespace, name } = pod.metadata as { namespace: string; name: string };
    const annotations = { CapacityProvisioned: capacityProvisioned(fargateSize(pod)), Logging: 'LoggingDisabled: LOGGING_CONFIGMAP_NOT_FOUND' };
    try {
      if (pod.metadata.annotations?.CapacityProvisioned !== annotations.CapacityProvisioned) {
        await this.o.client.patch(PODS, namespace, name, { metadata: { annotations } }, 'merge');
      }
      // POST .../pods/{name}/binding (ApiClient has no subresource create; the scheduler builds the path the same way).
      const ref: ResourceRef = { ...PODS, resource: `pods/${encodeURIComponent(name)}/binding` };
      await this.o.client.create(ref, namespace, {
        apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace, uid },
        target: { apiVersion: 'v1', kind: 'Node', name: node.metadata.name },
      } as KubeObject);
    } catch (e) {
      // Gone, or bound meanwhile: the next event decides.
      if (isNotFound(e) || (e instanceof ApiError && e.status === 409)) return;
      throw e;
    }
  }

  private async createNode(pod: KubeObject): Promise<KubeObject> {
    const used = new Set(this.nodes.list().map((n) => ((n.status as { addresses?: Array<{ type: string; address: string }> } | undefined)?.addresses ?? []).find((a) => a.type === 'InternalIP')?.address ?? ''));
    const addr = this.o.allocateAddress ? this.o.allocateAddress(pod, used) : defaultFargateAddress(pod, this.o.zones, used);
    const node = fargateNode({ pod, ip: addr.ip, region: this.o.region, zone: addr.zone, now: this.o.clock.now() });
    let created: KubeObject;
    try {
      created = await this.o.client.create(NODES, '', node);
    } catch (e) {
      // Created by an earlier sync the node informer has not shown yet: use it.
      if (e instanceof ApiError && e.reason === 'AlreadyExists') {
        const cur = await this.o.client.get(NODES, '', node.metadata.name as string);
        if (cur.metadata.annotations?.[FARGATE_POD_UID_ANNOTATION] === pod.metadata.uid) return cur;
      }
      this.o.releaseAddress?.(addr);
      throw e;
    }
    await this.o.client.patch(NODES, '', created.metadata.name as string, { status: node.status }, 'merge', 'status');
    return created;
  }

  private async deleteNode(n: KubeObject): Promise<void> {
    const podUid = n.metadata.annotations?.[FARGATE_POD_UID_ANNOTATION];
    if (podUid) this.createdFor.delete(podUid);
    try {
      await this.o.client.delete(NODES, '', n.metadata.name as string, { preconditions: { uid: n.metadata.uid } });
    } catch (e) {
      if (!isNotFound(e) && !(e instanceof ApiError && e.status === 409)) throw e;
    }
    const ip = ((n.status as { addresses?: Array<{ type: string; address: string }> } | undefined)?.addresses ?? []).find((a) => a.type === 'InternalIP')?.address;
    const zone = n.metadata.labels?.['topology.kubernetes.io/zone'];
    if (ip && zone) this.o.releaseAddress?.({ ip, zone });
  }
}
