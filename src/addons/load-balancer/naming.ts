/**
 * Resource names and tags the AWS Load Balancer Controller gives what it creates
 * (sigs.k8s.io/aws-load-balancer-controller pkg/service/model_build_load_balancer.go,
 * model_build_target_group.go, pkg/ingress/model_build_load_balancer.go):
 *
 * - NLB for a Service: `k8s-%.8s-%.8s-%.10s` of (namespace, name, sha256(cluster, uid, scheme)),
 *   namespace and name stripped of non-alphanumerics;
 * - its target groups: the same pattern over sha256(cluster, uid, tgPort, svcPort, targetType,
 *   protocol, hcProtocol, hcInterval);
 * - ALB for an Ingress group: explicit groups `k8s-%.17s-%.10s` (group name), implicit
 *   `k8s-%.8s-%.8s-%.10s` (namespace, ingress name), hash sha256(cluster, groupID, scheme);
 * - ALB target groups: pattern over the Service's namespace/name, hash of (cluster, groupID,
 *   ingress ns, ingress name, svc uid, port, targetType, protocol).
 * - Legacy (in-tree cloud provider) load balancers: `a` + the Service uid without dashes, cut
 *   at 32 characters; classic ELB DNS `<that>-<10 digits>.<region>.elb.amazonaws.com`.
 */
import { createHash } from 'node:crypto';

export const TAG_CLUSTER = 'elbv2.k8s.aws/cluster';
export const TAG_SERVICE_STACK = 'service.k8s.aws/stack';
export const TAG_SERVICE_RESOURCE = 'service.k8s.aws/resource';
export const TAG_INGRESS_STACK = 'ingress.k8s.aws/stack';
export const TAG_INGRESS_RESOURCE = 'ingress.k8s.aws/resource';

function sha256Hex(parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

const clean = (s: string): string => s.replace(/[^A-Za-z0-9]/g, '');

export function nlbName(clusterName: string, svc: { namespace: string; name: string; uid: string }, scheme: string): string {
  return `k8s-${clean(svc.namespace).slice(0, 8)}-${clean(svc.name).slice(0, 8)}-${sha256Hex([clusterName, svc.uid, scheme]).slice(0, 10)}`;
}

export interface TargetGroupNameInput {
  clusterName: string;
  namespace: string;
  name: string;
  uid: string;
  tgPort: number;
  svcPort: string;
  targetType: string;
  protocol: string;
  hcProtocol: string;
  hcInterval: number;
}

export function serviceTargetGroupName(i: TargetGroupNameInput): string {
  const hash = sha256Hex([i.clusterName, i.uid, String(i.tgPort), i.svcPort, i.targetType, i.protocol, i.hcProtocol, String(i.hcInterval)]);
  return `k8s-${clean(i.namespace).slice(0, 8)}-${clean(i.name).slice(0, 8)}-${hash.slice(0, 10)}`;
}

/** An Ingress group: explicit (group.name annotation / IngressClassParams) or implicit (one Ingress). */
export interface GroupId {
  /** '' for implicit groups. */
  namespace: string;
  name: string;
  explicit: boolean;
}

/** GroupID.String(): the explicit group's name, or `namespace/name`. */
export function groupKey(g: GroupId): string {
  return g.explicit ? g.name : `${g.namespace}/${g.name}`;
}

export function parseGroupKey(key: string): GroupId {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key, explicit: true } : { namespace: key.slice(0, i), name: key.slice(i + 1), explicit: false };
}

export function albName(clusterName: string, g: GroupId, scheme: string): string {
  const hash = sha256Hex([clusterName, groupKey(g), scheme]).slice(0, 10);
  if (g.explicit) return `k8s-${clean(g.name).slice(0, 17)}-${hash}`;
  return `k8s-${clean(g.namespace).slice(0, 8)}-${clean(g.name).slice(0, 8)}-${hash}`;
}

export function ingressTargetGroupName(clusterName: string, g: GroupId, ing: { namespace: string; name: string }, svc: { namespace: string; name: string; uid: string }, port: string, targetType: string, protocol: string): string {
  const hash = sha256Hex([clusterName, groupKey(g), ing.namespace, ing.name, svc.uid, port, targetType, protocol]).slice(0, 10);
  return `k8s-${clean(svc.namespace).slice(0, 8)}-${clean(svc.name).slice(0, 8)}-${hash}`;
}

/** The in-tree cloud provider's load balancer name (cloudprovider.DefaultLoadBalancerName). */
export function legacyLoadBalancerName(uid: string): string {
  return `a${uid.replace(/-/g, '')}`.slice(0, 32);
}

/** A classic ELB DNS name; the 10 digits are derived from the uid so the name is stable. */
export function classicElbHostname(uid: string, region: string): string {
  const n = BigInt(`0x${sha256Hex([uid]).slice(0, 15)}`) % 9_000_000_000n + 1_000_000_000n;
  return `${legacyLoadBalancerName(uid)}-${n}.${region}.elb.amazonaws.com`;
}
