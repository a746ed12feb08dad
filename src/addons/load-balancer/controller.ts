/**
 * The emulated AWS Load Balancer Controller: an API client of one cluster (informers + work
 * queues, as every keks controller) with three reconcilers — Services (service-sync.ts),
 * Ingress groups (ingress-sync.ts), TargetGroupBindings (bindings.ts) — over the ELBv2 backend,
 * and the traffic plane (traffic-plane.ts) that serves every load balancer it owns on loopback.
 *
 * Triggers: a Service change queues it, the bindings that name it and the Ingress groups of its
 * namespace; EndpointSlice changes queue the bindings of their Service; pod changes queue the
 * bindings of Services without slices; node changes queue every binding; Ingress, IngressClass
 * and IngressClassParams changes queue the groups involved.
 */
import type { KubeObject } from '../../api/types.js';
import type { Elbv2Backend } from '../../aws/services/elbv2/model.js';
import type { ApiClient, ResourceRef } from '../../client/client.js';
import { isConflict } from '../../client/errors.js';
import { EventRecorder } from '../../client/events.js';
import { objectKey } from '../../client/informer.js';
import { runWorkers, WorkQueue } from '../../client/workqueue.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import { ALB_CONTROLLER } from './annotations.js';
import type { Address } from './balancer.js';
import { BindingReconciler } from './bindings.js';
import { ClassicElbs } from './classic-elbs.js';
import { ClusterCache, SERVICE_NAME_LABEL } from './cluster-cache.js';
import { ensureCrds } from './crds.js';
import { IngressSync } from './ingress-sync.js';
import { TAG_INGRESS_STACK, TAG_SERVICE_STACK } from './naming.js';
import { ServiceSync } from './service-sync.js';
import type { StackTarget } from './stack.js';
import { TrafficPlane, type ListenerAddress } from './traffic-plane.js';

const INGRESS_CLASSES: ResourceRef = { group: 'networking.k8s.io', version: 'v1', resource: 'ingressclasses', namespaced: false };

export interface LoadBalancerControllerOptions {
  client: ApiClient;
  clock: Clock;
  elbv2: Elbv2Backend;
  clusterName: string;
  region: string;
  /** Account the load balancers belong to (default 000000000000). */
  accountId?: string;
  vpcId?: string;
  /** Subnets load balancers are placed in; default: one per zone of the cluster's nodes. */
  subnets?: Array<{ subnetId: string; zoneName: string }>;
  /** KEKS_HOME: listener addresses go to `<dataDir>/load-balancers/<cluster>.json`. */
  dataDir?: string;
  /** Where a pod IP's port really answers (the process runtime's resolve). */
  resolvePod?: (podIp: string, port: number) => Address | undefined;
  logger?: Logger;
  workers?: number;
  /** NLB listeners hand connections to same-process pods instead of piping (default true). */
  socketHandoff?: boolean;
  /** Serve load balancers made by hand (no cluster tag) too — for one cluster per process. */
  serveUnownedLoadBalancers?: boolean;
}

export class LoadBalancerController {
  readonly cache: ClusterCache;
  readonly plane: TrafficPlane;
  private readonly services: ServiceSync;
  private readonly ingresses: IngressSync;
  private readonly bindings: BindingReconciler;
  private readonly classic: ClassicElbs;
  private readonly svcQueue: WorkQueue<string>;
  private readonly ingQueue: WorkQueue<string>;
  private readonly tgbQueue: WorkQueue<string>;
  private readonly recorders: { service: EventRecorder; ingress: EventRecorder; tgb: EventRecorder };
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly o: LoadBalancerControllerOptions) {
    const q = (): WorkQueue<string> => new WorkQueue<string>({ clock: o.clock, baseDelayMs: 5, maxDelayMs: 30_000 });
    this.svcQueue = q();
    this.ingQueue = q();
    this.tgbQueue = q();
    this.cache = new ClusterCache(o.client, o.clock);
    const rec = (component: string): EventRecorder => new EventRecorder({ client: o.client, clock: o.clock, component });
    this.recorders = { service: rec('service'), ingress: rec('ingress'), tgb: rec('targetGroupBinding') };
    const where = (): StackTarget => this.where();
    this.classic = new ClassicElbs({
      cache: this.cache, resolvePod: o.resolvePod ?? (() => undefined), onChange: () => this.plane.refreshFile(),
      onListening: (svc, hostname, port, local) => this.recorders.service.event({ ...svc, kind: 'Service', apiVersion: 'v1' }, 'Normal', 'LocalListener', `${hostname}:${port} listening on ${local}`),
    });
    this.services = new ServiceSync({ client: o.client, cache: this.cache, backend: o.elbv2, recorder: this.recorders.service, clusterName: o.clusterName, where, classic: this.classic });
    this.ingresses = new IngressSync({ client: o.client, cache: this.cache, backend: o.elbv2, recorder: this.recorders.ingress, clusterName: o.clusterName, where });
    this.bindings = new BindingReconciler({ client: o.client, cache: this.cache, backend: o.elbv2, recorder: this.recorders.tgb, resolvePod: o.resolvePod ?? (() => undefined) });
    this.plane = new TrafficPlane({
      backend: o.elbv2, clusterName: o.clusterName, dataDir: o.dataDir, logger: o.logger, handoff: o.socketHandoff,
      extra: () => this.classic.addresses(), serveUnowned: o.serveUnownedLoadBalancers,
      resolve: (arn, t) => this.bindings.resolve(arn, t),
      onListening: (lb, l, local) => {
        const msg = `${lb.dnsName}:${l.port} listening on ${local}`;
        for (const obj of this.ownersOf(lb.tags)) (obj.kind === 'Service' ? this.recorders.service : this.recorders.ingress).event(obj, 'Normal', 'LocalListener', msg);
      },
    });
    this.wire();
  }

  /** Installs the CRDs and the `alb` IngressClass, starts informers, workers and listeners. */
  async start(): Promise<void> {
    await ensureCrds(this.o.client);
    await this.ensureIngressClass();
    if (this.stopped) return;
    this.cache.start();
    await this.cache.waitForSync();
    if (this.stopped) return;
    await this.plane.start();
    const onError = (what: string) => (key: string, err: unknown): void => this.o.logger?.debug({ key, err: (err as Error).message }, `lb: ${what} sync retry`);
    const workers = this.o.workers ?? 2;
    this.running = Promise.all([
      runWorkers(this.svcQueue, workers, (k) => this.services.sync(k), onError('service')),
      runWorkers(this.ingQueue, workers, (k) => this.ingresses.sync(k), onError('ingress')),
      runWorkers(this.tgbQueue, workers, (k) => this.bindings.sync(k), onError('targetgroupbinding')),
    ]).then(() => undefined);
  }

  addresses(): ListenerAddress[] {
    return this.plane.addresses();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cache.stop();
    this.svcQueue.shutdown();
    this.ingQueue.shutdown();
    this.tgbQueue.shutdown();
    await this.running;
    this.classic.stop();
    await this.plane.stop();
  }

  private where(): StackTarget {
    const subnets = this.o.subnets ?? [...new Set(this.cache.nodes().map((n) => n.metadata.labels?.['topology.kubernetes.io/zone']).filter((z): z is string => !!z))]
      .sort().map((z) => ({ zoneName: z, subnetId: `subnet-${Buffer.from(z).toString('hex').slice(-17).padStart(17, '0')}` }));
    return { region: this.o.region, accountId: this.o.accountId ?? '000000000000', vpcId: this.o.vpcId ?? 'vpc-0keks0000000000', subnets };
  }

  private ownersOf(tags: Array<{ key: string; value: string }>): KubeObject[] {
    const svc = tags.find((t) => t.key === TAG_SERVICE_STACK)?.value;
    if (svc) {
      const o = this.cache.services.get(svc);
      return o ? [{ ...o, kind: 'Service', apiVersion: 'v1' }] : [];
    }
    const group = tags.find((t) => t.key === TAG_INGRESS_STACK)?.value;
    if (!group) return [];
    return this.cache.ingresses.list().filter((i) => this.ingresses.groupKeysOf(i).includes(group)).map((i) => ({ ...i, kind: 'Ingress', apiVersion: 'networking.k8s.io/v1' }));
  }

  private async ensureIngressClass(): Promise<void> {
    try {
      await this.o.client.create(INGRESS_CLASSES, '', {
        apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass',
        metadata: { name: 'alb', labels: { 'app.kubernetes.io/name': 'aws-load-balancer-controller' } },
        spec: { controller: ALB_CONTROLLER },
      });
    } catch (e) {
      if (!isConflict(e)) throw e;
    }
  }

  private wire(): void {
    const c = this.cache;
    const tgbsOfService = (ns: string, name: string): void => {
      for (const b of c.bindings.list()) {
        if (b.metadata.namespace === ns && (b.spec as { serviceRef?: { name?: string } } | undefined)?.serviceRef?.name === name) this.tgbQueue.add(objectKey(b));
      }
    };
    const groupsOfNamespace = (ns: string): void => {
      for (const i of c.ingresses.list()) if (i.metadata.namespace === ns) for (const k of this.ingresses.groupKeysOf(i)) this.ingQueue.add(k);
    };
    const onService = (s: KubeObject): void => {
      this.svcQueue.add(objectKey(s));
      tgbsOfService(s.metadata.namespace ?? '', s.metadata.name ?? '');
      groupsOfNamespace(s.metadata.namespace ?? '');
    };
    c.services.addHandlers({ add: onService, update: (_o, s) => onService(s), delete: onService });
    const onSlice = (s: KubeObject): void => tgbsOfService(s.metadata.namespace ?? '', s.metadata.labels?.[SERVICE_NAME_LABEL] ?? '');
    c.slices.addHandlers({ add: onSlice, update: (_o, s) => onSlice(s), delete: onSlice });
    const onPod = (p: KubeObject): void => {
      const ns = p.metadata.namespace ?? '';
      for (const b of c.bindings.list()) {
        const svc = (b.spec as { serviceRef?: { name?: string } } | undefined)?.serviceRef?.name ?? '';
        if (b.metadata.namespace === ns && c.slicesOf(ns, svc).length === 0) this.tgbQueue.add(objectKey(b));
      }
    };
    c.pods.addHandlers({ add: onPod, update: (_o, p) => onPod(p), delete: onPod });
    const allTgbs = (): void => { for (const b of c.bindings.list()) this.tgbQueue.add(objectKey(b)); };
    c.nodeInformer.addHandlers({ add: allTgbs, update: (o, n) => { if (JSON.stringify(o.status) !== JSON.stringify(n.status) || JSON.stringify(o.metadata.labels) !== JSON.stringify(n.metadata.labels)) allTgbs(); }, delete: allTgbs });
    const onTgb = (b: KubeObject): void => this.tgbQueue.add(objectKey(b));
    c.bindings.addHandlers({ add: onTgb, update: (_o, b) => onTgb(b), delete: onTgb });
    const onIngress = (old: KubeObject | undefined, i: KubeObject): void => {
      for (const k of new Set([...(old ? this.ingresses.groupKeysOf(old) : []), ...this.ingresses.groupKeysOf(i)])) this.ingQueue.add(k);
    };
    c.ingresses.addHandlers({ add: (i) => onIngress(undefined, i), update: (o, i) => onIngress(o, i), delete: (i) => onIngress(undefined, i) });
    const allGroups = (): void => { for (const i of c.ingresses.list()) onIngress(undefined, i); };
    c.ingressClasses.addHandlers({ add: allGroups, update: allGroups, delete: allGroups });
    c.ingressClassParams.addHandlers({ add: allGroups, update: allGroups, delete: allGroups });
  }
}
