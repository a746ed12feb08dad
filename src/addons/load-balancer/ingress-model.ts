/**
 * The ALB stack of an Ingress group (pkg/ingress/model_builder.go, model_build_listener_rules.go):
 * one application load balancer per group (`group.name` shares one across Ingresses), a
 * listener per listen-port (default HTTP:80, HTTPS:443 with a certificate), rules in member
 * order (group.order, then namespace/name) with host-header and path-pattern conditions:
 * Exact `/a` → `/a`; Prefix `/` → `/*`, `/a` → `/a`, `/a/*`; ImplementationSpecific as written.
 * The default action is the first member's defaultBackend, else a fixed 404. ssl-redirect makes
 * HTTP listeners redirect everything to HTTPS on that port (HTTP_301).
 */
import type { KubeObject } from '../../api/types.js';
import type { ConditionDoc, Scheme } from '../../aws/services/elbv2/model.js';
import { ALB, albHealthCheck, BuildModelError, parseIngressAnnotations, type AlbIngressSpec, type ListenPort } from './annotations.js';
import { albName, groupKey, ingressTargetGroupName, TAG_CLUSTER, TAG_INGRESS_RESOURCE, TAG_INGRESS_STACK, type GroupId } from './naming.js';
import type { ActionModel, ListenerModel, StackModel, TargetGroupModel } from './stack.js';
import { findServicePort } from './targets.js';

export interface GroupMember {
  ingress: KubeObject;
  spec: AlbIngressSpec;
}

/** The controller's --default-ssl-policy (aws-load-balancer-controller: ELBSecurityPolicy-2016-08). */
export const CONTROLLER_DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-2016-08';

export interface IngressParams {
  scheme?: Scheme;
  tags?: Record<string, string>;
  loadBalancerAttributes?: Record<string, string>;
  certificateArns?: string[];
  sslPolicy?: string;
}

interface BackendRef { service?: { name: string; port?: { number?: number; name?: string } } }
interface HttpPath { path?: string; pathType?: string; backend: BackendRef }
interface IngressRule { host?: string; http?: { paths?: HttpPath[] } }

export function ingressStackTags(clusterName: string, g: GroupId): Record<string, string> {
  return { [TAG_CLUSTER]: clusterName, [TAG_INGRESS_STACK]: groupKey(g) };
}

export function pathPatterns(path: string | undefined, pathType: string | undefined): string[] {
  if (!path) return [];
  if (pathType === 'Exact') return [path];
  if (pathType === 'Prefix') {
    if (path === '/') return ['/*'];
    const p = path.replace(/\/+$/, '');
    return [p, `${p}/*`];
  }
  return [path];
}

/** Members sorted as the controller sorts a group: explicit order, then namespace/name. */
export function sortMembers(members: GroupMember[]): GroupMember[] {
  return [...members].sort((a, b) => a.spec.groupOrder - b.spec.groupOrder
    || `${a.ingress.metadata.namespace}/${a.ingress.metadata.name}`.localeCompare(`${b.ingress.metadata.namespace}/${b.ingress.metadata.name}`));
}

export function buildIngressStack(clusterName: string, g: GroupId, membersIn: GroupMember[], services: (ns: string, name: string) => KubeObject | undefined, params: IngressParams = {}): StackModel {
  const members = sortMembers(membersIn);
  const schemes = new Set(members.map((m) => m.spec.scheme).filter((s): s is Scheme => !!s));
  if (schemes.size > 1) throw new BuildModelError(`conflicting scheme: ${JSON.stringify([...schemes].sort())}`);
  const scheme: Scheme = params.scheme ?? [...schemes][0] ?? 'internal';
  const stackTags = ingressStackTags(clusterName, g);
  const tgs = new Map<string, TargetGroupModel>();

  const forwardTo = (m: GroupMember, b: BackendRef): ActionModel => {
    const ns = m.ingress.metadata.namespace ?? '';
    const ref = b.service;
    if (!ref?.name) throw new BuildModelError('only Service backends are supported');
    const svc = services(ns, ref.name);
    if (!svc) throw new BuildModelError(`failed to load service: ${ns}/${ref.name}: service "${ref.name}" not found`);
    const portRef = ref.port?.number ?? ref.port?.name ?? '';
    const sp = findServicePort(svc, portRef);
    if (!sp) throw new BuildModelError(`failed to resolve port ${String(portRef)} of service ${ns}/${ref.name}`);
    const svcAnn = svc.metadata.annotations ?? {};
    const targetType = svcAnn[`${ALB}target-type`] === 'ip' || svcAnn[`${ALB}target-type`] === 'instance' ? svcAnn[`${ALB}target-type`] as 'ip' | 'instance' : m.spec.targetType;
    const resourceId = `${ns}/${m.ingress.metadata.name}-${ref.name}:${String(portRef)}`;
    if (!tgs.has(resourceId)) {
      let port: number;
      if (targetType === 'instance') {
        if (!sp.nodePort) throw new BuildModelError(`service ${ns}/${ref.name} has no NodePort for instance target type; use type NodePort or alb.ingress.kubernetes.io/target-type: ip`);
        port = sp.nodePort;
      } else port = typeof sp.targetPort === 'number' ? sp.targetPort : sp.targetPort === undefined ? sp.port : 1;
      const healthCheck = albHealthCheck(m.ingress.metadata.annotations ?? {}, svcAnn);
      tgs.set(resourceId, {
        resourceId, protocol: 'HTTP', port, targetType, healthCheck,
        name: ingressTargetGroupName(clusterName, g, { namespace: ns, name: m.ingress.metadata.name ?? '' }, { namespace: ns, name: ref.name, uid: svc.metadata.uid ?? '' }, String(portRef), targetType, 'HTTP'),
        attributes: m.spec.tgAttributes, tags: { ...(params.tags ?? {}), ...m.spec.tags, [TAG_INGRESS_RESOURCE]: resourceId },
        binding: { namespace: ns, serviceName: ref.name, servicePort: sp.port, labels: { [TAG_INGRESS_STACK]: groupKey(g).replace(/\//g, '.') } },
      });
    }
    return { type: 'forward', targetGroups: [{ resourceId, weight: 1 }] };
  };

  const ports = new Map<number, ListenPort>();
  for (const m of members) for (const lp of m.spec.listenPorts) {
    const cur = ports.get(lp.port);
    if (cur && cur.protocol !== lp.protocol) throw new BuildModelError(`conflicting protocol for listen port ${lp.port}: ${cur.protocol}, ${lp.protocol}`);
    ports.set(lp.port, lp);
  }
  const redirect = members.map((m) => m.spec.sslRedirect).find((r) => r !== undefined);
  const certs = [...new Set([...(params.certificateArns ?? []), ...members.flatMap((m) => m.spec.certificateArns)])];
  // IngressClassParams' sslPolicy wins over the members' ssl-policy annotations (the first one set), then the controller's default.
  const sslPolicy = params.sslPolicy ?? members.map((m) => m.spec.sslPolicy).find((p) => p !== undefined) ?? CONTROLLER_DEFAULT_SSL_POLICY;

  let defaultAction: ActionModel = { type: 'fixed-response', statusCode: '404', contentType: 'text/plain' };
  for (const m of members) {
    const db = (m.ingress.spec as { defaultBackend?: BackendRef } | undefined)?.defaultBackend;
    if (db) { defaultAction = forwardTo(m, db); break; }
  }

  const listeners: ListenerModel[] = [];
  for (const lp of [...ports.values()].sort((a, b) => a.port - b.port)) {
    if (lp.protocol === 'HTTP' && redirect !== undefined && redirect !== lp.port) {
      listeners.push({ port: lp.port, protocol: 'HTTP', certificates: [], defaultActions: [{ type: 'redirect', protocol: 'HTTPS', port: String(redirect), statusCode: 'HTTP_301' }], rules: [] });
      continue;
    }
    const rules: ListenerModel['rules'] = [];
    let priority = 1;
    for (const m of members) {
      if (!m.spec.listenPorts.some((p) => p.port === lp.port)) continue;
      for (const r of ((m.ingress.spec as { rules?: IngressRule[] } | undefined)?.rules ?? [])) {
        const paths = r.http?.paths ?? [];
        for (const p of paths) {
          const conditions: ConditionDoc[] = [];
          if (r.host) conditions.push({ field: 'host-header', values: [r.host] });
          const patterns = pathPatterns(p.path, p.pathType);
          if (patterns.length) conditions.push({ field: 'path-pattern', values: patterns });
          rules.push({ priority: priority++, conditions, actions: [forwardTo(m, p.backend)] });
        }
      }
    }
    if (lp.protocol === 'HTTPS' && certs.length === 0) throw new BuildModelError(`no certificate found for HTTPS listener on port ${lp.port}`);
    listeners.push({ port: lp.port, protocol: lp.protocol, certificates: lp.protocol === 'HTTPS' ? certs : [], ...(lp.protocol === 'HTTPS' ? { sslPolicy } : {}), defaultActions: [defaultAction], rules });
  }
  const first = members[0]?.spec;
  return {
    stackTags,
    loadBalancer: {
      name: first?.name ?? albName(clusterName, g, scheme), type: 'application', scheme,
      attributes: params.loadBalancerAttributes ?? {}, tags: { ...(params.tags ?? {}), ...Object.assign({}, ...members.map((m) => m.spec.tags)), [TAG_INGRESS_RESOURCE]: 'LoadBalancer' },
    },
    targetGroups: [...tgs.values()], listeners,
  };
}

export { parseIngressAnnotations };
