#!/usr/bin/env node
// Generator: Kubernetes 1.32 OpenAPI spec → strategic-merge-patch metadata for built-in kinds.
//   input:  ../shared/reference/kubernetes-openapi/swagger-v1.32.json (v2, with x-kubernetes-*)
//   output: generated/patchmeta/patch-meta.json (minified, sorted keys; loaded lazily by
//           src/apimachinery/patch/strategic-schema.ts)
//
// kube-apiserver applies a strategic merge patch with the Go struct of the kind
// (k8s.io/apimachinery/pkg/util/strategicpatch PatchMetaFromStruct): the `patchStrategy` and
// `patchMergeKey` struct tags, the Go kind of each field (struct, slice, map, scalar) and the
// element type of slices and maps. The spec mirrors those tags as x-kubernetes-patch-strategy /
// x-kubernetes-patch-merge-key, `$ref` / `items` / `additionalProperties` give the shape.
// x-kubernetes-list-type / -list-map-keys are recorded too (informational: SMP ignores them).
//
// Output shape:
//   { kubeVersion, kinds: { "<apiVersion> <Kind>": "<definition>" },
//     types: { "<definition>": { name: "<Go type name>", fields: { "<json field>": Field } } } }
//   Field = "<scalar kind>"                       a scalar (string, int32, int64, bool, float64)
//         | { t: "struct", ref, ps? }             a nested object ($ref)
//         | { t: "slice", elem, ps?, mk?, lt?, lmk? }
//         | { t: "map", elem, ps? }               additionalProperties
//   elem  = "<definition>" (always contains a dot) | "<scalar kind>" | "slice" | "map"
//   ps = x-kubernetes-patch-strategy ("merge", "replace", "retainKeys", "merge,retainKeys"),
//   mk = merge key, lt = list type, lmk = list map keys.
// Definitions that are JSON scalars although Go structs (Quantity, Time, MicroTime, IntOrString)
// collapse to the scalar "string"; definitions without properties (RawExtension, FieldsV1, JSON)
// are structs without fields, as their Go types are for SMP.
// Run through `npm run gen` (tools/gen/run.mjs). Deterministic: a second run changes nothing.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stableJsonBytes, writeIfChanged } from './openapi/emit.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SPEC = resolve(ROOT, '../shared/reference/kubernetes-openapi/swagger-v1.32.json');
const OUT = join(ROOT, 'generated/patchmeta/patch-meta.json');
const REF_PREFIX = '#/definitions/';

function refName(ref) {
  if (!ref.startsWith(REF_PREFIX)) throw new Error(`unexpected $ref ${ref}`);
  return ref.slice(REF_PREFIX.length);
}

/** The Go scalar kind of a JSON-scalar schema ("string", "int32", "int64", "bool", "float64"). */
function scalarKind(schema) {
  switch (schema.type) {
    case 'string': return 'string';
    case 'integer': return schema.format === 'int32' ? 'int32' : 'int64';
    case 'boolean': return 'bool';
    case 'number': return 'float64';
    default: return undefined;
  }
}

/** True when a definition is a JSON scalar on the wire (Quantity, Time, IntOrString, …). */
function isScalarDefinition(def) {
  return def !== undefined && scalarKind(def) !== undefined && !def.properties;
}

function main() {
  const spec = JSON.parse(readFileSync(SPEC, 'utf8'));
  const defs = spec.definitions;

  const kinds = {};
  for (const [name, def] of Object.entries(defs)) {
    for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      const key = `${apiVersion} ${gvk.kind}`;
      if (kinds[key] && kinds[key] !== name) throw new Error(`${key} maps to ${kinds[key]} and ${name}`);
      kinds[key] = name;
    }
  }

  const types = {};
  const queue = [...new Set(Object.values(kinds))];

  /** Element/value descriptor: a definition name, a scalar kind, "slice" or "map". */
  function elemOf(schema) {
    if (schema.$ref) {
      const n = refName(schema.$ref);
      if (isScalarDefinition(defs[n])) return scalarKind(defs[n]);
      queue.push(n);
      return n;
    }
    if (schema.type === 'array') return 'slice';
    if (schema.type === 'object') return 'map';
    return scalarKind(schema) ?? 'string';
  }

  function fieldOf(prop) {
    const ext = {};
    if (prop['x-kubernetes-patch-strategy']) ext.ps = prop['x-kubernetes-patch-strategy'];
    if (prop['x-kubernetes-patch-merge-key']) ext.mk = prop['x-kubernetes-patch-merge-key'];
    if (prop.$ref) {
      const n = refName(prop.$ref);
      if (isScalarDefinition(defs[n])) return Object.keys(ext).length ? { t: 'scalar', elem: scalarKind(defs[n]), ...ext } : scalarKind(defs[n]);
      queue.push(n);
      return { t: 'struct', ref: n, ...ext };
    }
    if (prop.type === 'array') {
      const f = { t: 'slice', elem: elemOf(prop.items ?? {}), ...ext };
      if (prop['x-kubernetes-list-type']) f.lt = prop['x-kubernetes-list-type'];
      if (prop['x-kubernetes-list-map-keys']) f.lmk = prop['x-kubernetes-list-map-keys'];
      return f;
    }
    if (prop.type === 'object' || prop.additionalProperties) {
      return { t: 'map', elem: prop.additionalProperties ? elemOf(prop.additionalProperties) : 'string', ...ext };
    }
    const k = scalarKind(prop) ?? 'string';
    return Object.keys(ext).length ? { t: 'scalar', elem: k, ...ext } : k;
  }

  while (queue.length > 0) {
    const name = queue.pop();
    if (types[name]) continue;
    const def = defs[name];
    if (!def) throw new Error(`missing definition ${name}`);
    const fields = {};
    types[name] = { name: name.slice(name.lastIndexOf('.') + 1), fields };
    for (const [fname, prop] of Object.entries(def.properties ?? {})) fields[fname] = fieldOf(prop);
  }

  const out = { kubeVersion: '1.32', kinds, types };
  const bytes = stableJsonBytes(out);
  const written = writeIfChanged(OUT, Buffer.concat([bytes, Buffer.from('\n')]));
  console.log(`patchmeta: ${Object.keys(kinds).length} kinds, ${Object.keys(types).length} types, ${bytes.length} bytes${written ? ' (written)' : ' (unchanged)'}`);
}

main();
