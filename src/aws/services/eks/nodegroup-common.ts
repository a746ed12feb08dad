/**
 * Helpers shared by the EKS compute parts (node groups, Fargate profiles): the rest-json error
 * factories with EKS's wording and status codes (aws-api-surface.md §1.5/§1.6), typed readers
 * for JSON request bodies (botocore validates only required members, types and `min`; the
 * server checks the rest), list pagination (`maxResults` 1–100, opaque `nextToken`) and the
 * cluster lookup every cluster-scoped operation starts with.
 */
import { AwsError } from '../../core/types.js';
import type { ClusterLookup, EksClusterView } from './model.js';

// ---- errors (status codes from the model, messages from real AWS via moto / issues) ----------

export function invalidParameter(message: string, fields: Record<string, unknown> = {}): AwsError {
  return new AwsError('InvalidParameterException', message, 400, fields);
}

export function invalidRequest(message: string, fields: Record<string, unknown> = {}): AwsError {
  return new AwsError('InvalidRequestException', message, 400, fields);
}

export function resourceInUse(message: string, fields: Record<string, unknown> = {}): AwsError {
  return new AwsError('ResourceInUseException', message, 409, fields);
}

export function resourceNotFound(message: string, fields: Record<string, unknown> = {}): AwsError {
  return new AwsError('ResourceNotFoundException', message, 404, fields);
}

/** `No cluster found for name: <n>.` — every cluster-scoped operation on an unknown cluster. */
export function clusterNotFound(name: string): AwsError {
  return resourceNotFound(`No cluster found for name: ${name}.`, { clusterName: name });
}

/** The cluster of the request's account and region, or ResourceNotFoundException. */
export function requireCluster(clusters: ClusterLookup, accountId: string, region: string, name: string): EksClusterView {
  const c = clusters.find(accountId, region, name);
  if (!c) throw clusterNotFound(name);
  return c;
}

/** Node groups and Fargate profiles can only be created on an ACTIVE cluster (moto's wording). */
export function requireActive(c: EksClusterView): void {
  if (c.status !== 'ACTIVE') throw invalidRequest(`Cluster '${c.name}' is not in ACTIVE status`, { clusterName: c.name });
}

// ---- body readers -----------------------------------------------------------------------------

type Body = Record<string, unknown>;

export function optString(body: Body, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidParameter(`${key} must be a string`);
  return v;
}

export function reqString(body: Body, key: string): string {
  const v = optString(body, key);
  if (v === undefined || v === '') throw invalidParameter(`${key} is required`);
  return v;
}

export function optInt(body: Body, key: string): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw invalidParameter(`${key} must be an integer`);
  return v;
}

export function optBool(body: Body, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalidParameter(`${key} must be a boolean`);
  return v;
}

export function optStringList(body: Body, key: string): string[] | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalidParameter(`${key} must be a list of strings`);
  return v as string[];
}

export function optStringMap(body: Body, key: string): Record<string, string> | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string')) throw invalidParameter(`${key} must be a map of strings`);
  return { ...(v as Record<string, string>) };
}

export function optObject(body: Body, key: string): Body | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidParameter(`${key} must be a structure`);
  return v as Body;
}

export function optObjectList(body: Body, key: string): Body[] | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'object' || x === null || Array.isArray(x))) throw invalidParameter(`${key} must be a list of structures`);
  return v as Body[];
}

/** Tags: at most 50, keys 1–128 characters, values ≤ 256, no `aws:` prefix (the model and the tagging rules). */
export function validateTags(tags: Record<string, string> | undefined): Record<string, string> {
  if (!tags) return {};
  if (Object.keys(tags).length > 50) throw invalidParameter('Too many tags: a resource can have at most 50 tags');
  for (const [k, v] of Object.entries(tags)) {
    if (k.length < 1 || k.length > 128) throw invalidParameter(`Tag key ${k} must be between 1 and 128 characters`);
    if (v.length > 256) throw invalidParameter(`Tag value for key ${k} must be at most 256 characters`);
    if (k.toLowerCase().startsWith('aws:')) throw invalidParameter(`Tag keys prefixed with 'aws:' are reserved: ${k}`);
  }
  return tags;
}

// ---- pagination -------------------------------------------------------------------------------

/**
 * One page of `names` (sorted) for List* operations: `maxResults` 1–100 (default 100), `nextToken`
 * an opaque token naming the first item of the next page.
 */
export function paginate(names: string[], query: URLSearchParams): { items: string[]; nextToken: string | null } {
  const rawMax = query.get('maxResults');
  let max = 100;
  if (rawMax !== null) {
    max = Number(rawMax);
    if (!Number.isInteger(max) || max < 1 || max > 100) throw invalidParameter('maxResults must be between 1 and 100');
  }
  const sorted = [...names].sort();
  let start = 0;
  const token = query.get('nextToken');
  if (token) {
    let first: string;
    try {
      first = Buffer.from(token, 'base64url').toString('utf8');
    } catch {
      throw invalidParameter('The nextToken is not valid');
    }
    if (!first.startsWith('n:')) throw invalidParameter('The nextToken is not valid');
    start = sorted.findIndex((n) => n >= first.slice(2));
    if (start < 0) start = sorted.length;
  }
  const items = sorted.slice(start, start + max);
  const next = sorted[start + max];
  return { items, nextToken: next === undefined ? null : Buffer.from(`n:${next}`).toString('base64url') };
}

/** rest-json timestamps: epoch seconds with milliseconds (botocore parses floats). */
export function epochSeconds(ms: number): number {
  return Math.round(ms) / 1000;
}

/** A stable string key for per-cluster records: account/region/cluster. */
export function clusterKeyOf(accountId: string, region: string, cluster: string): string {
  return `${accountId}/${region}/${cluster}`;
}
