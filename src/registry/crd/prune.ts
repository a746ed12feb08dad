/**
 * Pruning and defaulting of custom resources against a structural schema
 * (apiextensions-apiserver pkg/apiserver/schema/pruning/algorithm.go and
 * pkg/apiserver/schema/defaulting/algorithm.go):
 *  - fields not specified by `properties`/`additionalProperties` are dropped unless
 *    `x-kubernetes-preserve-unknown-fields` is set; at the root and in embedded resources
 *    apiVersion, kind and metadata are kept;
 *  - a missing field with a `default` gets a copy of it; a null in a non-nullable field is
 *    replaced by its default or dropped. Both mutate in place.
 */
import { isObject, type JSONSchemaProps, type JsonObject } from './schema.js';

const META_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

/** Prunes `obj` (a whole custom resource) in place; returns the pruned paths (for strict field validation). */
export function pruneObject(obj: JsonObject, s: JSONSchemaProps): string[] {
  const pruned: string[] = [];
  pruneValue(obj, s, '', true, pruned);
  return pruned;
}

function pruneValue(v: unknown, s: JSONSchemaProps | undefined, path: string, root: boolean, pruned: string[]): void {
  if (!s) return;
  if (Array.isArray(v)) {
    if (s.items) v.forEach((x, i) => pruneValue(x, s.items, `${path}[${i}]`, false, pruned));
    return;
  }
  if (!isObject(v)) return;
  const keepMeta = root || s['x-kubernetes-embedded-resource'];
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const additional = s.additionalProperties;
  for (const k of Object.keys(v)) {
    // metadata of the object (and of embedded resources) is ObjectMeta, never pruned by the schema.
    if (keepMeta && META_FIELDS.has(k)) continue;
    const child = s.properties?.[k];
    const p = path ? `${path}.${k}` : k;
    if (child) { pruneValue(v[k], child, p, false, pruned); continue; }
    if (isObject(additional)) { pruneValue(v[k], additional as JSONSchemaProps, p, false, pruned); continue; }
    if (additional === true || preserve) continue;
    delete v[k];
    pruned.push(p);
  }
}

/** Applies schema defaults to `obj` in place (top-down, as the defaulting algorithm). */
export function applySchemaDefaults(v: unknown, s: JSONSchemaProps | undefined): void {
  if (!s) return;
  if (Array.isArray(v)) {
    if (s.items) for (let i = 0; i < v.length; i++) {
      if (v[i] === null && !s.items.nullable && s.items.default !== undefined) v[i] = structuredClone(s.items.default);
      applySchemaDefaults(v[i], s.items);
    }
    return;
  }
  if (!isObject(v)) return;
  if (s.properties) {
    for (const [k, ps] of Object.entries(s.properties)) {
      const cur = v[k];
      if (cur === undefined && ps.default !== undefined) v[k] = structuredClone(ps.default);
      else if (cur === null && !ps.nullable) {
        if (ps.default !== undefined) v[k] = structuredClone(ps.default);
        else delete v[k];
      }
    }
  }
  const additional = isObject(s.additionalProperties) ? s.additionalProperties as JSONSchemaProps : undefined;
  for (const [k, x] of Object.entries(v)) {
    const ps = s.properties?.[k] ?? additional;
    if (ps) applySchemaDefaults(x, ps);
  }
}
