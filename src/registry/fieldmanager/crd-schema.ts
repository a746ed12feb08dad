/**
 * Ownership schema of a custom resource from its CRD's structural schema, following
 * kube-openapi schemaconv (openapi.go parseObject/parseList, smd.go) as the apiextensions-apiserver
 * type converter uses it: list types and map keys from x-kubernetes-list-type / -list-map-keys,
 * map types from x-kubernetes-map-type, x-kubernetes-preserve-unknown-fields (inherited by nested
 * objects) and schemaless objects allow any field (deduced), `metadata` is ObjectMeta.
 */
import { DEDUCED, objectMetaNode, scalarNode, structNode, type TypeNode } from './schema.js';

/** The parts of a JSONSchemaProps (apiextensions.k8s.io/v1) this conversion reads. */
export interface StructuralSchema {
  type?: string;
  format?: string;
  properties?: Record<string, StructuralSchema>;
  additionalProperties?: StructuralSchema | boolean;
  items?: StructuralSchema;
  default?: unknown;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
}

function convert(s: StructuralSchema, preserve: boolean): TypeNode {
  const keep = preserve || s['x-kubernetes-preserve-unknown-fields'] === true;
  if (s['x-kubernetes-int-or-string']) return scalarNode('untyped');
  switch (s.type) {
    case 'object': {
      const fields = new Map<string, TypeNode>();
      const defaults: Record<string, unknown> = {};
      for (const [n, p] of Object.entries(s.properties ?? {})) {
        fields.set(n, convert(p, keep));
        if (p.default !== undefined) defaults[n] = p.default;
      }
      let elem: TypeNode | undefined;
      const ap = s.additionalProperties;
      if (ap === undefined || ap === false) elem = keep || fields.size === 0 ? DEDUCED : undefined;
      else if (ap === true) elem = DEDUCED;
      else elem = convert(ap, keep);
      return structNode({ fields, elem, atomic: s['x-kubernetes-map-type'] === 'atomic', defaults: Object.keys(defaults).length ? defaults : undefined });
    }
    case 'array': {
      const lt = s['x-kubernetes-list-type'];
      const rel = lt === 'set' ? 'set' : lt === 'map' ? 'map' : 'atomic';
      return { kind: 'list', rel, keys: rel === 'map' ? (s['x-kubernetes-list-map-keys'] ?? []) : [], elem: s.items ? convert(s.items, keep) : DEDUCED };
    }
    case 'integer': case 'number': return scalarNode('numeric');
    case 'boolean': return scalarNode('boolean');
    case 'string': return scalarNode(!s.format || s.format === 'byte' ? 'string' : 'untyped');
    default: return DEDUCED;
  }
}

/** The schema of a custom resource version; no schema = everything deduced. */
export function fromStructuralSchema(root: StructuralSchema | undefined): TypeNode {
  if (!root) return withMeta(new Map(), DEDUCED);
  const t = convert({ ...root, type: 'object' }, false);
  if (t.kind !== 'map') return DEDUCED;
  const fields = new Map<string, TypeNode>();
  for (const n of Object.keys(root.properties ?? {})) {
    const f = t.field(n);
    if (f) fields.set(n, f);
  }
  return withMeta(fields, t.elem);
}

function withMeta(fields: Map<string, TypeNode>, elem: TypeNode | undefined): TypeNode {
  fields.set('apiVersion', scalarNode('string'));
  fields.set('kind', scalarNode('string'));
  fields.set('metadata', objectMetaNode());
  return structNode({ fields, elem });
}
