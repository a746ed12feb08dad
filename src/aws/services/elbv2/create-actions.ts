/**
 * ELBv2 writes for users who build load balancers by hand (the workshops' "create a target group
 * with the CLI, then bind it with a TargetGroupBinding" flow): CreateLoadBalancer,
 * CreateTargetGroup, CreateListener, DeleteLoadBalancer, DeleteTargetGroup, DeleteListener,
 * ModifyTargetGroup (health checks), RemoveTags. Deletes of something already gone succeed, as
 * AWS documents for DeleteLoadBalancer.
 */
import type { Ec2Backend } from '../../core/backends.js';
import { AwsError, type AwsRequestContext, type QueryHandler, type QueryParams } from '../../core/types.js';
import type { Elbv2Store } from './backend.js';
import { lbNotFound, listenerNotFound, tgNotFound, validation } from './errors.js';
import type { ActionDoc, HealthCheckDoc, LoadBalancerDoc, Protocol, TargetGroupDoc } from './model.js';
import { listenerXml, loadBalancerXml, targetGroupXml } from './shapes.js';

const PROTOCOLS = ['HTTP', 'HTTPS', 'TCP', 'UDP', 'TLS', 'TCP_UDP'];

function protocol(raw: string | undefined, what: string): Protocol | undefined {
  if (raw === undefined) return undefined;
  if (!PROTOCOLS.includes(raw)) throw validation(`1 validation error detected: Value '${raw}' at '${what}' failed to satisfy constraint: Member must satisfy enum value set: [${PROTOCOLS.join(', ')}]`);
  return raw as Protocol;
}

function tags(params: QueryParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of params.structs('Tags')) out[t.required('Key')] = t.get('Value') ?? '';
  return out;
}

function healthCheck(params: QueryParams): Partial<HealthCheckDoc> {
  const hc: Partial<HealthCheckDoc> = {};
  const p = protocol(params.get('HealthCheckProtocol'), 'healthCheckProtocol');
  if (p) hc.protocol = p;
  const set = <K extends keyof HealthCheckDoc>(k: K, v: HealthCheckDoc[K] | undefined): void => { if (v !== undefined) hc[k] = v; };
  set('port', params.get('HealthCheckPort'));
  set('path', params.get('HealthCheckPath'));
  set('intervalSeconds', params.int('HealthCheckIntervalSeconds'));
  set('timeoutSeconds', params.int('HealthCheckTimeoutSeconds'));
  set('healthyThresholdCount', params.int('HealthyThresholdCount'));
  set('unhealthyThresholdCount', params.int('UnhealthyThresholdCount'));
  set('enabled', params.bool('HealthCheckEnabled'));
  set('matcher', params.struct('Matcher')?.get('HttpCode'));
  return hc;
}

function actions(params: QueryParams, name: string): ActionDoc[] {
  const list = params.structs(name).map((a): ActionDoc => {
    const type = a.required('Type');
    if (type === 'forward') {
      const groups = a.struct('ForwardConfig')?.structs('TargetGroups').map((g) => ({ arn: g.required('TargetGroupArn'), weight: g.int('Weight') ?? 1 })) ?? [];
      const single = a.get('TargetGroupArn');
      return { type, targetGroups: groups.length ? groups : single ? [{ arn: single, weight: 1 }] : [] };
    }
    if (type === 'redirect') {
      const r = a.struct('RedirectConfig');
      if (!r) throw validation('A redirect configuration must be specified for a redirect action');
      const code = r.required('StatusCode');
      if (code !== 'HTTP_301' && code !== 'HTTP_302') throw validation(`Invalid redirect status code '${code}'`);
      return { type, protocol: r.get('Protocol') ?? '#{protocol}', port: r.get('Port') ?? '#{port}', host: r.get('Host'), path: r.get('Path'), query: r.get('Query'), statusCode: code };
    }
    if (type === 'fixed-response') {
      const f = a.struct('FixedResponseConfig');
      if (!f) throw validation('A fixed response configuration must be specified for a fixed-response action');
      return { type, statusCode: f.required('StatusCode'), contentType: f.get('ContentType'), messageBody: f.get('MessageBody') };
    }
    throw validation(`1 validation error detected: Value '${type}' at 'actions.1.member.type' failed to satisfy constraint: Member must satisfy enum value set: [forward, redirect, fixed-response]`);
  });
  if (list.length === 0) throw validation(`1 validation error detected: Value null at '${name === 'DefaultActions' ? 'defaultActions' : 'actions'}' failed to satisfy constraint: Member must not be null`);
  return list;
}

export function createActions(store: Elbv2Store, ec2?: Ec2Backend): Record<string, QueryHandler> {
  const own = (ctx: AwsRequestContext) => (d: { region: string; accountId: string } | undefined): boolean => !!d && d.region === ctx.region && d.accountId === ctx.caller.accountId;
  return {
    async CreateLoadBalancer(params, ctx) {
      const name = params.required('Name');
      const type = (params.get('Type') ?? 'application') as LoadBalancerDoc['type'];
      if (type !== 'application' && type !== 'network') throw validation(`Load balancer type '${type}' is not supported by keks`);
      const scheme = (params.get('Scheme') ?? 'internet-facing') as LoadBalancerDoc['scheme'];
      const ids = [...params.list('Subnets'), ...params.structs('SubnetMappings').map((m) => m.required('SubnetId'))];
      const subnets = ids.map((id) => {
        const s = ec2?.subnet(ctx.region, id);
        if (ec2 && !s) throw new AwsError('SubnetNotFound', `The subnet ID '${id}' is not valid`);
        return { subnetId: id, zoneName: s?.availabilityZone ?? `${ctx.region}a`, vpcId: s?.vpcId };
      });
      if (subnets.length === 0) throw validation('At least one subnet must be specified');
      const lb = await store.createLoadBalancer({
        region: ctx.region, accountId: ctx.caller.accountId, name, type, scheme, vpcId: subnets[0].vpcId ?? 'vpc-00000000000000000',
        subnets: subnets.map((s) => ({ subnetId: s.subnetId, zoneName: s.zoneName })), securityGroups: params.list('SecurityGroups'), tags: tags(params),
      });
      return { LoadBalancers: [loadBalancerXml(lb)] };
    },

    async CreateTargetGroup(params, ctx) {
      const name = params.required('Name');
      const targetType = (params.get('TargetType') ?? 'instance') as TargetGroupDoc['targetType'];
      if (targetType !== 'instance' && targetType !== 'ip') throw validation(`Target type '${targetType}' is not supported by keks`);
      const proto = protocol(params.required('Protocol'), 'protocol') as Protocol;
      const existing = store.targetGroupByName(ctx.region, ctx.caller.accountId, name);
      if (existing && (existing.protocol !== proto || existing.port !== params.int('Port') || existing.targetType !== targetType)) {
        throw new AwsError('DuplicateTargetGroupName', 'A target group with the same name exists, but with different settings');
      }
      const tg = await store.createTargetGroup({
        region: ctx.region, accountId: ctx.caller.accountId, name, protocol: proto, port: params.int('Port') ?? 80, vpcId: params.required('VpcId'),
        targetType, protocolVersion: params.get('ProtocolVersion'), healthCheck: healthCheck(params), tags: tags(params),
      });
      return { TargetGroups: [targetGroupXml(tg, store.loadBalancerArnsOf(tg.arn))] };
    },

    async CreateListener(params, ctx) {
      const lbArn = params.required('LoadBalancerArn');
      if (!own(ctx)(store.loadBalancer(lbArn))) throw lbNotFound();
      const port = params.int('Port');
      if (port === undefined || port < 1 || port > 65535) throw validation('A listener port must be specified between 1 and 65535');
      const l = await store.createListener({
        loadBalancerArn: lbArn, port, protocol: protocol(params.get('Protocol'), 'protocol') ?? 'HTTP', defaultActions: actions(params, 'DefaultActions'),
        certificates: params.structs('Certificates').map((c) => c.required('CertificateArn')), sslPolicy: params.get('SslPolicy'), tags: tags(params),
      });
      return { Listeners: [listenerXml(l)] };
    },

    async ModifyTargetGroup(params, ctx) {
      const arn = params.required('TargetGroupArn');
      if (!own(ctx)(store.targetGroup(arn))) throw tgNotFound();
      await store.setHealthCheck(arn, healthCheck(params));
      const tg = store.targetGroup(arn) as TargetGroupDoc;
      return { TargetGroups: [targetGroupXml(tg, store.loadBalancerArnsOf(arn))] };
    },

    async DeleteLoadBalancer(params, ctx) {
      const arn = params.required('LoadBalancerArn');
      const lb = store.loadBalancer(arn);
      if (lb && !own(ctx)(lb)) throw lbNotFound();
      await store.deleteLoadBalancer(arn);
      return {};
    },

    async DeleteTargetGroup(params, ctx) {
      const arn = params.required('TargetGroupArn');
      const tg = store.targetGroup(arn);
      if (tg && !own(ctx)(tg)) throw tgNotFound();
      await store.deleteTargetGroup(arn);
      return {};
    },

    async DeleteListener(params, ctx) {
      const arn = params.required('ListenerArn');
      const l = store.listener(arn);
      if (!l || !own(ctx)(store.loadBalancer(l.loadBalancerArn))) throw listenerNotFound();
      await store.deleteListener(arn);
      return {};
    },

    async RemoveTags(params) {
      const keys = params.list('TagKeys');
      for (const arn of params.list('ResourceArns')) await store.removeTags(arn, keys);
      return {};
    },
  };
}
