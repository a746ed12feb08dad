/**
 * The Ingress group reconciler (pkg/ingress/group_loader.go, controllers/ingress/group_controller.go):
 * an Ingress is ours when its class is `alb` (IngressClass with controller ingress.k8s.aws/alb,
 * or the `kubernetes.io/ingress.class: alb` annotation); its group is the IngressClassParams'
 * group.name, else the `group.name` annotation, else the Ingress alone. Members carry the
 * group finalizer (`group.ingress.k8s.aws/<group>` or `ingress.k8s.aws/resources`); a member
 * that is deleted or leaves is removed from the ALB, then its finalizer released. Every member
 * gets the ALB hostname in its status and a `SuccessfullyReconciled` event.
 */
import type { KubeObject } from '../../api/types.js';
import type { Elbv2Backend } from '../../aws/services/elbv2/model.js';
import type { ApiClient } from '../../client/client.js';
import { isNotFound } from '../../client/errors.js';
import type { EventRecorder } from '../../client/events.js';
import { ALB_CONTROLLER, ALB_INGRESS_CLASS, BuildModelError, parseIngressAnnotations } from './annotations.js';
import { deleteStaleBindings, upsertBindings } from './binding-objects.js';
import { INGRESSES, type ClusterCache } from './cluster-cache.js';
import { buildIngressStack, ingressStackTags, type GroupMember, type IngressParams } from './ingress-model.js';
import { groupKey, parseGroupKey, TAG_INGRESS_STACK, type GroupId } from './naming.js';
import { deleteStack, deployStack, type StackTarget } from './stack.js';

export const IMPLICIT_FINALIZER = 'ingress.k8s.aws/resources';
export const GROUP_FINALIZER_PREFIX = 'group.ingress.k8s.aws/';

export interface IngressSyncOptions {
  client: ApiClient;
  cache: ClusterCache;
  backend: Elbv2Backend;
  recorder: EventRecorder;
  clusterName: string;
  where: () => StackTarget;
}

interface ClassInfo { ours: boolean; params?: KubeObject }

export class IngressSync {
  constructor(private readonly o: IngressSyncOptions) {}

  /** Whether the Ingress is for this controller, and its IngressClassParams. */
  classOf(ing: KubeObject): ClassInfo {
    const annotated = ing.metadata.annotations?.['kubernetes.io/ingress.class'];
    if (annotated !== undefined) return { ours: annotated === ALB_INGRESS_CLASS };
    let className = (ing.spec as { ingressClassName?: string } | undefined)?.ingressClassName;
    if (!className) {
      const dflt = this.o.cache.ingressClasses.list().find((c) => c.metadata.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true');
      if (!dflt) return { ours: false };
      className = dflt.metadata.name;
    }
    const ic = this.o.cache.ingressClasses.get(className ?? '');
    if (!ic) return { ours: className === ALB_INGRESS_CLASS };
    const spec = (ic.spec ?? {}) as { controller?: string; parameters?: { apiGroup?: string; kind?: string; name?: string } };
    if (spec.controller !== ALB_CONTROLLER) return { ours: false };
    const p = spec.parameters;
    const params = p?.apiGroup === 'elbv2.k8s.aws' && p.kind === 'IngressClassParams' && p.name ? this.o.cache.ingressClassParams.get(p.name) : undefined;
    return { ours: true, ...(params ? { params } : {}) };
  }

  /** The group an Ingress belongs to now (undefined when not ours). */
  groupOf(ing: KubeObject): GroupId | undefined {
    const c = this.classOf(ing);
    if (!c.ours) return undefined;
    const fromParams = (c.params?.spec as { group?: { name?: string } } | undefined)?.group?.name;
    const name = fromParams ?? ing.metadata.annotations?.['alb.ingress.kubernetes.io/group.name'];
    return name ? { namespace: '', name, explicit: true } : { namespace: ing.metadata.namespace ?? '', name: ing.metadata.name ?? '', explicit: false };
  }

  /** Groups an Ingress is or was in (from its finalizers), as queue keys. */
  groupKeysOf(ing: KubeObject): string[] {
    const keys = new Set<string>();
    const g = this.groupOf(ing);
    if (g) keys.add(groupKey(g));
    for (const f of ing.metadata.finalizers ?? []) {
      if (f === IMPLICIT_FINALIZER) keys.add(`${ing.metadata.namespace}/${ing.metadata.name}`);
      else if (f.startsWith(GROUP_FINALIZER_PREFIX)) keys.add(f.slice(GROUP_FINALIZER_PREFIX.length));
    }
    return [...keys];
  }

  private finalizerOf(g: GroupId): string {
    return g.explicit ? `${GROUP_FINALIZER_PREFIX}${g.name}` : IMPLICIT_FINALIZER;
  }

  async sync(key: string): Promise<void> {
    const g = parseGroupKey(key);
    const fin = this.finalizerOf(g);
    const inGroup = (ing: KubeObject): boolean => !g.explicit ? ing.metadata.namespace === g.namespace && ing.metadata.name === g.name : true;
    const all = this.o.cache.ingresses.list().filter(inGroup);
    const active = all.filter((i) => !i.metadata.deletionTimestamp && (() => { const x = this.groupOf(i); return !!x && groupKey(x) === key; })());
    const leaving = all.filter((i) => !active.includes(i) && i.metadata.finalizers?.includes(fin));
    const labels = { [TAG_INGRESS_STACK]: key.replace(/\//g, '.') };
    if (active.length === 0) {
      await deleteStaleBindings(this.o.client, this.o.cache, labels, new Set());
      await deleteStack(this.o.backend, ingressStackTags(this.o.clusterName, g));
      for (const i of leaving) await this.release(i, fin);
      return;
    }
    const missing = active.filter((i) => !i.metadata.finalizers?.includes(fin));
    for (const i of missing) await this.patch(i, { metadata: { finalizers: [...(i.metadata.finalizers ?? []), fin], resourceVersion: i.metadata.resourceVersion } });
    if (missing.length) return; // updates come back through the informer
    let model;
    try {
      const members: GroupMember[] = active.map((ingress) => ({ ingress, spec: parseIngressAnnotations(ingress) }));
      model = buildIngressStack(this.o.clusterName, g, members, (ns, n) => this.o.cache.service(ns, n), this.paramsOf(active[0]));
    } catch (e) {
      if (!(e instanceof BuildModelError)) throw e;
      for (const i of active) this.o.recorder.event(i, 'Warning', 'FailedBuildModel', `Failed build model due to ${e.message}`);
      return;
    }
    const keep = new Set(model.targetGroups.map((t) => `${t.binding.namespace}/${t.name}`));
    let dns: string;
    try {
      await deleteStaleBindings(this.o.client, this.o.cache, labels, keep);
      const deployed = await deployStack(this.o.backend, this.o.where(), model);
      await upsertBindings(this.o.client, this.o.cache, model, deployed);
      dns = deployed.loadBalancer.dnsName;
    } catch (e) {
      for (const i of active) this.o.recorder.event(i, 'Warning', 'FailedDeployModel', `Failed deploy model due to ${(e as Error).message}`);
      throw e;
    }
    for (const i of active) {
      const cur = ((i.status as { loadBalancer?: { ingress?: Array<{ hostname?: string }> } } | undefined)?.loadBalancer?.ingress ?? []).map((x) => x.hostname).join(',');
      if (cur !== dns) await this.patch(i, { status: { loadBalancer: { ingress: [{ hostname: dns }] } } }, 'status');
      this.o.recorder.event(i, 'Normal', 'SuccessfullyReconciled', 'Successfully reconciled');
    }
    for (const i of leaving) await this.release(i, fin);
  }

  private paramsOf(ing: KubeObject): IngressParams {
    const p = this.classOf(ing).params;
    if (!p) return {};
    const s = (p.spec ?? {}) as { scheme?: 'internal' | 'internet-facing'; tags?: Array<{ key: string; value: string }>; loadBalancerAttributes?: Array<{ key: string; value: string }>; certificateArn?: string[]; sslPolicy?: string };
    const kv = (l?: Array<{ key: string; value: string }>): Record<string, string> => Object.fromEntries((l ?? []).map((x) => [x.key, x.value]));
    return {
      ...(s.scheme ? { scheme: s.scheme } : {}), tags: kv(s.tags), loadBalancerAttributes: kv(s.loadBalancerAttributes),
      ...(s.certificateArn ? { certificateArns: s.certificateArn } : {}), ...(s.sslPolicy ? { sslPolicy: s.sslPolicy } : {}),
    };
  }

  private async release(ing: KubeObject, fin: string): Promise<void> {
    if (!ing.metadata.deletionTimestamp) await this.patch(ing, { status: { loadBalancer: { ingress: null } } }, 'status');
    await this.patch(ing, { metadata: { finalizers: (ing.metadata.finalizers ?? []).filter((f) => f !== fin) } });
  }

  private async patch(ing: KubeObject, body: unknown, sub?: string): Promise<void> {
    try {
      await this.o.client.patch(INGRESSES, ing.metadata.namespace ?? '', ing.metadata.name ?? '', body, 'merge', sub);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
