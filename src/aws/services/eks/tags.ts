/**
 * TagResource / UntagResource / ListTagsForResource (POST / DELETE / GET /tags/{resourceArn}).
 * The ARN names the resource: cluster, addon and access-entry ARNs are this part's; nodegroup and
 * fargateprofile ARNs (and others) reach their owners through registered EksTaggable hooks.
 * Errors are the tags API's own, not the cluster ones (botocore eks model): a malformed ARN →
 * BadRequestException 400, an unknown resource → NotFoundException 404 (moto's wording
 * "Resource was not found"). Tag changes are allowed during updates (aws/aws-sdk#33452).
 */
import type { RestJsonRoute } from '../../core/types.js';
import type { EksTaggable } from './model.js';
import { eksError } from './errors.js';
import { optTags } from './params.js';

const ARN_RE = /^arn:aws[\w-]*:eks:([a-z0-9-]+):(\d{12}):([a-z-]+)\/(.+)$/;

export interface TagRegistry {
  register(t: EksTaggable): void;
  routes: RestJsonRoute[];
}

export function tagRoutes(own: EksTaggable[]): TagRegistry {
  const hooks = [...own];
  const resolve = (arn: string): { hook: EksTaggable; tags: Record<string, string> } => {
    const m = ARN_RE.exec(arn);
    if (!m) throw eksError('BadRequestException', `${arn} is not a valid resource ARN`);
    for (const hook of hooks.filter((h) => h.resourceType === m[3])) {
      const tags = hook.tags(arn);
      if (tags) return { hook, tags };
    }
    throw eksError('NotFoundException', 'Resource was not found');
  };
  const routes: RestJsonRoute[] = [
    {
      method: 'GET', path: '/tags/{resourceArn}', operation: 'ListTagsForResource',
      handler: (req) => ({ tags: { ...resolve(req.params.resourceArn).tags } }),
    },
    {
      method: 'POST', path: '/tags/{resourceArn}', operation: 'TagResource',
      handler: async (req) => {
        const { hook, tags } = resolve(req.params.resourceArn);
        let add: Record<string, string> | undefined;
        try { add = optTags(req.body, 'tags'); } catch (e) { throw eksError('BadRequestException', (e as Error).message); }
        if (!add || Object.keys(add).length === 0) throw eksError('BadRequestException', 'tags must contain at least one entry');
        const next = { ...tags, ...add };
        if (Object.keys(next).length > 50) throw eksError('BadRequestException', 'A resource cannot have more than 50 tags');
        await hook.setTags(req.params.resourceArn, next);
        return {};
      },
    },
    {
      method: 'DELETE', path: '/tags/{resourceArn}', operation: 'UntagResource',
      handler: async (req) => {
        const { hook, tags } = resolve(req.params.resourceArn);
        const keys = req.query.getAll('tagKeys');
        if (keys.length === 0) throw eksError('BadRequestException', 'tagKeys must contain at least one key');
        const next = { ...tags };
        for (const k of keys) delete next[k];
        await hook.setTags(req.params.resourceArn, next);
        return {};
      },
    },
  ];
  return { register: (t) => { hooks.push(t); }, routes };
}
