/**
 * The Service reconciler (pkg/service/service_controller.go): Services of type LoadBalancer with
 * `spec.loadBalancerClass: service.k8s.aws/nlb` or `aws-load-balancer-type: external|nlb-ip`
 * get an NLB stack, the `service.k8s.aws/resources` finalizer, `status.loadBalancer.ingress
 * [].hostname`, and a `SuccessfullyReconciled` event (`FailedBuildModel` / `FailedDeployModel`
 * warnings otherwise). When the Service goes (or stops asking), the stack is deleted and the
 * finalizer released.
 *
 * What the in-tree cloud provider would do for the rest is emulated alongside: `type: nlb`
 * Services get an NLB named `a<uid>` in instance mode (finalizer
 * service.kubernetes.io/load-balancer-cleanup), other LoadBalancer Services a classic-ELB
 * hostname `a<uid>-<digits>.<region>.elb.amazonaws.com` (events EnsuringLoadBalancer /
 * EnsuredLoadBalancer, as the service controller records).
 */
import type { KubeObject } from '../../api/types.js';
import type { Elbv2Backend } from '../../aws/services/elbv2/model.js';
import type { ApiClient } from '../../client/client.js';
import { isNotFound } from '../../client/errors.js';
import type { EventRecorder } from '../../client/events.js';
import { BuildModelError, serviceLbMode } from './annotations.js';
import { deleteStaleBindings, upsertBindings } from './binding-objects.js';
import { SERVICES, type ClusterCache } from './cluster-cache.js';
import { classicElbHostname, legacyLoadBalancerName } from './naming.js';
import { buildServiceStack, SERVICE_STACK_NAME_LABEL, SERVICE_STACK_NAMESPACE_LABEL, serviceStackTags } from './service-model.js';
import { deleteStack, deployStack, type StackTarget } from './stack.js';
import type { ClassicElbs } from './classic-elbs.js';

export const SERVICE_FINALIZER = 'service.k8s.aws/resources';
export const LEGACY_FINALIZER = 'service.kubernetes.io/load-balancer-cleanup';

export interface ServiceSyncOptions {
  client: ApiClient;
  cache: ClusterCache;
  backend: Elbv2Backend;
  recorder: EventRecorder;
  clusterName: string;
  where: () => StackTarget;
  /** Listeners of classic (in-tree) load balancers. */
  classic?: ClassicElbs;
}

function hostnames(svc: KubeObject): string[] {
  return ((svc.status as { loadBalancer?: { ingress?: Array<{ hostname?: string }> } } | undefined)?.loadBalancer?.ingress ?? []).map((i) => i.hostname ?? '');
}

export class ServiceSync {
  constructor(private readonly o: ServiceSyncOptions) {}

  async sync(key: string): Promise<void> {
    const [ns, name] = key.split('/');
    const svc = this.o.cache.service(ns, name);
    const mode = svc ? serviceLbMode(svc) : 'none';
    const finalizer = mode === 'legacy-nlb' ? LEGACY_FINALIZER : SERVICE_FINALIZER;
    const wanted = !!svc && !svc.metadata.deletionTimestamp && (mode === 'nlb' || mode === 'legacy-nlb');
    const stub: KubeObject = { metadata: { namespace: ns, name } };
    const labels = { [SERVICE_STACK_NAME_LABEL]: name, [SERVICE_STACK_NAMESPACE_LABEL]: ns };
    if (!wanted) {
      const ours: string[] = svc?.metadata.finalizers?.filter((f) => f === SERVICE_FINALIZER || f === LEGACY_FINALIZER) ?? [];
      if (!svc || ours.length) {
        await deleteStaleBindings(this.o.client, this.o.cache, labels, new Set());
        await deleteStack(this.o.backend, serviceStackTags(this.o.clusterName, stub));
      }
      if (svc && ours.length) {
        await this.patch(svc, { metadata: { finalizers: (svc.metadata.finalizers ?? []).filter((f) => !ours.includes(f)), resourceVersion: svc.metadata.resourceVersion } });
        if (!svc.metadata.deletionTimestamp && mode !== 'classic' && hostnames(svc).length) await this.setHostname(svc, undefined);
      }
      if (svc && mode === 'classic' && !svc.metadata.deletionTimestamp) await this.classic(svc);
      else this.o.classic?.remove(key);
      return;
    }
    if (!svc.metadata.finalizers?.includes(finalizer)) {
      await this.patch(svc, { metadata: { finalizers: [...(svc.metadata.finalizers ?? []), finalizer], resourceVersion: svc.metadata.resourceVersion } });
      return; // the update comes back through the informer
    }
    let model;
    try {
      model = buildServiceStack(this.o.clusterName, svc);
      if (mode === 'legacy-nlb') model.loadBalancer.name = legacyLoadBalancerName(svc.metadata.uid ?? '');
    } catch (e) {
      if (!(e instanceof BuildModelError)) throw e;
      this.o.recorder.event(svc, 'Warning', 'FailedBuildModel', `Failed build model due to ${e.message}`);
      return;
    }
    const keep = new Set(model.targetGroups.map((t) => `${ns}/${t.name}`));
    try {
      await deleteStaleBindings(this.o.client, this.o.cache, labels, keep);
      const deployed = await deployStack(this.o.backend, this.o.where(), model);
      await upsertBindings(this.o.client, this.o.cache, model, deployed);
      if (hostnames(svc).join(',') !== deployed.loadBalancer.dnsName) await this.setHostname(svc, deployed.loadBalancer.dnsName);
    } catch (e) {
      this.o.recorder.event(svc, 'Warning', 'FailedDeployModel', `Failed deploy model due to ${(e as Error).message}`);
      throw e;
    }
    this.o.recorder.event(svc, 'Normal', 'SuccessfullyReconciled', 'Successfully reconciled');
  }

  private async classic(svc: KubeObject): Promise<void> {
    const host = classicElbHostname(svc.metadata.uid ?? '', this.o.where().region);
    if (hostnames(svc).join(',') !== host) {
      this.o.recorder.event(svc, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer');
      await this.setHostname(svc, host);
      this.o.recorder.event(svc, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer');
    }
    await this.o.classic?.ensure(svc, host);
  }

  private async setHostname(svc: KubeObject, hostname: string | undefined): Promise<void> {
    const loadBalancer = hostname ? { ingress: [{ hostname }] } : { ingress: null };
    try {
      await this.o.client.patch(SERVICES, svc.metadata.namespace ?? '', svc.metadata.name ?? '', { status: { loadBalancer } }, 'merge', 'status');
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  private async patch(svc: KubeObject, body: unknown): Promise<void> {
    try {
      await this.o.client.patch(SERVICES, svc.metadata.namespace ?? '', svc.metadata.name ?? '', body, 'merge');
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
