/**
 * The NLB stack of a Service (pkg/service/model_builder.go): one network load balancer named
 * `k8s-<ns>-<name>-<hash>`, a TCP (UDP for UDP ports) listener per Service port forwarding to a
 * target group per port — ip mode on the targetPort, instance mode on the NodePort — bound to
 * the Service port by a TargetGroupBinding. Tags: elbv2.k8s.aws/cluster, service.k8s.aws/stack
 * (`ns/name`), service.k8s.aws/resource (`LoadBalancer` / `ns/name:port`), plus the
 * additional-resource-tags annotation.
 */
import type { KubeObject } from '../../api/types.js';
import type { Protocol } from '../../aws/services/elbv2/model.js';
import { BuildModelError, parseServiceAnnotations } from './annotations.js';
import { nlbName, serviceTargetGroupName, TAG_CLUSTER, TAG_SERVICE_RESOURCE, TAG_SERVICE_STACK } from './naming.js';
import type { StackModel, TargetGroupModel } from './stack.js';
import type { ServicePort } from './targets.js';

export const SERVICE_STACK_NAME_LABEL = 'service.k8s.aws/stack-name';
export const SERVICE_STACK_NAMESPACE_LABEL = 'service.k8s.aws/stack-namespace';

export function serviceStackTags(clusterName: string, svc: KubeObject): Record<string, string> {
  return { [TAG_CLUSTER]: clusterName, [TAG_SERVICE_STACK]: `${svc.metadata.namespace}/${svc.metadata.name}` };
}

export function buildServiceStack(clusterName: string, svc: KubeObject): StackModel {
  const spec = parseServiceAnnotations(svc);
  const ns = svc.metadata.namespace ?? '';
  const name = svc.metadata.name ?? '';
  const uid = svc.metadata.uid ?? '';
  const ports = ((svc.spec as { ports?: ServicePort[] }).ports ?? []);
  if (ports.length === 0) throw new BuildModelError('service has no ports');
  const stackTags = serviceStackTags(clusterName, svc);
  const targetGroups: TargetGroupModel[] = [];
  const listeners: StackModel['listeners'] = [];
  for (const p of ports) {
    const protocol: Protocol = (p.protocol ?? 'TCP') === 'UDP' ? 'UDP' : 'TCP';
    if (p.protocol === 'SCTP') throw new BuildModelError(`unsupported listener protocol: SCTP`);
    let tgPort: number;
    if (spec.targetType === 'instance') {
      if (!p.nodePort) throw new BuildModelError('unable to support instance target type with an unallocated NodePort');
      tgPort = p.nodePort;
    } else {
      // A named targetPort: the group's port is not in the data path (targets carry theirs), so 1.
      tgPort = typeof p.targetPort === 'number' ? p.targetPort : p.targetPort === undefined ? p.port : /^\d+$/.test(p.targetPort) ? Number(p.targetPort) : 1;
    }
    const resourceId = `${ns}/${name}:${p.port}`;
    const tgName = serviceTargetGroupName({
      clusterName, namespace: ns, name, uid, tgPort, svcPort: String(p.port), targetType: spec.targetType, protocol,
      hcProtocol: spec.healthCheck.protocol, hcInterval: spec.healthCheck.intervalSeconds,
    });
    targetGroups.push({
      resourceId, name: tgName, protocol, port: tgPort, targetType: spec.targetType, healthCheck: spec.healthCheck,
      attributes: spec.tgAttributes, tags: { ...spec.tags, [TAG_SERVICE_RESOURCE]: resourceId },
      binding: {
        namespace: ns, serviceName: name, servicePort: p.port,
        labels: { [SERVICE_STACK_NAME_LABEL]: name, [SERVICE_STACK_NAMESPACE_LABEL]: ns },
      },
    });
    listeners.push({ port: p.port, protocol, certificates: [], defaultActions: [{ type: 'forward', targetGroups: [{ resourceId, weight: 1 }] }], rules: [] });
  }
  return {
    stackTags,
    loadBalancer: {
      name: spec.name ?? nlbName(clusterName, { namespace: ns, name, uid }, spec.scheme), type: 'network', scheme: spec.scheme,
      attributes: spec.lbAttributes, tags: { ...spec.tags, [TAG_SERVICE_RESOURCE]: 'LoadBalancer' },
    },
    targetGroups, listeners,
  };
}
