/**
 * EC2 tags on VPCs, subnets, security groups and instances: CreateTags, DeleteTags, DescribeTags.
 * A tag write names resources by id; the id's prefix says which table it lives in.
 */
import { AwsError, type QueryHandler } from '../../core/types.js';
import type { Collection } from './collection.js';
import { inScope, maxResultsIn, page, scopeOf, type Scope } from './common.js';
import type { Ec2State } from './ec2-state.js';
import { checkIdShape, missingParameter, notFound, type IdKind } from './errors.js';
import { applyFilters, readFilters } from './filters.js';
import type { Scoped } from './model.js';

interface Taggable extends Scoped { tags: Record<string, string> }

interface Kind {
  prefix: IdKind;
  type: string;
  docs: (s: Ec2State) => Collection<Taggable>;
}

const KINDS: Kind[] = [
  { prefix: 'vpc', type: 'vpc', docs: (s) => s.vpcs as unknown as Collection<Taggable> },
  { prefix: 'subnet', type: 'subnet', docs: (s) => s.subnets as unknown as Collection<Taggable> },
  { prefix: 'sg', type: 'security-group', docs: (s) => s.groups as unknown as Collection<Taggable> },
  { prefix: 'i', type: 'instance', docs: (s) => s.instances as unknown as Collection<Taggable> },
];

function resolve(state: Ec2State, scope: Scope, id: string): { kind: Kind; doc: Taggable } {
  const kind = KINDS.find((k) => id.startsWith(`${k.prefix}-`));
  if (!kind) throw new AwsError('InvalidID', `The ID '${id}' is not valid`);
  checkIdShape(kind.prefix, id);
  const doc = kind.docs(state).get(id);
  if (!doc || !inScope(doc, scope)) throw notFound(kind.prefix, [id]);
  return { kind, doc };
}

/** Adds, replaces or removes tags of one resource (used by the actions and the backend). */
export async function retag(state: Ec2State, scope: Scope, id: string, change: (tags: Record<string, string>) => Record<string, string>): Promise<void> {
  const { kind, doc } = resolve(state, scope, id);
  await kind.docs(state).save(id, { ...doc, tags: change({ ...doc.tags }) });
}

export function tagActions(state: Ec2State): Record<string, QueryHandler> {
  return {
    async CreateTags(params, ctx) {
      const scope = scopeOf(ctx);
      const ids = params.list('ResourceId');
      if (ids.length === 0) throw missingParameter('ResourceId');
      const tags = params.structs('Tag').map((t) => [t.required('Key'), t.get('Value') ?? ''] as const);
      if (tags.length === 0) throw missingParameter('Tag');
      for (const id of ids) resolve(state, scope, id);
      for (const id of ids) await retag(state, scope, id, (cur) => ({ ...cur, ...Object.fromEntries(tags) }));
      return { return: true };
    },

    async DeleteTags(params, ctx) {
      const scope = scopeOf(ctx);
      const ids = params.list('ResourceId');
      if (ids.length === 0) throw missingParameter('ResourceId');
      const tags = params.structs('Tag').map((t) => ({ key: t.required('Key'), value: t.get('Value') }));
      for (const id of ids) resolve(state, scope, id);
      for (const id of ids) {
        await retag(state, scope, id, (cur) => {
          if (tags.length === 0) return {};
          for (const t of tags) if (t.key in cur && (t.value === undefined || cur[t.key] === t.value)) delete cur[t.key];
          return cur;
        });
      }
      return { return: true };
    },

    DescribeTags(params, ctx) {
      const scope = scopeOf(ctx);
      const rows: Array<{ resourceId: string; resourceType: string; key: string; value: string }> = [];
      for (const kind of KINDS) {
        for (const doc of kind.docs(state).values()) {
          if (!inScope(doc, scope)) continue;
          const id = (doc as unknown as Record<string, string>)[{ vpc: 'vpcId', subnet: 'subnetId', sg: 'groupId', i: 'instanceId' }[kind.prefix]];
          for (const [key, value] of Object.entries(doc.tags)) rows.push({ resourceId: id, resourceType: kind.type, key, value });
        }
      }
      const filtered = applyFilters(rows, readFilters(params), {
        'key': (r) => r.key,
        'value': (r) => r.value,
        'resource-id': (r) => r.resourceId,
        'resource-type': (r) => r.resourceType,
      }, () => ({}));
      filtered.sort((a, b) => a.resourceId.localeCompare(b.resourceId) || a.key.localeCompare(b.key));
      const p = page(filtered, (r) => `${r.resourceId}\u0000${r.key}`, maxResultsIn(params, 5, 1000), params.get('NextToken'));
      return { tagSet: p.items.map((r) => ({ resourceId: r.resourceId, resourceType: r.resourceType, key: r.key, value: r.value })), nextToken: p.nextToken };
    },
  };
}
