#!/usr/bin/env node
// Generator: Kubernetes 1.32 OpenAPI spec → the structured-merge-diff schema of the built-in kinds
// (what kube-apiserver's field manager derives with k8s.io/kube-openapi/pkg/schemaconv).
//   input:  ../shared/reference/kubernetes-openapi/swagger-v1.32.json
//   output: generated/ssaschema/ssa-schema.json (minified, sorted keys; loaded lazily by
//           src/registry/fieldmanager/schema.ts)
//
// Rules mirrored from schemaconv (openapi.go, smd.go):
//  - lists: x-kubernetes-list-type (atomic | set | map + list-map-keys); without it the patch
//    strategy decides (merge + merge key → map keyed by it, merge → set, otherwise atomic);
//  - maps/structs: x-kubernetes-map-type atomic|granular on the definition or on the property
//    that references it (the property wins); default granular;
//  - Quantity, Time, MicroTime, IntOrString → untyped scalars; RawExtension → untyped atomic;
//    objects without properties → deduced (granular map of anything, lists atomic);
//  - defaults of list-map key fields (kube's generated OpenAPI carries `default` for them, the
//    v2 swagger does not): ContainerPort/ServicePort protocol "TCP", LocalObjectReference name "".
//
// Output shape: { kubeVersion, kinds: { "<apiVersion> <Kind>": "<def>" }, types: { "<def>": Type } }
//   Type = Ref (a scalar definition) | { f: { <field>: Ref }, a?: 1 (atomic), e?: Ref (additionalProperties), kd?: { <key>: default } }
//   Ref  = "string" | "numeric" | "boolean" | "untyped" | "deduced" | "atomic" (untyped atomic)
//        | "#<def>" | { r: "<def>", a: 0|1 } (map-type override)
//        | { l: Ref, t: "atomic"|"set"|"map", k?: [keys] } | { m: Ref, a?: 1 }
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stableJsonBytes, writeIfChanged } from './openapi/emit.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SPEC = resolve(ROOT, '../shared/reference/kubernetes-openapi/swagger-v1.32.json');
const OUT = join(ROOT, 'generated/ssaschema/ssa-schema.json');
const REF_PREFIX = '#/definitions/';

const UNTYPED_SCALARS = new Set([
  'io.k8s.apimachinery.pkg.api.resource.Quantity',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time',
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime',
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
]);
const RAW_EXTENSION = 'io.k8s.apimachinery.pkg.runtime.RawExtension';

/** Defaults of list-map key fields, from kube's generated OpenAPI (`+default` markers). */
const KEY_DEFAULTS = {
  'io.k8s.api.core.v1.ContainerPort': { protocol: 'TCP' },
  'io.k8s.api.core.v1.ServicePort': { protocol: 'TCP' },
  'io.k8s.api.core.v1.LocalObjectReference': { name: '' },
};

function refName(ref) {
  if (!ref.startsWith(REF_PREFIX)) throw new Error(`unexpected $ref ${ref}`);
  return ref.slice(REF_PREFIX.length);
}

function primitive(s) {
  switch (s.type) {
    case 'integer': case 'number': return 'numeric';
    case 'boolean': return 'boolean';
    case 'string': return !s.format || s.format === 'byte' ? 'string' : 'untyped';
    default: return undefined;
  }
}

function mapType(ext) {
  const v = ext['x-kubernetes-map-type'];
  if (v === undefined) return undefined;
  if (v === 'atomic') return 1;
  if (v === 'granular') return 0;
  throw new Error(`unknown map type ${v}`);
}

function listType(s) {
  const lt = s['x-kubernetes-list-type'];
  if (lt === 'atomic') return { t: 'atomic' };
  if (lt === 'set') return { t: 'set' };
  if (lt === 'map') return { t: 'map', k: s['x-kubernetes-list-map-keys'] };
  if (lt !== undefined) throw new Error(`unknown list type ${lt}`);
  const ps = s['x-kubernetes-patch-strategy'];
  if (ps === 'merge' || ps === 'merge,retainKeys') {
    const mk = s['x-kubernetes-patch-merge-key'];
    return mk ? { t: 'map', k: [mk] } : { t: 'set' };
  }
  return { t: 'atomic' };
}

function main() {
  const spec = JSON.parse(readFileSync(SPEC, 'utf8'));
  const defs = spec.definitions;
  const kinds = {};
  for (const [name, def] of Object.entries(defs)) {
    for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      kinds[`${apiVersion} ${gvk.kind}`] = name;
    }
  }
  const types = {};
  const queue = [...new Set(Object.values(kinds))];

  function ref(s) {
    const r = s.$ref ?? (s.allOf?.length === 1 ? s.allOf[0].$ref : undefined);
    if (r) {
      const n = refName(r);
      if (UNTYPED_SCALARS.has(n)) return 'untyped';
      if (n === RAW_EXTENSION) return 'atomic';
      const d = defs[n];
      if (!d) throw new Error(`missing definition ${n}`);
      const p = !d.properties && primitive(d);
      if (p) return p;
      queue.push(n);
      const mt = mapType(s);
      return mt === undefined ? `#${n}` : { r: n, a: mt };
    }
    return inline(s);
  }

  function inline(s) {
    switch (s.type) {
      case 'array': return { l: s.items ? ref(s.items) : 'atomic', ...listType(s) };
      case 'object': {
        if (s.properties) throw new Error('inline struct not expected in the built-in spec');
        const e = s.additionalProperties && typeof s.additionalProperties === 'object' ? ref(s.additionalProperties) : 'deduced';
        const out = { m: e };
        if (mapType(s) === 1) out.a = 1;
        return out;
      }
      case undefined: return 'deduced';
      default: return primitive(s) ?? 'untyped';
    }
  }

  while (queue.length) {
    const name = queue.pop();
    if (types[name]) continue;
    const def = defs[name];
    if (!def.properties) {
      types[name] = def.type === 'object' || def.type === undefined ? 'deduced' : (primitive(def) ?? 'untyped');
      continue;
    }
    const t = { f: {} };
    types[name] = t;
    if (mapType(def) === 1) t.a = 1;
    if (def.additionalProperties && typeof def.additionalProperties === 'object') t.e = ref(def.additionalProperties);
    if (KEY_DEFAULTS[name]) t.kd = KEY_DEFAULTS[name];
    for (const [f, p] of Object.entries(def.properties)) t.f[f] = ref(p);
  }

  const out = { kubeVersion: '1.32', kinds, types };
  const bytes = stableJsonBytes(out);
  const written = writeIfChanged(OUT, Buffer.concat([bytes, Buffer.from('\n')]));
  console.log(`ssaschema: ${Object.keys(kinds).length} kinds, ${Object.keys(types).length} types, ${bytes.length} bytes${written ? ' (written)' : ' (unchanged)'}`);
}

main();
