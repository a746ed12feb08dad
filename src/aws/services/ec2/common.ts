/**
 * Helpers the EC2 actions share: the caller's scope, TagSpecification parsing, id lists and
 * NextToken paging.
 */
import type { AwsRequestContext, QueryParams } from '../../core/types.js';
import { invalidParameterValue } from './errors.js';
import type { Scoped } from './model.js';

export interface Scope {
  accountId: string;
  region: string;
}

export function scopeOf(ctx: AwsRequestContext): Scope {
  return { accountId: ctx.caller.accountId, region: ctx.region };
}

export function inScope(doc: Scoped, scope: Scope): boolean {
  return doc.accountId === scope.accountId && doc.region === scope.region;
}

/** Tags of `TagSpecification.N` entries for one resource type (vpc, subnet, security-group, instance). */
export function tagsFromSpecs(params: QueryParams, resourceType: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const spec of params.structs('TagSpecification')) {
    const type = spec.get('ResourceType');
    if (type && type !== resourceType) continue;
    for (const t of spec.structs('Tag')) tags[t.required('Key')] = t.get('Value') ?? '';
  }
  return tags;
}

/**
 * One page of `items` (already in a stable order) after the item whose key the NextToken names.
 * `maxResults` undefined returns everything. Tokens are opaque base64url of the last key.
 */
export function page<T>(items: T[], keyOf: (t: T) => string, maxResults: number | undefined, nextToken: string | undefined): { items: T[]; nextToken?: string } {
  let start = 0;
  if (nextToken) {
    let after: string;
    try {
      after = Buffer.from(nextToken, 'base64url').toString('utf8');
    } catch {
      throw invalidParameterValue(`Invalid NextToken: ${nextToken}`);
    }
    const idx = items.findIndex((t) => keyOf(t) > after);
    start = idx < 0 ? items.length : idx;
  }
  if (maxResults === undefined) return { items: items.slice(start) };
  const slice = items.slice(start, start + maxResults);
  const more = start + maxResults < items.length;
  return { items: slice, ...(more && slice.length ? { nextToken: Buffer.from(keyOf(slice[slice.length - 1])).toString('base64url') } : {}) };
}

/** Checks MaxResults against the operation's bounds (EC2: "Value ( 2 ) for parameter maxResults is invalid…"). */
export function maxResultsIn(params: QueryParams, min: number, max: number): number | undefined {
  const n = params.int('MaxResults');
  if (n === undefined) return undefined;
  if (n < min || n > max) throw invalidParameterValue(`Value ( ${n} ) for parameter maxResults is invalid. Expecting a value between ${min} and ${max}.`);
  return n;
}
