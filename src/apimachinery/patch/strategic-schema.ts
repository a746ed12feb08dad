/**
 * Patch metadata for the strategic merge patch: what kube-apiserver reads from the Go struct of a
 * kind (k8s.io/apimachinery/pkg/util/strategicpatch/meta.go PatchMetaFromStruct and
 * third_party/forked/golang/json LookupPatchMetadataForStruct), rebuilt from the committed
 * generated/patchmeta/patch-meta.json (tools/gen/patchmeta.mjs, from the 1.32 OpenAPI spec).
 *
 * The JSON is read on first use (idle memory matters) and each type is compiled once, on demand,
 * into a SchemaNode with Map lookups; nodes are cached, so later patches only do map reads.
 * Lookups throw the upstream errors (`unable to find api field in struct …`, …).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { smpError } from './strategic-errors.js';

/** One field as stored in patch-meta.json (see tools/gen/patchmeta.mjs). */
export type RawField =
  | string
  | { t: 'struct'; ref: string; ps?: string; mk?: string }
  | { t: 'slice' | 'map' | 'scalar'; elem: string; ps?: string; mk?: string; lt?: string; lmk?: string[] };

export interface RawType { name: string; fields: Record<string, RawField> }

export interface PatchMetaDocument {
  kinds: Record<string, string>;
  types: Record<string, RawType>;
}

/** The Go shape SMP sees at a point of the object. `goKind` is reflect.Kind's name ("struct", "map", "slice", "string", …). */
export type SchemaNode = StructNode | { readonly goKind: 'map'; readonly elem: SchemaNode } | { readonly goKind: 'slice'; readonly elem: SchemaNode } | { readonly goKind: string; readonly scalar: true };

export interface StructNode {
  readonly goKind: 'struct';
  /** Go type name, for error messages (e.g. "PodSpec"). */
  readonly name: string;
  /** Compiled lazily: field name → field. */
  fields(): ReadonlyMap<string, FieldNode>;
}

export interface FieldNode {
  readonly type: SchemaNode;
  /** patchStrategy split on "," (Go: strings.Split of the tag; [""] when absent). */
  readonly strategies: readonly string[];
  readonly mergeKey: string;
  readonly listType?: string;
  readonly listMapKeys?: readonly string[];
}

const NO_STRATEGY: readonly string[] = [''];

/** A set of compiled types over one PatchMetaDocument. */
export class PatchSchemaSet {
  private readonly doc: PatchMetaDocument;
  private readonly structs = new Map<string, StructNode>();
  private readonly scalars = new Map<string, SchemaNode>();

  constructor(opts: { document: PatchMetaDocument }) {
    this.doc = opts.document;
  }

  /** Root struct of "apiVersion Kind", or undefined when the kind has no Go struct (custom resources). */
  root(apiVersion: string, kind: string): StructNode | undefined {
    const def = this.doc.kinds[`${apiVersion} ${kind}`];
    return def === undefined ? undefined : this.struct(def);
  }

  /** The struct node of a definition name. */
  struct(def: string): StructNode {
    let node = this.structs.get(def);
    if (node) return node;
    const raw = this.doc.types[def];
    if (!raw) throw new Error(`patch metadata: unknown definition ${def}`);
    let compiled: Map<string, FieldNode> | undefined;
    node = {
      goKind: 'struct',
      name: raw.name,
      fields: () => (compiled ??= this.compileFields(raw)),
    };
    this.structs.set(def, node);
    return node;
  }

  private scalar(kind: string): SchemaNode {
    let n = this.scalars.get(kind);
    if (!n) {
      n = { goKind: kind, scalar: true };
      this.scalars.set(kind, n);
    }
    return n;
  }

  /** elem descriptor: a definition (contains a dot), a scalar kind, "slice" or "map" (of unknown element). */
  private elem(e: string): SchemaNode {
    if (e.includes('.')) return this.struct(e);
    if (e === 'slice') return { goKind: 'slice', elem: this.scalar('string') };
    if (e === 'map') return { goKind: 'map', elem: this.scalar('string') };
    return this.scalar(e);
  }

  private compileFields(raw: RawType): Map<string, FieldNode> {
    const out = new Map<string, FieldNode>();
    for (const [name, f] of Object.entries(raw.fields)) {
      if (typeof f === 'string') {
        out.set(name, { type: this.scalar(f), strategies: NO_STRATEGY, mergeKey: '' });
        continue;
      }
      let type: SchemaNode;
      if (f.t === 'struct') type = this.struct(f.ref);
      else if (f.t === 'slice') type = { goKind: 'slice', elem: this.elem(f.elem) };
      else if (f.t === 'map') type = { goKind: 'map', elem: this.elem(f.elem) };
      else type = this.scalar(f.elem);
      const node: { -readonly [K in keyof FieldNode]: FieldNode[K] } = { type, strategies: f.ps ? f.ps.split(',') : NO_STRATEGY, mergeKey: f.mk ?? '' };
      if ('lt' in f && f.lt) node.listType = f.lt;
      if ('lmk' in f && f.lmk) node.listMapKeys = f.lmk;
      out.set(name, node);
    }
    return out;
  }
}

/** Result of a lookup: the schema below the field (the element type for slices) and its patch metadata. */
export interface LookupResult { schema: SchemaNode; strategies: readonly string[]; mergeKey: string }

/** schema.Name() of PatchMetaFromStruct: the Go kind's name. */
export function schemaName(s: SchemaNode): string {
  return s.goKind;
}

function findField(s: StructNode, key: string): FieldNode | undefined {
  const fields = s.fields();
  const exact = fields.get(key);
  if (exact) return exact;
  // encoding/json falls back to a case-insensitive match (forked fields.go equalFold).
  const lower = key.toLowerCase();
  for (const [name, f] of fields) if (name.toLowerCase() === lower) return f;
  return undefined;
}

/** LookupPatchMetadataForStruct(key). */
export function lookupForStruct(s: SchemaNode, key: string): LookupResult {
  if (s.goKind !== 'struct') throw smpError(`merging an object in json but data type is not struct, instead is: ${s.goKind}`);
  const f = findField(s as StructNode, key);
  if (!f) throw smpError(`unable to find api field in struct ${(s as StructNode).name} for the json field ${JSON.stringify(key)}`);
  return { schema: f.type, strategies: f.strategies, mergeKey: f.mergeKey };
}

/** LookupPatchMetadataForSlice(key): the element type of a slice field. */
export function lookupForSlice(s: SchemaNode, key: string): LookupResult {
  const r = lookupForStruct(s, key);
  // A pointer to a struct yields the struct as "element" upstream (meta.go, reflect.Pointer case).
  // The spec does not say which struct fields are pointers; most optional ones are, so all are.
  if (r.schema.goKind === 'struct') return r;
  if (r.schema.goKind !== 'slice') throw smpError(`expected slice or array type, but got: ${s.goKind}`);
  const elem = (r.schema as { elem: SchemaNode }).elem;
  if (elem.goKind === 'slice') throw smpError('unexpected slice of slice');
  return { schema: elem, strategies: r.strategies, mergeKey: r.mergeKey };
}

/** Finds generated/patchmeta/ above this module: src/apimachinery/patch (tsx) and dist/src/… (tsc) both work. */
function metaFile(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'generated', 'patchmeta', 'patch-meta.json');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error('generated/patchmeta/patch-meta.json not found (run `npm run gen`)');
}

let builtin: PatchSchemaSet | undefined;

/** The built-in kinds of Kubernetes 1.32, loaded on first use. */
export function builtinPatchSchemas(): PatchSchemaSet {
  builtin ??= new PatchSchemaSet({ document: JSON.parse(readFileSync(metaFile(), 'utf8')) as PatchMetaDocument });
  return builtin;
}
