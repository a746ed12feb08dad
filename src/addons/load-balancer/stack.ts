/**
 * A load balancer "stack" as the controller models it (pkg/model/core.Stack): one load balancer,
 * its target groups (each bound to a Service port through a TargetGroupBinding), listeners with
 * default actions and rules. `deployStack` makes ELBv2 match the model — create what is
 * missing, modify what differs, delete what the stack no longer has (found by the stack tags) —
 * in the order AWS requires: groups before listeners that forward to them; listeners and the
 * load balancer before the groups they used.
 */
import type {
  ActionDoc, ConditionDoc, Elbv2Backend, HealthCheckDoc, ListenerDoc, LoadBalancerDoc, LoadBalancerType, Protocol, Scheme, TargetGroupDoc, TargetType,
} from '../../aws/services/elbv2/model.js';
import { TAG_CLUSTER } from './naming.js';

export type ActionModel =
  | { type: 'forward'; targetGroups: Array<{ resourceId: string; weight: number }> }
  | Exclude<ActionDoc, { type: 'forward' }>;

export interface TargetGroupModel {
  /** e.g. `default/echo:80` (service stack) or `default/ing-svc:80` (ingress stack). */
  resourceId: string;
  name: string;
  protocol: Protocol;
  port: number;
  targetType: TargetType;
  healthCheck: Omit<HealthCheckDoc, 'enabled'>;
  attributes: Record<string, string>;
  tags: Record<string, string>;
  binding: { namespace: string; serviceName: string; servicePort: number | string; labels: Record<string, string> };
}

export interface ListenerModel {
  port: number;
  protocol: Protocol;
  certificates: string[];
  sslPolicy?: string;
  defaultActions: ActionModel[];
  rules: Array<{ priority: number; conditions: ConditionDoc[]; actions: ActionModel[] }>;
}

export interface StackModel {
  /** Tags that identify the stack's resources (cluster + stack key). */
  stackTags: Record<string, string>;
  loadBalancer: { name: string; type: LoadBalancerType; scheme: Scheme; attributes: Record<string, string>; tags: Record<string, string> };
  targetGroups: TargetGroupModel[];
  listeners: ListenerModel[];
}

export interface StackTarget {
  region: string;
  accountId: string;
  vpcId: string;
  subnets: Array<{ subnetId: string; zoneName: string }>;
}

export interface DeployedStack {
  loadBalancer: LoadBalancerDoc;
  /** resourceId → target group. */
  targetGroups: Map<string, TargetGroupDoc>;
}

function hasTags(tags: Array<{ key: string; value: string }>, want: Record<string, string>): boolean {
  return Object.entries(want).every(([k, v]) => tags.some((t) => t.key === k && t.value === v));
}

/** Load balancers and target groups carrying the stack's tags. */
export function stackResources(backend: Elbv2Backend, stackTags: Record<string, string>): { lbs: LoadBalancerDoc[]; tgs: TargetGroupDoc[] } {
  return {
    lbs: backend.loadBalancers().filter((l) => hasTags(l.tags, stackTags)),
    tgs: backend.targetGroups().filter((t) => hasTags(t.tags, stackTags)),
  };
}

function resolveActions(actions: ActionModel[], tgs: Map<string, TargetGroupDoc>): ActionDoc[] {
  return actions.map((a) => (a.type === 'forward'
    ? { type: 'forward', targetGroups: a.targetGroups.map((g) => ({ arn: (tgs.get(g.resourceId) as TargetGroupDoc).arn, weight: g.weight })) }
    : a));
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export async function deployStack(backend: Elbv2Backend, where: StackTarget, m: StackModel): Promise<DeployedStack> {
  const tags = { ...m.loadBalancer.tags, ...m.stackTags };
  const lb = await backend.createLoadBalancer({
    region: where.region, accountId: where.accountId, name: m.loadBalancer.name, type: m.loadBalancer.type, scheme: m.loadBalancer.scheme,
    vpcId: where.vpcId, subnets: where.subnets, tags,
  });
  if (Object.entries(m.loadBalancer.attributes).some(([k, v]) => lb.attributes[k] !== v)) await backend.setLoadBalancerAttributes(lb.arn, m.loadBalancer.attributes);
  if (!hasTags(lb.tags, tags)) await backend.addTags(lb.arn, tags);

  const tgs = new Map<string, TargetGroupDoc>();
  for (const t of m.targetGroups) {
    let tg = await backend.createTargetGroup({
      region: where.region, accountId: where.accountId, name: t.name, protocol: t.protocol, port: t.port, vpcId: where.vpcId,
      targetType: t.targetType, healthCheck: { ...t.healthCheck, enabled: true }, attributes: t.attributes, tags: { ...t.tags, ...m.stackTags },
    });
    if (Object.entries(t.attributes).some(([k, v]) => tg.attributes[k] !== v)) await backend.setTargetGroupAttributes(tg.arn, t.attributes);
    if (!same({ ...tg.healthCheck }, { ...tg.healthCheck, ...t.healthCheck })) await backend.setHealthCheck(tg.arn, t.healthCheck);
    tg = backend.targetGroup(tg.arn) ?? tg;
    tgs.set(t.resourceId, tg);
  }

  const existing = new Map<number, ListenerDoc>(backend.listeners(lb.arn).map((l) => [l.port, l]));
  for (const lm of m.listeners) {
    const defaultActions = resolveActions(lm.defaultActions, tgs);
    let l = existing.get(lm.port);
    existing.delete(lm.port);
    if (l && l.protocol !== lm.protocol) { await backend.deleteListener(l.arn); l = undefined; }
    if (!l) l = await backend.createListener({ loadBalancerArn: lb.arn, port: lm.port, protocol: lm.protocol, defaultActions, certificates: lm.certificates, ...(lm.sslPolicy ? { sslPolicy: lm.sslPolicy } : {}) });
    else if (!same(l.defaultActions, defaultActions) || !same(l.certificates, lm.certificates) || (lm.sslPolicy !== undefined && l.sslPolicy !== lm.sslPolicy)) {
      await backend.modifyListener(l.arn, { defaultActions, certificates: lm.certificates, ...(lm.sslPolicy ? { sslPolicy: lm.sslPolicy } : {}) });
    }
    const rules = lm.rules.map((r) => ({ priority: r.priority, conditions: r.conditions, actions: resolveActions(r.actions, tgs) }));
    const current = backend.rules(l.arn).filter((r) => r.priority !== 'default').map((r) => ({ priority: Number(r.priority), conditions: r.conditions, actions: r.actions }));
    if (!same(current, rules)) await backend.setRules(l.arn, rules);
  }
  for (const l of existing.values()) await backend.deleteListener(l.arn);

  // Leftovers of this stack: other load balancers (a scheme change renames it), unused groups.
  const left = stackResources(backend, m.stackTags);
  for (const other of left.lbs) if (other.arn !== lb.arn) await backend.deleteLoadBalancer(other.arn);
  const keep = new Set([...tgs.values()].map((t) => t.arn));
  for (const tg of left.tgs) if (!keep.has(tg.arn) && backend.loadBalancerArnsOf(tg.arn).length === 0) await backend.deleteTargetGroup(tg.arn);
  return { loadBalancer: backend.loadBalancer(lb.arn) ?? lb, targetGroups: tgs };
}

/** Deletes every load balancer, then every target group, of a stack. */
export async function deleteStack(backend: Elbv2Backend, stackTags: Record<string, string>): Promise<void> {
  const { lbs, tgs } = stackResources(backend, stackTags);
  for (const lb of lbs) await backend.deleteLoadBalancer(lb.arn);
  for (const tg of tgs) if (backend.loadBalancerArnsOf(tg.arn).length === 0) await backend.deleteTargetGroup(tg.arn);
}

export function clusterTag(clusterName: string): Record<string, string> {
  return { [TAG_CLUSTER]: clusterName };
}
