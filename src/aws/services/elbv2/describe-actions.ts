/**
 * ELBv2 read operations: DescribeLoadBalancers, DescribeTargetGroups, DescribeTargetHealth,
 * DescribeListeners, DescribeRules, DescribeTags, DescribeLoadBalancerAttributes,
 * DescribeTargetGroupAttributes. Scoped to the caller's account and the request's region.
 * Unknown ARNs or names are errors (LoadBalancerNotFound, TargetGroupNotFound, …), as AWS does;
 * paging with Marker/PageSize (1..400).
 */
import { type AwsRequestContext, type QueryHandler, type QueryParams, type XmlObject } from '../../core/types.js';
import { lbNotFound, listenerNotFound, ruleNotFound, tgNotFound, validation } from './errors.js';
import { view } from './health.js';
import type { Elbv2Store } from './backend.js';
import type { ListenerDoc, LoadBalancerDoc, RuleDoc, TargetGroupDoc } from './model.js';
import {
  attributesXml, defaultLbAttributes, defaultTgAttributes, listenerXml, loadBalancerXml, ruleXml, tagsXml, targetGroupXml, targetHealthXml,
} from './shapes.js';

function page<T>(params: QueryParams, items: T[]): { items: T[]; NextMarker?: string } {
  const size = params.int('PageSize') ?? 400;
  if (size < 1 || size > 400) throw validation(`1 validation error detected: Value '${size}' at 'pageSize' failed to satisfy constraint: Member must have value less than or equal to 400`);
  const marker = params.get('Marker');
  const start = marker ? Number(Buffer.from(marker, 'base64url').toString('utf8')) : 0;
  if (!Number.isInteger(start) || start < 0) throw validation('Invalid Marker');
  const slice = items.slice(start, start + size);
  return { items: slice, ...(start + size < items.length ? { NextMarker: Buffer.from(String(start + size)).toString('base64url') } : {}) };
}

const mine = (ctx: AwsRequestContext) => (d: { region: string; accountId: string }): boolean => d.region === ctx.region && d.accountId === ctx.caller.accountId;

export function describeActions(store: Elbv2Store): Record<string, QueryHandler> {
  const lbIn = (ctx: AwsRequestContext, arn: string): LoadBalancerDoc => {
    const lb = store.loadBalancer(arn);
    if (!lb || !mine(ctx)(lb)) throw lbNotFound();
    return lb;
  };
  const tgIn = (ctx: AwsRequestContext, arn: string): TargetGroupDoc => {
    const tg = store.targetGroup(arn);
    if (!tg || !mine(ctx)(tg)) throw tgNotFound();
    return tg;
  };
  const listenerIn = (ctx: AwsRequestContext, arn: string): ListenerDoc => {
    const l = store.listener(arn);
    if (!l) throw listenerNotFound();
    lbIn(ctx, l.loadBalancerArn);
    return l;
  };

  return {
    DescribeLoadBalancers(params, ctx) {
      const arns = params.list('LoadBalancerArns');
      const names = params.list('Names');
      if (arns.length && names.length) throw validation('Load balancer names and load balancer ARNs cannot be specified at the same time');
      let lbs = store.loadBalancers().filter(mine(ctx));
      if (arns.length) lbs = arns.map((a) => lbIn(ctx, a));
      if (names.length) {
        lbs = names.map((n) => lbs.find((l) => l.name === n) ?? (() => { throw lbNotFound(); })());
      }
      const p = page(params, lbs);
      return { LoadBalancers: p.items.map(loadBalancerXml), NextMarker: p.NextMarker };
    },

    DescribeTargetGroups(params, ctx) {
      const lbArn = params.get('LoadBalancerArn');
      const arns = params.list('TargetGroupArns');
      const names = params.list('Names');
      let tgs = store.targetGroups().filter(mine(ctx));
      if (lbArn) {
        lbIn(ctx, lbArn);
        tgs = tgs.filter((t) => store.loadBalancerArnsOf(t.arn).includes(lbArn));
      }
      if (arns.length) tgs = arns.map((a) => tgIn(ctx, a));
      if (names.length) tgs = names.map((n) => tgs.find((t) => t.name === n) ?? (() => { throw tgNotFound(); })());
      const p = page(params, tgs);
      return { TargetGroups: p.items.map((t) => targetGroupXml(t, store.loadBalancerArnsOf(t.arn))), NextMarker: p.NextMarker };
    },

    DescribeTargetHealth(params, ctx) {
      const tg = tgIn(ctx, params.required('TargetGroupArn'));
      const inUse = store.loadBalancerArnsOf(tg.arn).length > 0;
      const now = store.now();
      const targets = store.targetHealth(tg.arn);
      const wanted = params.structs('Targets').map((t) => ({ id: t.required('Id'), port: t.int('Port') }));
      const out: XmlObject[] = [];
      if (wanted.length === 0) for (const t of targets) out.push(targetHealthXml(view(t, now, inUse), tg));
      for (const w of wanted) {
        const found = targets.filter((t) => t.id === w.id && (w.port === undefined || t.port === w.port));
        if (found.length) for (const t of found) out.push(targetHealthXml(view(t, now, inUse), tg));
        else {
          out.push({
            Target: { Id: w.id, Port: w.port ?? tg.port },
            HealthCheckPort: String(w.port ?? tg.port),
            TargetHealth: { State: 'unused', Reason: 'Target.NotRegistered', Description: 'Target is not registered to the target group' },
          });
        }
      }
      return { TargetHealthDescriptions: out };
    },

    DescribeListeners(params, ctx) {
      const lbArn = params.get('LoadBalancerArn');
      const arns = params.list('ListenerArns');
      if (!lbArn && arns.length === 0) throw validation('You must specify either listener ARNs or a load balancer ARN');
      const ls = arns.length ? arns.map((a) => listenerIn(ctx, a)) : store.listeners(lbIn(ctx, lbArn as string).arn);
      const p = page(params, ls);
      return { Listeners: p.items.map(listenerXml), NextMarker: p.NextMarker };
    },

    DescribeRules(params, ctx) {
      const listenerArn = params.get('ListenerArn');
      const arns = params.list('RuleArns');
      if (!listenerArn && arns.length === 0) throw validation('You must specify either listener rule ARNs or a listener ARN');
      let rules: RuleDoc[];
      if (listenerArn) rules = store.rules(listenerIn(ctx, listenerArn).arn);
      else {
        const all = store.loadBalancers().filter(mine(ctx)).flatMap((lb) => store.listeners(lb.arn)).flatMap((l) => store.rules(l.arn));
        rules = arns.map((a) => all.find((r) => r.arn === a) ?? (() => { throw ruleNotFound(); })());
      }
      const p = page(params, rules);
      return { Rules: p.items.map(ruleXml), NextMarker: p.NextMarker };
    },

    DescribeTags(params, ctx) {
      const arns = params.list('ResourceArns');
      if (arns.length === 0) throw validation("1 validation error detected: Value null at 'resourceArns' failed to satisfy constraint: Member must not be null");
      return {
        TagDescriptions: arns.map((arn) => {
          const tags = store.tagsOf(arn);
          const owner = store.loadBalancer(arn) ?? store.targetGroup(arn);
          if (!tags || (owner && !mine(ctx)(owner))) throw arn.includes(':targetgroup/') ? tgNotFound() : arn.includes(':listener') ? listenerNotFound() : lbNotFound();
          return { ResourceArn: arn, Tags: tagsXml(tags) };
        }),
      };
    },

    DescribeLoadBalancerAttributes(params, ctx) {
      const lb = lbIn(ctx, params.required('LoadBalancerArn'));
      return { Attributes: attributesXml(defaultLbAttributes(lb.type), lb.attributes) };
    },

    DescribeTargetGroupAttributes(params, ctx) {
      const tg = tgIn(ctx, params.required('TargetGroupArn'));
      return { Attributes: attributesXml(defaultTgAttributes(tg), tg.attributes) };
    },
  };
}
