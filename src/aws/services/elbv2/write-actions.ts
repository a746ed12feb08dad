/**
 * The ELBv2 writes users make by hand beside the controller: RegisterTargets,
 * DeregisterTargets, AddTags, ModifyTargetGroupAttributes, ModifyLoadBalancerAttributes.
 * (CreateLoadBalancer & co.: create-actions.ts.)
 */
import type { AwsRequestContext, QueryHandler, QueryParams } from '../../core/types.js';
import type { Elbv2Store } from './backend.js';
import { lbNotFound, tgNotFound, validation } from './errors.js';
import type { TargetGroupDoc, TargetRef } from './model.js';

function targetsOf(params: QueryParams, tg: TargetGroupDoc): TargetRef[] {
  const list = params.structs('Targets').map((t) => {
    const ref: TargetRef = { id: t.required('Id'), port: t.int('Port') ?? tg.port };
    const az = t.get('AvailabilityZone');
    if (az) ref.availabilityZone = az;
    return ref;
  });
  if (list.length === 0) throw validation("1 validation error detected: Value null at 'targets' failed to satisfy constraint: Member must not be null");
  return list;
}

function attributes(params: QueryParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of params.structs('Attributes')) out[a.required('Key')] = a.get('Value') ?? '';
  return out;
}

export function writeActions(store: Elbv2Store): Record<string, QueryHandler> {
  const tgIn = (ctx: AwsRequestContext, arn: string): TargetGroupDoc => {
    const tg = store.targetGroup(arn);
    if (!tg || tg.region !== ctx.region || tg.accountId !== ctx.caller.accountId) throw tgNotFound();
    return tg;
  };
  return {
    async RegisterTargets(params, ctx) {
      const tg = tgIn(ctx, params.required('TargetGroupArn'));
      await store.registerTargets(tg.arn, targetsOf(params, tg));
      return {};
    },
    async DeregisterTargets(params, ctx) {
      const tg = tgIn(ctx, params.required('TargetGroupArn'));
      await store.deregisterTargets(tg.arn, targetsOf(params, tg));
      return {};
    },
    async AddTags(params) {
      const tags: Record<string, string> = {};
      for (const t of params.structs('Tags')) tags[t.required('Key')] = t.get('Value') ?? '';
      for (const arn of params.list('ResourceArns')) await store.addTags(arn, tags);
      return {};
    },
    async ModifyTargetGroupAttributes(params, ctx) {
      const tg = tgIn(ctx, params.required('TargetGroupArn'));
      await store.setTargetGroupAttributes(tg.arn, attributes(params));
      const cur = store.targetGroup(tg.arn) as TargetGroupDoc;
      return { Attributes: Object.entries(cur.attributes).map(([Key, Value]) => ({ Key, Value })) };
    },
    async ModifyLoadBalancerAttributes(params, ctx) {
      const arn = params.required('LoadBalancerArn');
      const lb = store.loadBalancer(arn);
      if (!lb || lb.region !== ctx.region || lb.accountId !== ctx.caller.accountId) throw lbNotFound();
      await store.setLoadBalancerAttributes(arn, attributes(params));
      const cur = store.loadBalancer(arn);
      return { Attributes: Object.entries(cur?.attributes ?? {}).map(([Key, Value]) => ({ Key, Value })) };
    },
  };
}
