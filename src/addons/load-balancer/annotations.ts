/**
 * The AWS Load Balancer Controller's annotations, parsed into typed specs with its defaults
 * (docs: guide/service/annotations.md, guide/ingress/annotations.md;
 * pkg/service/model_builder.go and pkg/ingress/model_builder.go defaults). A bad value is a
 * BuildModelError — the controller reports it as a `FailedBuildModel` warning event.
 */
import type { HealthCheckDoc, Protocol, Scheme, TargetType } from '../../aws/services/elbv2/model.js';

export const SVC = 'service.beta.kubernetes.io/';
export const ALB = 'alb.ingress.kubernetes.io/';
export const NLB_CLASS = 'service.k8s.aws/nlb';
export const ALB_INGRESS_CLASS = 'alb';
export const ALB_CONTROLLER = 'ingress.k8s.aws/alb';

export class BuildModelError extends Error {}

type Annotations = Record<string, string>;

/** `k1=v1,k2=v2` (ParseStringMapAnnotation). */
export function parseStringMap(raw: string | undefined, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw?.trim()) return out;
  for (const part of raw.split(',')) {
    const i = part.indexOf('=');
    if (i <= 0) throw new BuildModelError(`failed to parse stringMap annotation, ${what}: ${raw}`);
    out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

function int(a: Annotations, key: string, dflt: number): number {
  const raw = a[key];
  if (raw === undefined) return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new BuildModelError(`failed to parse int64 annotation, ${key}: ${raw}`);
  return n;
}

function scheme(raw: string | undefined, key: string, dflt: Scheme): Scheme {
  if (raw === undefined) return dflt;
  if (raw === 'internal' || raw === 'internet-facing') return raw;
  throw new BuildModelError(`unknown scheme: ${raw} (${key})`);
}

function targetType(raw: string | undefined, dflt: TargetType): TargetType {
  if (raw === undefined) return dflt;
  if (raw === 'ip' || raw === 'instance') return raw;
  throw new BuildModelError(`unknown targetType: ${raw}`);
}

function hcProtocol(raw: string | undefined, dflt: Protocol): Protocol {
  if (raw === undefined) return dflt;
  const up = raw.toUpperCase();
  if (up === 'TCP' || up === 'HTTP' || up === 'HTTPS') return up;
  throw new BuildModelError(`unsupported health check protocol ${raw}`);
}

// ---- Services (NLB) ------------------------------------------------------------------------

export type ServiceLbMode =
  /** Handled by this controller: an NLB. */
  | 'nlb'
  /** The in-tree provider's NLB (`aws-load-balancer-type: nlb`). */
  | 'legacy-nlb'
  /** The in-tree provider's classic ELB (no class, no type annotation). */
  | 'classic'
  | 'none';

interface ServiceLike { metadata: { annotations?: Annotations }; spec?: unknown }

/** Which load balancer (if any) a Service gets (serviceReconciler's shouldProcess / the in-tree provider). */
export function serviceLbMode(svc: ServiceLike): ServiceLbMode {
  const spec = (svc.spec ?? {}) as { type?: string; loadBalancerClass?: string };
  if (spec.type !== 'LoadBalancer') return 'none';
  const type = svc.metadata.annotations?.[`${SVC}aws-load-balancer-type`];
  if (spec.loadBalancerClass) return spec.loadBalancerClass === NLB_CLASS ? 'nlb' : 'none';
  if (type === 'external' || type === 'nlb-ip') return 'nlb';
  if (type === 'nlb') return 'legacy-nlb';
  return 'classic';
}

export interface NlbSpec {
  scheme: Scheme;
  targetType: TargetType;
  /** Name override (aws-load-balancer-name). */
  name?: string;
  healthCheck: Omit<HealthCheckDoc, 'enabled'>;
  lbAttributes: Record<string, string>;
  tgAttributes: Record<string, string>;
  tags: Record<string, string>;
}

/** NLB defaults: TCP checks on the traffic port every 10 s, 3/3 thresholds; internal scheme. */
export function parseServiceAnnotations(svc: ServiceLike): NlbSpec {
  const a = svc.metadata.annotations ?? {};
  const spec = (svc.spec ?? {}) as { externalTrafficPolicy?: string; healthCheckNodePort?: number };
  // The deprecated aws-load-balancer-internal: "false" means internet-facing; the default is internal.
  const legacyPublic = a[`${SVC}aws-load-balancer-internal`] === 'false';
  const tt = a[`${SVC}aws-load-balancer-type`] === 'nlb-ip' ? 'ip' : targetType(a[`${SVC}aws-load-balancer-nlb-target-type`], 'instance');
  const localInstance = tt === 'instance' && spec.externalTrafficPolicy === 'Local';
  // Instance mode with externalTrafficPolicy Local: HTTP /healthz on the healthCheckNodePort, 2/2.
  const proto = hcProtocol(a[`${SVC}aws-load-balancer-healthcheck-protocol`], localInstance ? 'HTTP' : 'TCP');
  const http = proto !== 'TCP';
  const healthCheck: NlbSpec['healthCheck'] = {
    protocol: proto,
    port: a[`${SVC}aws-load-balancer-healthcheck-port`] ?? (localInstance && spec.healthCheckNodePort ? String(spec.healthCheckNodePort) : 'traffic-port'),
    intervalSeconds: int(a, `${SVC}aws-load-balancer-healthcheck-interval`, 10),
    timeoutSeconds: int(a, `${SVC}aws-load-balancer-healthcheck-timeout`, localInstance ? 6 : 10),
    healthyThresholdCount: int(a, `${SVC}aws-load-balancer-healthcheck-healthy-threshold`, localInstance ? 2 : 3),
    unhealthyThresholdCount: int(a, `${SVC}aws-load-balancer-healthcheck-unhealthy-threshold`, localInstance ? 2 : 3),
    ...(http ? { path: a[`${SVC}aws-load-balancer-healthcheck-path`] ?? (localInstance ? '/healthz' : '/'), matcher: a[`${SVC}aws-load-balancer-healthcheck-success-codes`] ?? '200-399' } : {}),
  };
  if (healthCheck.port !== 'traffic-port' && !/^\d+$/.test(healthCheck.port)) throw new BuildModelError(`health check port "${healthCheck.port}" not supported`);
  const lbAttributes = parseStringMap(a[`${SVC}aws-load-balancer-attributes`], `${SVC}aws-load-balancer-attributes`);
  const crossZone = a[`${SVC}aws-load-balancer-cross-zone-load-balancing-enabled`];
  if (crossZone !== undefined) lbAttributes['load_balancing.cross_zone.enabled'] = crossZone === 'true' ? 'true' : 'false';
  const tgAttributes = parseStringMap(a[`${SVC}aws-load-balancer-target-group-attributes`], `${SVC}aws-load-balancer-target-group-attributes`);
  const proxy = a[`${SVC}aws-load-balancer-proxy-protocol`];
  if (proxy !== undefined) {
    if (proxy !== '*') throw new BuildModelError(`invalid value ${proxy} for Load Balancer proxy protocol v2 annotation, only value currently supported is *`);
    tgAttributes['proxy_protocol_v2.enabled'] = 'true';
  }
  const delay = tgAttributes['deregistration_delay.timeout_seconds'];
  if (delay !== undefined && !/^\d+$/.test(delay)) throw new BuildModelError(`invalid deregistration_delay.timeout_seconds: ${delay}`);
  return {
    scheme: scheme(a[`${SVC}aws-load-balancer-scheme`], `${SVC}aws-load-balancer-scheme`, legacyPublic ? 'internet-facing' : 'internal'),
    targetType: tt, ...(a[`${SVC}aws-load-balancer-name`] ? { name: a[`${SVC}aws-load-balancer-name`] } : {}),
    healthCheck, lbAttributes, tgAttributes,
    tags: parseStringMap(a[`${SVC}aws-load-balancer-additional-resource-tags`], `${SVC}aws-load-balancer-additional-resource-tags`),
  };
}

// ---- Ingresses (ALB) -----------------------------------------------------------------------

export interface ListenPort { protocol: 'HTTP' | 'HTTPS'; port: number }

export interface AlbIngressSpec {
  scheme?: Scheme;
  targetType: TargetType;
  listenPorts: ListenPort[];
  groupName?: string;
  groupOrder: number;
  sslRedirect?: number;
  certificateArns: string[];
  /** `ssl-policy`: the HTTPS listeners' security policy. */
  sslPolicy?: string;
  name?: string;
  tags: Record<string, string>;
  tgAttributes: Record<string, string>;
}

/** listen-ports: `[{"HTTP": 80}, {"HTTPS": 443}]`. */
export function parseListenPorts(raw: string): ListenPort[] {
  let parsed: unknown;
  try { parsed = JSON.parse(raw); } catch { throw new BuildModelError(`failed to parse listen-ports configuration: \`${raw}\``); }
  if (!Array.isArray(parsed) || parsed.length === 0) throw new BuildModelError(`failed to parse listen-ports configuration: \`${raw}\``);
  const out: ListenPort[] = [];
  for (const entry of parsed as Array<Record<string, unknown>>) {
    for (const [proto, port] of Object.entries(entry ?? {})) {
      if ((proto !== 'HTTP' && proto !== 'HTTPS') || !Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) {
        throw new BuildModelError(`listen port must be HTTP or HTTPS with a port in [1, 65535]: ${JSON.stringify(entry)}`);
      }
      out.push({ protocol: proto, port: port as number });
    }
  }
  return out;
}

export function parseIngressAnnotations(ing: ServiceLike, groupFromParams?: string): AlbIngressSpec {
  const a = ing.metadata.annotations ?? {};
  const certs = (a[`${ALB}certificate-arn`] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const ports = a[`${ALB}listen-ports`] ? parseListenPorts(a[`${ALB}listen-ports`]) : [certs.length ? { protocol: 'HTTPS' as const, port: 443 } : { protocol: 'HTTP' as const, port: 80 }];
  const redirect = a[`${ALB}ssl-redirect`];
  if (redirect !== undefined && !/^\d+$/.test(redirect)) throw new BuildModelError(`failed to parse int64 annotation, ${ALB}ssl-redirect: ${redirect}`);
  const group = groupFromParams ?? a[`${ALB}group.name`];
  if (group !== undefined && !/^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$/.test(group)) throw new BuildModelError(`invalid ingress group name: ${group}`);
  const order = int(a, `${ALB}group.order`, 0);
  if (order < -1000 || order > 1000) throw new BuildModelError(`explicit group order must be within [-1000:1000], Ingress: ${JSON.stringify(ing.metadata)}, order: ${order}`);
  return {
    ...(a[`${ALB}scheme`] !== undefined ? { scheme: scheme(a[`${ALB}scheme`], `${ALB}scheme`, 'internal') } : {}),
    targetType: targetType(a[`${ALB}target-type`], 'instance'),
    listenPorts: ports, ...(group ? { groupName: group } : {}), groupOrder: order,
    ...(redirect !== undefined ? { sslRedirect: Number(redirect) } : {}),
    certificateArns: certs, ...(a[`${ALB}load-balancer-name`] ? { name: a[`${ALB}load-balancer-name`] } : {}),
    ...(a[`${ALB}ssl-policy`] ? { sslPolicy: a[`${ALB}ssl-policy`] } : {}),
    tags: parseStringMap(a[`${ALB}tags`], `${ALB}tags`),
    tgAttributes: parseStringMap(a[`${ALB}target-group-attributes`], `${ALB}target-group-attributes`),
  };
}

/** ALB target group health check: HTTP GET / on the traffic port every 15 s, 2/2, 200 (service annotations win). */
export function albHealthCheck(ing: Annotations, svc: Annotations): Omit<HealthCheckDoc, 'enabled'> {
  const merged = { ...ing, ...svc };
  const proto = hcProtocol(merged[`${ALB}healthcheck-protocol`], 'HTTP');
  return {
    protocol: proto, port: merged[`${ALB}healthcheck-port`] ?? 'traffic-port',
    intervalSeconds: int(merged, `${ALB}healthcheck-interval-seconds`, 15),
    timeoutSeconds: int(merged, `${ALB}healthcheck-timeout-seconds`, 5),
    healthyThresholdCount: int(merged, `${ALB}healthy-threshold-count`, 2),
    unhealthyThresholdCount: int(merged, `${ALB}unhealthy-threshold-count`, 2),
    path: merged[`${ALB}healthcheck-path`] ?? '/', matcher: merged[`${ALB}success-codes`] ?? '200',
  };
}
