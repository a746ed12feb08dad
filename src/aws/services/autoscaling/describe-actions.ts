/**
 * Auto Scaling read operations: DescribeAutoScalingGroups (names; Filters tag:<key>, tag-key,
 * tag-value; unknown names simply do not appear), DescribeAutoScalingInstances,
 * DescribeScalingActivities (newest first), DescribeTags.
 */
import type { QueryHandler, QueryParams } from '../../core/types.js';
import type { GroupEngine } from './engine.js';
import type { GroupDoc, GroupTag } from './model.js';
import { pageOf } from './paging.js';
import { activityXml, autoScalingInstanceXml, groupXml, tagXml } from './shapes.js';
import { validationError } from './sizing.js';

interface Filter { name: string; values: string[] }

function readFilters(params: QueryParams): Filter[] {
  return params.structs('Filters').map((f) => ({ name: f.required('Name'), values: f.list('Values') }));
}

function groupMatches(g: GroupDoc, f: Filter): boolean {
  const anyTag = (pred: (t: GroupTag) => boolean): boolean => g.tags.some(pred);
  if (f.name.startsWith('tag:')) {
    const key = f.name.slice(4);
    return anyTag((t) => t.key === key && f.values.includes(t.value));
  }
  if (f.name === 'tag-key') return anyTag((t) => f.values.includes(t.key));
  if (f.name === 'tag-value') return anyTag((t) => f.values.includes(t.value));
  throw validationError(`Filter name '${f.name}' is not supported.`);
}

export function describeActions(engine: GroupEngine): Record<string, QueryHandler> {
  return {
    DescribeAutoScalingGroups(params, ctx) {
      const names = params.list('AutoScalingGroupNames');
      const filters = readFilters(params);
      const groups = engine.list(ctx.caller.accountId, ctx.region)
        .filter((g) => names.length === 0 || names.includes(g.name))
        .filter((g) => filters.every((f) => groupMatches(g, f)));
      const p = pageOf(params, groups, (g) => g.name, { max: 100, dflt: 50 });
      const withInstances = params.bool('IncludeInstances') ?? true;
      return { AutoScalingGroups: p.items.map((g) => groupXml(g, withInstances)), NextToken: p.nextToken };
    },

    DescribeAutoScalingInstances(params, ctx) {
      const ids = params.list('InstanceIds');
      const rows = engine.list(ctx.caller.accountId, ctx.region)
        .flatMap((g) => g.instances.map((i) => ({ g, i })))
        .filter((r) => ids.length === 0 || ids.includes(r.i.instanceId))
        .sort((a, b) => a.i.instanceId.localeCompare(b.i.instanceId));
      const p = pageOf(params, rows, (r) => r.i.instanceId, { max: 50, dflt: 50 });
      return { AutoScalingInstances: p.items.map((r) => autoScalingInstanceXml(r.g, r.i)), NextToken: p.nextToken };
    },

    DescribeScalingActivities(params, ctx) {
      const name = params.get('AutoScalingGroupName');
      const ids = params.list('ActivityIds');
      const list = engine.activities.list(ctx.caller.accountId, ctx.region, name)
        .filter((a) => ids.length === 0 || ids.includes(a.activityId));
      // Newest first; the page key must grow along the list, so it counts down from the newest.
      const top = list[0]?.seq ?? 0;
      const p = pageOf(params, list, (a) => String(top - a.seq).padStart(12, '0'), { max: 100, dflt: 100 });
      return { Activities: p.items.map(activityXml), NextToken: p.nextToken };
    },

    DescribeTags(params, ctx) {
      const filters = readFilters(params);
      const rows = engine.list(ctx.caller.accountId, ctx.region).flatMap((g) => g.tags.map((t) => ({ g, t })))
        .filter(({ g, t }) => filters.every((f) => {
          switch (f.name) {
            case 'auto-scaling-group': return f.values.includes(g.name);
            case 'key': return f.values.includes(t.key);
            case 'value': return f.values.includes(t.value);
            case 'propagate-at-launch': return f.values.includes(String(t.propagateAtLaunch));
            default: throw validationError(`Filter name '${f.name}' is not supported.`);
          }
        }));
      const p = pageOf(params, rows, (r) => `${r.g.name}\u0000${r.t.key}`, { max: 100, dflt: 50 });
      return { Tags: p.items.map((r) => tagXml(r.g, r.t)), NextToken: p.nextToken };
    },
  };
}
