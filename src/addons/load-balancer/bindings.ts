/**
 * The TargetGroupBinding reconciler (pkg/targetgroupbinding/resource_manager.go): keeps a target
 * group's registered targets equal to the bound Service port's endpoints (targets.ts), reports
 * what the emulated health check sees, and on deletion deregisters everything before releasing
 * the `elbv2.k8s.aws/resources` finalizer. Works the same for the bindings the controller
 * creates for its Services/Ingresses and for bindings users write against their own groups.
 *
 * It also remembers, per instance-mode group, which endpoints each node's NodePort reaches
 * (kube-proxy: all ready endpoints with externalTrafficPolicy Cluster, the node's own with
 * Local), so the traffic plane can send a connection for `instance:nodePort` to a real pod.
 */
import type { KubeObject } from '../../api/types.js';
import type { Elbv2Backend, TargetDoc } from '../../aws/services/elbv2/model.js';
import type { ApiClient } from '../../client/client.js';
import { isNotFound } from '../../client/errors.js';
import type { EventRecorder } from '../../client/events.js';
import type { Address } from './balancer.js';
import type { ClusterCache } from './cluster-cache.js';
import { TARGET_GROUP_BINDINGS } from './crds.js';
import { eligibleNodes, findServicePort, instanceTargets, ipTargets, serviceEndpoints, type Endpoint } from './targets.js';

export const TGB_FINALIZER = 'elbv2.k8s.aws/resources';

function internalIp(node: KubeObject | undefined): string {
  const addrs = (node?.status as { addresses?: Array<{ type: string; address: string }> } | undefined)?.addresses ?? [];
  return addrs.find((a) => a.type === 'InternalIP')?.address ?? '';
}

interface TgbSpec {
  targetGroupARN?: string;
  targetType?: 'ip' | 'instance';
  serviceRef?: { name: string; port: number | string };
  nodeSelector?: { matchLabels?: Record<string, string> };
}

interface InstanceRoute { local: boolean; endpoints: Endpoint[]; nodeOf: Map<string, string>; nodeIp: Map<string, string>; next: number }

export interface BindingReconcilerOptions {
  client: ApiClient;
  cache: ClusterCache;
  backend: Elbv2Backend;
  recorder: EventRecorder;
  /** Where a pod IP's port really answers (the process runtime). */
  resolvePod(ip: string, port: number): Address | undefined;
}

export class BindingReconciler {
  private readonly routes = new Map<string, InstanceRoute>();
  private readonly reported = new Set<string>();

  constructor(private readonly o: BindingReconcilerOptions) {}

  async sync(key: string): Promise<void> {
    const tgb = this.o.cache.bindings.get(key);
    if (!tgb) return;
    const spec = (tgb.spec ?? {}) as TgbSpec;
    const arn = spec.targetGroupARN ?? '';
    const ns = tgb.metadata.namespace ?? '';
    const finalizers = tgb.metadata.finalizers ?? [];
    if (tgb.metadata.deletionTimestamp) {
      if (!finalizers.includes(TGB_FINALIZER)) return;
      await this.deregisterAll(arn);
      this.routes.delete(arn);
      await this.patchFinalizers(tgb, finalizers.filter((f) => f !== TGB_FINALIZER));
      return;
    }
    if (!finalizers.includes(TGB_FINALIZER)) await this.patchFinalizers(tgb, [...finalizers, TGB_FINALIZER]);
    const tg = this.o.backend.targetGroup(arn);
    if (!tg) {
      this.warnOnce(tgb, 'FailedNetworkReconcile', `target group not found: ${arn}`);
      return;
    }
    const svc = spec.serviceRef ? this.o.cache.service(ns, spec.serviceRef.name) : undefined;
    const port = svc && spec.serviceRef ? findServicePort(svc, spec.serviceRef.port) : undefined;
    if (!svc || !port) {
      this.warnOnce(tgb, 'BackendNotFound', svc ? `backend not found: port ${String(spec.serviceRef?.port)} of Service "${spec.serviceRef?.name}"` : `backend not found: Service "${spec.serviceRef?.name ?? ''}" not found`);
      await this.deregisterAll(arn);
      return;
    }
    const targetType = spec.targetType ?? tg.targetType;
    const endpoints = serviceEndpoints(this.o.cache, svc, port);
    let desired;
    if (targetType === 'ip') {
      desired = ipTargets(endpoints);
      this.routes.delete(arn);
    } else {
      const nodes = eligibleNodes(this.o.cache, spec.nodeSelector?.matchLabels);
      const local = (svc.spec as { externalTrafficPolicy?: string }).externalTrafficPolicy === 'Local';
      desired = port.nodePort ? instanceTargets(nodes, port.nodePort, endpoints, local) : [];
      const prev = this.routes.get(arn);
      this.routes.set(arn, {
        local, endpoints: endpoints.filter((e) => e.ready && !e.terminating), nodeOf: new Map(nodes.map((n) => [n.instanceId, n.name])),
        nodeIp: new Map(nodes.map((n) => [n.instanceId, internalIp(this.o.cache.nodeInformer.get(n.name))])), next: prev?.next ?? 0,
      });
    }
    const current = this.o.backend.targetHealth(arn).filter((t) => t.state !== 'draining');
    const k = (t: { id: string; port: number }): string => `${t.id}:${t.port}`;
    const want = new Map(desired.map((t) => [k(t), t]));
    const have = new Map(current.map((t) => [k(t), t]));
    const add = desired.filter((t) => !have.has(k(t)));
    const remove = current.filter((t) => !want.has(k(t)));
    if (add.length) await this.o.backend.registerTargets(arn, add);
    if (remove.length) await this.o.backend.deregisterTargets(arn, remove.map((t) => ({ id: t.id, port: t.port })));
    const verdicts = desired.filter((t) => have.has(k(t)) && (have.get(k(t)) as TargetDoc).probe !== t.healthy);
    if (verdicts.length) await this.o.backend.reportHealth(arn, verdicts);
    if (!this.reported.has(`${tgb.metadata.uid}/${tgb.metadata.generation}`)) {
      this.reported.add(`${tgb.metadata.uid}/${tgb.metadata.generation}`);
      this.o.recorder.event(tgb, 'Normal', 'SuccessfullyReconciled', 'Successfully reconciled');
      if ((tgb.status as { observedGeneration?: number } | undefined)?.observedGeneration !== tgb.metadata.generation) {
        try {
          await this.o.client.patch(TARGET_GROUP_BINDINGS, ns, tgb.metadata.name ?? '', { status: { observedGeneration: tgb.metadata.generation } }, 'merge', 'status');
        } catch (e) { if (!isNotFound(e)) throw e; }
      }
    }
  }

  /**
   * Where a target of a group really answers: the pod itself (ip), or a pod its node reaches
   * (instance; with externalTrafficPolicy Cluster kube-proxy SNATs to the node IP, so that is
   * the source the pod sees; with Local the client's address is kept).
   */
  resolve(targetGroupArn: string, t: TargetDoc): Address | undefined {
    const route = this.routes.get(targetGroupArn);
    if (!route) return this.o.resolvePod(t.id, t.port);
    const node = route.nodeOf.get(t.id);
    const candidates = route.local ? route.endpoints.filter((e) => e.nodeName === node) : route.endpoints;
    for (let i = 0; i < candidates.length; i++) {
      const e = candidates[route.next++ % candidates.length];
      const a = this.o.resolvePod(e.ip, e.port);
      if (a) return route.local ? a : { ...a, source: route.nodeIp.get(t.id) || undefined };
    }
    return undefined;
  }

  forgetWarnings(tgb: KubeObject): void {
    for (const k of [...this.reported]) if (k.startsWith(`warn/${tgb.metadata.uid}/`)) this.reported.delete(k);
  }

  private warnOnce(tgb: KubeObject, reason: string, message: string): void {
    const k = `warn/${tgb.metadata.uid}/${reason}/${message}`;
    if (this.reported.has(k)) return;
    this.reported.add(k);
    this.o.recorder.event(tgb, 'Warning', reason, message);
  }

  private async deregisterAll(arn: string): Promise<void> {
    if (!this.o.backend.targetGroup(arn)) return;
    const live = this.o.backend.targetHealth(arn).filter((t) => t.state !== 'draining');
    if (live.length) await this.o.backend.deregisterTargets(arn, live.map((t) => ({ id: t.id, port: t.port })));
  }

  private async patchFinalizers(tgb: KubeObject, finalizers: string[]): Promise<void> {
    try {
      await this.o.client.patch(TARGET_GROUP_BINDINGS, tgb.metadata.namespace ?? '', tgb.metadata.name ?? '', { metadata: { finalizers, resourceVersion: tgb.metadata.resourceVersion } }, 'merge');
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
