/**
 * The schema field ownership is computed with: structured-merge-diff's schema (schema/elements.go)
 * as kube-apiserver derives it from OpenAPI (k8s.io/kube-openapi/pkg/schemaconv):
 *  - scalars (string, numeric, boolean, untyped);
 *  - maps: a struct's declared fields and/or an element type for other keys; `atomic` maps are
 *    owned as a whole, granular ones key by key;
 *  - lists: `atomic` (owned whole), `set` (items by value, `v:`), `map` (items by key fields, `k:`);
 *  - `deduced` (x-kubernetes-preserve-unknown-fields / untyped): granular maps of anything, atomic
 *    lists; `atomic` (RawExtension): everything atomic.
 *
 * Built-in kinds come from generated/ssaschema/ssa-schema.json (tools/gen/ssaschema.mjs), compiled
 * lazily per type; custom resources from their CRD's structural schema (fromStructuralSchema).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ScalarType = 'string' | 'numeric' | 'boolean' | 'untyped';

export interface ScalarNode { readonly kind: 'scalar'; readonly scalar: ScalarType }
export interface MapNode {
  readonly kind: 'map';
  readonly atomic: boolean;
  /** Declared field (struct member), or undefined. */
  field(name: string): TypeNode | undefined;
  /** Type of keys that are not declared fields; undefined = not allowed ("field not declared in schema"). */
  readonly elem: TypeNode | undefined;
  /** Defaults of fields (used for list-map keys a list item omits). */
  readonly defaults?: Readonly<Record<string, unknown>>;
}
export interface ListNode {
  readonly kind: 'list';
  readonly rel: 'atomic' | 'set' | 'map';
  readonly keys: readonly string[];
  readonly elem: TypeNode;
}
/** Untyped: scalar, atomic list or (granular when `deduced`, atomic otherwise) map of itself. */
export interface UntypedNode { readonly kind: 'deduced' | 'atomic' }

export type TypeNode = ScalarNode | MapNode | ListNode | UntypedNode;

/** Resolves the schema of a kind; undefined when unknown (callers fall back to DEDUCED). */
export type SchemaLookup = (apiVersion: string, kind: string) => TypeNode | undefined;

export const DEDUCED: UntypedNode = { kind: 'deduced' };
export const UNTYPED_ATOMIC: UntypedNode = { kind: 'atomic' };
const SCALARS: Record<ScalarType, ScalarNode> = {
  string: { kind: 'scalar', scalar: 'string' },
  numeric: { kind: 'scalar', scalar: 'numeric' },
  boolean: { kind: 'scalar', scalar: 'boolean' },
  untyped: { kind: 'scalar', scalar: 'untyped' },
};
const ATOMIC_LIST_OF_UNTYPED: ListNode = { kind: 'list', rel: 'atomic', keys: [], elem: UNTYPED_ATOMIC };
const DEDUCED_MAP: MapNode = { kind: 'map', atomic: false, field: () => undefined, elem: DEDUCED };
const ATOMIC_MAP: MapNode = { kind: 'map', atomic: true, field: () => undefined, elem: UNTYPED_ATOMIC };

/** deduceAtom: the concrete node for a value (untyped nodes take the value's shape). */
export function concrete(t: TypeNode, v: unknown): ScalarNode | MapNode | ListNode {
  if (t.kind === 'deduced' || t.kind === 'atomic') {
    if (Array.isArray(v)) return ATOMIC_LIST_OF_UNTYPED;
    if (v !== null && typeof v === 'object') return t.kind === 'deduced' ? DEDUCED_MAP : ATOMIC_MAP;
    return SCALARS.untyped;
  }
  return t as ScalarNode | MapNode | ListNode;
}

export function scalarNode(s: ScalarType): ScalarNode {
  return SCALARS[s];
}

/** A map node over an eager field table. */
export function structNode(opts: { fields: Map<string, TypeNode>; atomic?: boolean; elem?: TypeNode; defaults?: Record<string, unknown> }): MapNode {
  const fields = opts.fields;
  return { kind: 'map', atomic: opts.atomic ?? false, field: (n) => fields.get(n), elem: opts.elem, defaults: opts.defaults };
}

// --- built-in kinds ---------------------------------------------------------------------------------

type RawRef = string | { r: string; a: 0 | 1 } | { l: RawRef; t: 'atomic' | 'set' | 'map'; k?: string[] } | { m: RawRef; a?: 1 };
type RawType = string | { f: Record<string, RawRef>; a?: 1; e?: RawRef; kd?: Record<string, unknown> };
interface RawDoc { kinds: Record<string, string>; types: Record<string, RawType> }

/** Compiles the generated document lazily: one node per definition (and per map-type override). */
export class BuiltinSchemas {
  private readonly doc: RawDoc;
  private readonly defs = new Map<string, TypeNode>();

  constructor(opts: { document: RawDoc }) {
    this.doc = opts.document;
  }

  lookup: SchemaLookup = (apiVersion, kind) => {
    const def = this.doc.kinds[`${apiVersion} ${kind}`];
    return def === undefined ? undefined : this.def(def, undefined);
  };

  private def(name: string, atomicOverride: 0 | 1 | undefined): TypeNode {
    const key = atomicOverride === undefined ? name : `${name}|${atomicOverride}`;
    const hit = this.defs.get(key);
    if (hit) return hit;
    const raw = this.doc.types[name];
    if (raw === undefined) throw new Error(`ssa schema: unknown definition ${name}`);
    let node: TypeNode;
    if (typeof raw === 'string') node = this.ref(raw);
    else {
      let fields: Map<string, TypeNode> | undefined;
      const compile = (): Map<string, TypeNode> => {
        fields = new Map();
        for (const [f, r] of Object.entries(raw.f)) fields.set(f, this.ref(r));
        return fields;
      };
      const atomic = atomicOverride === undefined ? raw.a === 1 : atomicOverride === 1;
      let elem: TypeNode | undefined | null = null;
      const elemOf = (): TypeNode | undefined => {
        if (elem === null) elem = raw.e === undefined ? undefined : this.ref(raw.e);
        return elem;
      };
      node = {
        kind: 'map', atomic, defaults: raw.kd,
        field: (n: string) => (fields ?? compile()).get(n),
        get elem(): TypeNode | undefined { return elemOf(); },
      };
    }
    this.defs.set(key, node);
    return node;
  }

  private ref(r: RawRef): TypeNode {
    if (typeof r === 'string') {
      if (r.startsWith('#')) return this.def(r.slice(1), undefined);
      switch (r) {
        case 'string': case 'numeric': case 'boolean': case 'untyped': return SCALARS[r];
        case 'deduced': return DEDUCED;
        case 'atomic': return UNTYPED_ATOMIC;
        default: throw new Error(`ssa schema: bad reference ${r}`);
      }
    }
    if ('r' in r) return this.def(r.r, r.a);
    if ('l' in r) return { kind: 'list', rel: r.t, keys: r.k ?? [], elem: this.ref(r.l) };
    return { kind: 'map', atomic: r.a === 1, field: () => undefined, elem: this.ref(r.m) };
  }
}

function schemaFile(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'generated', 'ssaschema', 'ssa-schema.json');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error('generated/ssaschema/ssa-schema.json not found (run `npm run gen`)');
}

let builtin: BuiltinSchemas | undefined;

/** The built-in kinds of Kubernetes 1.32 (loaded on first use). */
export function builtinSchemas(): BuiltinSchemas {
  builtin ??= new BuiltinSchemas({ document: JSON.parse(readFileSync(schemaFile(), 'utf8')) as RawDoc });
  return builtin;
}

/** ObjectMeta as the built-in kinds see it (custom resources share it). */
export function objectMetaNode(): TypeNode {
  const cm = builtinSchemas().lookup('v1', 'ConfigMap');
  const meta = cm && cm.kind === 'map' ? cm.field('metadata') : undefined;
  return meta ?? DEDUCED;
}
