/**
 * QueryParams over a plain record for unit tests of query/ec2 handlers without HTTP, read by the
 * core's own codec (aws/core/query-params.ts), so the list conventions are the real ones: ec2
 * `Name.N`, query `Name.member.N` (maps `Name.entry.N.key`).
 */
import { queryParams } from '../../core/query-params.js';
import type { QueryParams } from '../../core/types.js';

export function fakeParams(record: Record<string, string | number | boolean>, protocol: 'ec2' | 'query'): QueryParams {
  return queryParams(new Map(Object.entries(record).map(([k, v]) => [k, String(v)])), protocol);
}
