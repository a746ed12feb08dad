/**
 * Reading EKS rest-json request members. botocore validates only required members, types and
 * `min`; the server checks the rest (patterns, max lengths, enums) and answers
 * InvalidParameterException naming the member, as EKS does.
 */
import type { RestJsonRequest } from '../../core/types.js';
import { invalidParameter, type EksErrorFields } from './errors.js';

export type Body = Record<string, unknown>;

export function optString(body: Body, key: string, fields: EksErrorFields = {}): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidParameter(`${key} must be a string`, fields);
  return v;
}

export function reqString(body: Body, key: string, fields: EksErrorFields = {}): string {
  const v = optString(body, key, fields);
  if (v === undefined || v === '') throw invalidParameter(`${key} is required`, fields);
  return v;
}

export function optBool(body: Body, key: string, fields: EksErrorFields = {}): boolean | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalidParameter(`${key} must be a boolean`, fields);
  return v;
}

export function optStringList(body: Body, key: string, fields: EksErrorFields = {}): string[] | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalidParameter(`${key} must be a list of strings`, fields);
  return v as string[];
}

export function optObject(body: Body, key: string, fields: EksErrorFields = {}): Body | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidParameter(`${key} must be a structure`, fields);
  return v as Body;
}

/** A TagMap: 1–50 entries, keys 1–128 chars, values ≤ 256 chars, no `aws:` prefix (EKS TagMap rules). */
export function optTags(body: Body, key = 'tags', fields: EksErrorFields = {}): Record<string, string> | undefined {
  const o = optObject(body, key, fields);
  if (!o) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) {
    if (typeof v !== 'string') throw invalidParameter(`The value of tag ${k} must be a string`, fields);
    if (k.length < 1 || k.length > 128 || v.length > 256) throw invalidParameter(`Tag ${k} is not valid: keys are 1-128 characters and values at most 256`, fields);
    if (k.toLowerCase().startsWith('aws:')) throw invalidParameter('Tag keys cannot start with "aws:"', fields);
    out[k] = v;
  }
  if (Object.keys(out).length > 50) throw invalidParameter('Tags cannot contain more than 50 entries', fields);
  return out;
}

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], member: string, fields: EksErrorFields = {}): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw invalidParameter(`${member} must be one of [${allowed.join(', ')}]`, fields);
  return value as T;
}

/**
 * One page of a list (EKS paginators: maxResults 1–100, nextToken opaque). The token is the
 * base64 of the last returned key; the next page starts after it (or, when it was deleted
 * meanwhile, at the first greater key of a sorted list).
 */
export function paginate<T>(items: T[], keyOf: (t: T) => string, req: RestJsonRequest, fields: EksErrorFields = {}, defaultMax = 100): { page: T[]; nextToken?: string } {
  const raw = req.query.get('maxResults');
  let max = defaultMax;
  if (raw !== null && raw !== '') {
    max = Number(raw);
    if (!Number.isInteger(max) || max < 1 || max > 100) throw invalidParameter('maxResults must be between 1 and 100', fields);
  }
  const token = req.query.get('nextToken');
  let start = 0;
  if (token) {
    let after: string;
    try { after = Buffer.from(token, 'base64url').toString('utf8'); } catch { throw invalidParameter('The nextToken is not valid', fields); }
    if (!after) throw invalidParameter('The nextToken is not valid', fields);
    const at = items.findIndex((t) => keyOf(t) === after);
    start = at >= 0 ? at + 1 : items.findIndex((t) => keyOf(t) > after);
    if (start < 0) start = items.length;
  }
  const page = items.slice(start, start + max);
  const more = start + max < items.length;
  return more ? { page, nextToken: Buffer.from(keyOf(page[page.length - 1]), 'utf8').toString('base64url') } : { page };
}

/** Epoch seconds with milliseconds, as rest-json timestamps travel (e.g. 1565806986.506). */
export const epochSeconds = (ms: number): number => ms / 1000;
