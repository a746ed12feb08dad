/**
 * Auto Scaling paging: MaxRecords (1..100 for most calls) and an opaque NextToken naming the
 * last key returned; an unusable token is InvalidNextToken, as the model declares.
 */
import { AwsError, type QueryParams } from '../../core/types.js';
import { validationError } from './sizing.js';

export function pageOf<T>(params: QueryParams, items: T[], keyOf: (t: T) => string, opts: { max: number; dflt: number }): { items: T[]; nextToken?: string } {
  const n = params.int('MaxRecords') ?? opts.dflt;
  if (n < 1 || n > opts.max) throw validationError(`1 validation error detected: Value '${n}' at 'maxRecords' failed to satisfy constraint: Member must have value less than or equal to ${opts.max}`);
  let start = 0;
  const token = params.get('NextToken');
  if (token) {
    const after = Buffer.from(token, 'base64url').toString('utf8');
    if (!after) throw new AwsError('InvalidNextToken', 'The token is invalid.');
    const idx = items.findIndex((t) => keyOf(t) > after);
    start = idx < 0 ? items.length : idx;
  }
  const slice = items.slice(start, start + n);
  const more = start + n < items.length && slice.length > 0;
  return { items: slice, ...(more ? { nextToken: Buffer.from(keyOf(slice[slice.length - 1])).toString('base64url') } : {}) };
}
