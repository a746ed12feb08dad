/**
 * Helpers every IAM action shares: the caller's account, tags in and out, Marker/MaxItems paging,
 * policy-document checks, and ARN parsing.
 */
import type { AwsRequestContext, QueryParams, XmlObject } from '../../core/types.js';
import { invalidInput, malformedPolicy, validationError } from './errors.js';
import type { Tag } from './model.js';
import { MAX_ITEMS, TAG_KEY, TAG_VALUE, Validator } from './validate.js';

/** The account an IAM request acts on: the caller's. */
export function accountOf(ctx: AwsRequestContext): string {
  return ctx.caller.accountId;
}

/** `Tags.member.N.Key|Value`, validated (keys, values, at most 50, no duplicate keys). */
export function readTags(params: QueryParams, name = 'Tags'): Tag[] {
  const tags = params.structs(name).map((s) => ({ Key: s.get('Key') ?? '', Value: s.get('Value') ?? '' }));
  const v = new Validator();
  tags.forEach((t, i) => {
    v.check(`tags.${i + 1}.member.key`, t.Key, TAG_KEY);
    v.check(`tags.${i + 1}.member.value`, t.Value, TAG_VALUE);
  });
  if (tags.length > 50) v.check('tags', `[${tags.length} tags]`, { max: 0 });
  v.throwIfAny();
  const seen = new Set<string>();
  for (const t of tags) {
    const k = t.Key.toLowerCase();
    if (seen.has(k)) throw invalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(k);
  }
  return tags;
}

/** Merges `add` into `tags` (keys case-insensitive, later values win), as TagRole/TagUser do. */
export function mergeTags(tags: Tag[], add: Tag[]): Tag[] {
  const out = [...tags];
  for (const t of add) {
    const i = out.findIndex((o) => o.Key.toLowerCase() === t.Key.toLowerCase());
    if (i >= 0) out[i] = t; else out.push(t);
  }
  if (out.length > 50) throw validationError('The number of tags has reached the maximum limit.');
  return out;
}

export function removeTags(tags: Tag[], keys: string[]): Tag[] {
  const drop = new Set(keys.map((k) => k.toLowerCase()));
  return tags.filter((t) => !drop.has(t.Key.toLowerCase()));
}

/** One page of `items` per Marker/MaxItems (default 100), with IsTruncated and the next Marker. */
export function page<T>(items: T[], params: QueryParams): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const max = params.int('MaxItems') ?? 100;
  const v = new Validator();
  v.check('maxItems', max, MAX_ITEMS);
  v.throwIfAny();
  const marker = params.get('Marker');
  let start = 0;
  if (marker !== undefined && marker !== '') {
    const m = /^m(\d+)$/.exec(Buffer.from(marker, 'base64url').toString('utf8'));
    if (!m) throw validationError('Invalid Marker.');
    start = Number(m[1]);
  }
  const slice = items.slice(start, start + max);
  const more = start + max < items.length;
  return { items: slice, IsTruncated: more, ...(more ? { Marker: Buffer.from(`m${start + max}`).toString('base64url') } : {}) };
}

/** The paging members of a List* result. */
export function pageXml(p: { IsTruncated: boolean; Marker?: string }): XmlObject {
  return { IsTruncated: p.IsTruncated, Marker: p.Marker };
}

/**
 * A policy document must be JSON naming a Statement. IAM answers non-JSON permission policies
 * with "Syntax errors in policy." and trust policies with "This policy contains invalid Json".
 */
export function checkPolicyDocument(doc: string, kind: 'permissions' | 'trust'): void {
  let parsed: unknown;
  try { parsed = JSON.parse(doc); } catch {
    throw malformedPolicy(kind === 'trust' ? 'This policy contains invalid Json' : 'Syntax errors in policy.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw malformedPolicy(kind === 'trust' ? 'This policy contains invalid Json' : 'Syntax errors in policy.');
  }
  const st = (parsed as Record<string, unknown>).Statement;
  if (st === undefined || st === null || typeof st !== 'object') throw malformedPolicy('Syntax errors in policy.');
}

export interface ParsedIamArn {
  accountId: string;
  /** user | role | policy | oidc-provider | instance-profile */
  resourceType: string;
  /** Everything after `<type>/` (path + name). */
  resource: string;
  /** The last path segment. */
  name: string;
  /** `/` + the segments before the name + `/`. */
  path: string;
}

/** Parses arn:aws:iam::<account|aws>:<type>/<path><name>; undefined when it is not one. */
export function parseIamArn(arn: string): ParsedIamArn | undefined {
  const m = /^arn:aws:iam::(\d{12}|aws):([a-z-]+)\/(.+)$/.exec(arn);
  if (!m) return undefined;
  const resource = m[3];
  const cut = resource.lastIndexOf('/');
  return {
    accountId: m[1], resourceType: m[2], resource,
    name: cut < 0 ? resource : resource.slice(cut + 1),
    path: cut < 0 ? '/' : `/${resource.slice(0, cut + 1)}`,
  };
}

export function nowIso(now: number): string {
  return new Date(now).toISOString();
}
