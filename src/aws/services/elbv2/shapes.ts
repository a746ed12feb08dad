/**
 * ELBv2 documents → the XML values of botocore's elbv2 output shapes (LoadBalancer,
 * TargetGroup, Listener, Rule, Action, TargetHealthDescription), and the default attributes
 * Describe*Attributes report for keys nobody set (AWS docs "Load balancer attributes" /
 * "Target group attributes").
 */
import type { XmlObject } from '../../core/types.js';
import type { ActionDoc, ConditionDoc, ListenerDoc, LoadBalancerDoc, RuleDoc, Tag, TargetGroupDoc, TargetHealthView } from './model.js';

export function loadBalancerXml(lb: LoadBalancerDoc): XmlObject {
  return {
    LoadBalancerArn: lb.arn, DNSName: lb.dnsName, CanonicalHostedZoneId: lb.canonicalHostedZoneId,
    CreatedTime: new Date(lb.createdTime), LoadBalancerName: lb.name, Scheme: lb.scheme, VpcId: lb.vpcId,
    State: { Code: lb.state }, Type: lb.type,
    AvailabilityZones: lb.zones.map((z) => ({ ZoneName: z.zoneName, SubnetId: z.subnetId, LoadBalancerAddresses: [] })),
    ...(lb.type === 'application' || lb.securityGroups.length ? { SecurityGroups: lb.securityGroups } : {}),
    IpAddressType: lb.ipAddressType,
  };
}

export function targetGroupXml(tg: TargetGroupDoc, loadBalancerArns: string[]): XmlObject {
  const hc = tg.healthCheck;
  return {
    TargetGroupArn: tg.arn, TargetGroupName: tg.name, Protocol: tg.protocol, Port: tg.port, VpcId: tg.vpcId,
    HealthCheckProtocol: hc.protocol, HealthCheckPort: hc.port, HealthCheckEnabled: hc.enabled,
    HealthCheckIntervalSeconds: hc.intervalSeconds, HealthCheckTimeoutSeconds: hc.timeoutSeconds,
    HealthyThresholdCount: hc.healthyThresholdCount, UnhealthyThresholdCount: hc.unhealthyThresholdCount,
    HealthCheckPath: hc.path, ...(hc.matcher ? { Matcher: { HttpCode: hc.matcher } } : {}),
    LoadBalancerArns: loadBalancerArns, TargetType: tg.targetType, ProtocolVersion: tg.protocolVersion, IpAddressType: tg.ipAddressType,
  };
}

export function actionXml(a: ActionDoc, order: number): XmlObject {
  if (a.type === 'forward') {
    return {
      Type: 'forward', ...(a.targetGroups.length === 1 ? { TargetGroupArn: a.targetGroups[0].arn } : {}), Order: order,
      ForwardConfig: { TargetGroups: a.targetGroups.map((g) => ({ TargetGroupArn: g.arn, Weight: g.weight })), TargetGroupStickinessConfig: { Enabled: false } },
    };
  }
  if (a.type === 'redirect') {
    return { Type: 'redirect', Order: order, RedirectConfig: { Protocol: a.protocol, Port: a.port, Host: a.host ?? '#{host}', Path: a.path ?? '/#{path}', Query: a.query ?? '#{query}', StatusCode: a.statusCode } };
  }
  return { Type: 'fixed-response', Order: order, FixedResponseConfig: { MessageBody: a.messageBody, StatusCode: a.statusCode, ContentType: a.contentType } };
}

export function listenerXml(l: ListenerDoc): XmlObject {
  return {
    ListenerArn: l.arn, LoadBalancerArn: l.loadBalancerArn, Port: l.port, Protocol: l.protocol,
    ...(l.certificates.length ? { Certificates: l.certificates.map((c) => ({ CertificateArn: c })) } : {}),
    SslPolicy: l.sslPolicy, DefaultActions: l.defaultActions.map((a, i) => actionXml(a, i + 1)),
  };
}

function conditionXml(c: ConditionDoc): XmlObject {
  const cfg = c.field === 'host-header' ? { HostHeaderConfig: { Values: c.values } } : { PathPatternConfig: { Values: c.values } };
  return { Field: c.field, Values: c.values, ...cfg };
}

export function ruleXml(r: RuleDoc): XmlObject {
  return {
    RuleArn: r.arn, Priority: r.priority, Conditions: r.conditions.map(conditionXml),
    Actions: r.actions.map((a, i) => actionXml(a, i + 1)), IsDefault: r.priority === 'default',
  };
}

export function tagsXml(tags: Tag[]): XmlObject[] {
  return tags.map((t) => ({ Key: t.key, Value: t.value }));
}

export function targetHealthXml(v: TargetHealthView, tg: TargetGroupDoc): XmlObject {
  const t = v.target;
  return {
    Target: { Id: t.id, Port: t.port, AvailabilityZone: t.availabilityZone },
    HealthCheckPort: tg.healthCheck.port === 'traffic-port' ? String(t.port) : tg.healthCheck.port,
    TargetHealth: { State: v.state, Reason: v.reason, Description: v.description },
  };
}

/** Attributes AWS reports for a new load balancer of this type. */
export function defaultLbAttributes(type: LoadBalancerDoc['type']): Record<string, string> {
  const common = {
    'access_logs.s3.enabled': 'false', 'access_logs.s3.bucket': '', 'access_logs.s3.prefix': '',
    'deletion_protection.enabled': 'false', 'ipv6.deny_all_igw_traffic': 'false',
  };
  if (type === 'network') return { ...common, 'load_balancing.cross_zone.enabled': 'false', 'dns_record.client_routing_policy': 'any_availability_zone' };
  return {
    ...common, 'idle_timeout.timeout_seconds': '60', 'routing.http2.enabled': 'true', 'routing.http.drop_invalid_header_fields.enabled': 'false',
    'routing.http.desync_mitigation_mode': 'defensive', 'load_balancing.cross_zone.enabled': 'true', 'waf.fail_open.enabled': 'false',
  };
}

/** Attributes AWS reports for a new target group of this protocol and target type. */
export function defaultTgAttributes(tg: TargetGroupDoc): Record<string, string> {
  const base = { 'deregistration_delay.timeout_seconds': '300', 'stickiness.enabled': 'false' };
  if (tg.protocol === 'HTTP' || tg.protocol === 'HTTPS') {
    return { ...base, 'stickiness.type': 'lb_cookie', 'stickiness.lb_cookie.duration_seconds': '86400', 'load_balancing.algorithm.type': 'round_robin', 'slow_start.duration_seconds': '0' };
  }
  // NLB: client IP preservation is off by default only for IP targets over TCP/TLS.
  const preserve = tg.targetType === 'ip' && (tg.protocol === 'TCP' || tg.protocol === 'TLS') ? 'false' : 'true';
  return {
    ...base, 'stickiness.type': 'source_ip', 'proxy_protocol_v2.enabled': 'false', 'preserve_client_ip.enabled': preserve,
    'deregistration_delay.connection_termination.enabled': 'false', 'load_balancing.cross_zone.enabled': 'use_load_balancer_configuration',
  };
}

export function attributesXml(defaults: Record<string, string>, set: Record<string, string>): XmlObject[] {
  const all = { ...defaults, ...set };
  return Object.keys(all).sort().map((k) => ({ Key: k, Value: all[k] }));
}
