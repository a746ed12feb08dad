/**
 * EC2 Describe* filters: `Filter.N.Name` / `Filter.N.Value.M`. Filters AND together, the values
 * of one filter OR together, values may use the `*` and `?` wildcards, and the tag filters
 * `tag:<key>`, `tag-key` and `tag-value` work on every taggable resource. An unknown filter name
 * is refused with InvalidParameterValue "The filter '<name>' is invalid", as EC2 does.
 */
import type { QueryParams } from '../../core/types.js';
import { invalidParameterValue } from './errors.js';

export interface Ec2Filter {
  name: string;
  values: string[];
}

/** What a filter reads from a resource: one value, several, or none. */
export type FilterAttr<T> = (doc: T) => string | number | boolean | undefined | Array<string | undefined>;

export function readFilters(params: QueryParams): Ec2Filter[] {
  return params.structs('Filter').map((f) => ({ name: f.required('Name'), values: f.list('Value') }));
}

function wildcard(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 's');
}

function asList(v: ReturnType<FilterAttr<unknown>>): string[] {
  if (v === undefined) return [];
  if (Array.isArray(v)) return v.filter((x): x is string => x !== undefined);
  return [String(v)];
}

/**
 * Keeps the documents every filter matches. `attrs` names the non-tag filters the resource
 * supports; `tagsOf` gives its tags (for tag:<k>, tag-key, tag-value).
 */
export function applyFilters<T>(docs: T[], filters: Ec2Filter[], attrs: Record<string, FilterAttr<T>>, tagsOf: (doc: T) => Record<string, string>): T[] {
  if (filters.length === 0) return docs;
  const tests = filters.map((f) => {
    let read: (doc: T) => string[];
    if (f.name.startsWith('tag:')) {
      const key = f.name.slice(4);
      read = (d) => { const t = tagsOf(d); return key in t ? [t[key]] : []; };
    } else if (f.name === 'tag-key') {
      read = (d) => Object.keys(tagsOf(d));
    } else if (f.name === 'tag-value') {
      read = (d) => Object.values(tagsOf(d));
    } else {
      const attr = Object.prototype.hasOwnProperty.call(attrs, f.name) ? attrs[f.name] : undefined;
      if (!attr) throw invalidParameterValue(`The filter '${f.name}' is invalid`);
      read = (d) => asList(attr(d));
    }
    const patterns = f.values.map(wildcard);
    return (d: T): boolean => read(d).some((v) => patterns.some((p) => p.test(v)));
  });
  return docs.filter((d) => tests.every((t) => t(d)));
}
