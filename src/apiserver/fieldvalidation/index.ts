/**
 * Server-side field validation (the `fieldValidation` query parameter, what `kubectl --validate`
 * sends), as k8s.io/apiserver/pkg/endpoints/handlers (create.go, update.go, patch.go) with the
 * strict decoders of k8s.io/apimachinery/pkg/runtime/serializer/{json,yaml}:
 *
 *  - Strict: unknown or duplicate fields → 400 `<Kind> in version "<v>" cannot be handled as a
 *    <Kind>: strict decoding error: unknown field "spec.foo", duplicate field "spec.replicas"`.
 *  - Warn (also the default when the parameter is absent, since 1.27): the same texts as
 *    `Warning:` headers, one per problem.
 *  - Ignore: nothing.
 *
 * YAML bodies report duplicate keys as go-yaml does (`line 7: key "replicas" already set in map`).
 * Whatever the directive, a value that cannot be decoded (an invalid resource.Quantity) is a 400
 * `<Kind> in version "<v>" cannot be handled as a <Kind>: quantities must match …`.
 * Protobuf bodies are not checked (upstream's protobuf decoder is not strict either).
 */
import { yaml } from '../../util/yaml.js';
import { badRequest } from '../../apimachinery/errors.js';
import { KINDS } from './known-fields.generated.js';
import { scanJson, treeOf, type PNode } from './tree.js';
import { duplicateFields, walkTree } from './walk.js';
import type * as Yaml from 'yaml';

export type FieldValidationDirective = 'Strict' | 'Warn' | 'Ignore';

/** The effective directive of a request (absent or empty → Warn). The value was already checked. */
export function fieldValidationDirective(param: string | null | undefined): FieldValidationDirective {
  return param === 'Strict' || param === 'Ignore' ? param : 'Warn';
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function isYaml(contentType: string | undefined): boolean {
  return mediaType(contentType) === 'application/yaml';
}

function isProtobuf(contentType: string | undefined): boolean {
  return mediaType(contentType) === 'application/vnd.kubernetes.protobuf';
}

/** go-yaml's duplicate-key errors (`line N: key "k" already set in map`), 1-based lines of the repeat. */
export function yamlDuplicateKeys(text: string): string[] {
  const { LineCounter, parseDocument } = yaml();
  const lc = new LineCounter();
  return yamlDocumentDuplicateKeys(parseDocument(text, { lineCounter: lc, uniqueKeys: false }), lc);
}

/** yamlDuplicateKeys of a document already parsed (with `uniqueKeys: false` and this line counter). */
export function yamlDocumentDuplicateKeys(doc: Yaml.Document, lc: Yaml.LineCounter): string[] {
  const { isMap, isScalar, visit } = yaml();
  const out: string[] = [];
  visit(doc, {
    Map(_key, node) {
      if (!isMap(node)) return;
      const seen = new Set<string>();
      for (const pair of node.items) {
        const k = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (k === undefined) continue;
        if (seen.has(k)) {
          const off = isScalar(pair.key) && pair.key.range ? pair.key.range[0] : 0;
          out.push(`line ${lc.linePos(off).line}: key ${JSON.stringify(k)} already set in map`);
        }
        seen.add(k);
      }
    },
  });
  return out;
}

function versionOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? apiVersion : apiVersion.slice(i + 1);
}

function cannotBeHandled(apiVersion: string, kind: string, detail: string): Error {
  return badRequest(`${kind} in version "${versionOf(apiVersion)}" cannot be handled as a ${kind}: ${detail}`);
}

/** Joins strict errors as runtime.NewStrictDecodingError does; YAML duplicates come first as one error. */
function strictMessage(yamlDups: string[], strict: string[]): string {
  const parts: string[] = [];
  if (yamlDups.length) parts.push(`yaml: unmarshal errors:\n  ${yamlDups.join('\n  ')}`);
  parts.push(...strict);
  return `strict decoding error: ${parts.join(', ')}`;
}

export interface CheckFieldsOptions {
  /** The request body as received (JSON or YAML text). */
  raw: string | Buffer;
  contentType: string | undefined;
  /** The served group-version ("v1", "apps/v1") and kind the body decodes into. */
  apiVersion: string;
  kind: string;
  directive: FieldValidationDirective;
}

/**
 * Checks a create/update body. Returns the warnings to send (Warn); throws the 400 StatusError
 * (Strict problems, or undecodable values whatever the directive). Kinds without a generated
 * schema (custom resources) are not checked here.
 */
export function checkFields(opts: CheckFieldsOptions): { warnings: string[] } {
  const structIndex = KINDS[`${opts.apiVersion}/${opts.kind}`];
  if (structIndex === undefined || isProtobuf(opts.contentType)) return { warnings: [] };
  const text = typeof opts.raw === 'string' ? opts.raw : opts.raw.toString('utf8');
  let tree: PNode;
  let yamlDups: string[] = [];
  try {
    if (isYaml(opts.contentType)) {
      const doc = yaml().parseDocument(text, { uniqueKeys: false });
      tree = treeOf(doc.toJS());
      if (opts.directive !== 'Ignore') yamlDups = yamlDuplicateKeys(text);
    } else {
      tree = scanJson(text);
    }
  } catch {
    return { warnings: [] }; // malformed bodies are rejected by the decoder with its own message
  }
  const r = walkTree(tree, structIndex);
  if (r.decodeError) throw cannotBeHandled(opts.apiVersion, opts.kind, r.decodeError);
  return finish(opts.directive, yamlDups, r.strict, (m) => cannotBeHandled(opts.apiVersion, opts.kind, m));
}

function finish(directive: FieldValidationDirective, yamlDups: string[], strict: string[], fail: (m: string) => Error): { warnings: string[] } {
  if (directive === 'Ignore' || (yamlDups.length === 0 && strict.length === 0)) return { warnings: [] };
  if (directive === 'Strict') throw fail(strictMessage(yamlDups, strict));
  return { warnings: [...yamlDups, ...strict] };
}

/**
 * Strict decoding of a server-side apply body after the apply (patch.go applyPatcher: Strict and
 * Warn re-decode it with yaml.UnmarshalStrict; only repeated keys can fail that). Strict → 400
 * `error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors: …`, Warn →
 * one warning per repeat. `dups`: the body's repeated keys (decodeApplyBody's repeatedKeys).
 */
export function checkApplyBody(dups: readonly string[], directive: FieldValidationDirective): { warnings: string[] } {
  if (directive === 'Ignore' || dups.length === 0) return { warnings: [] };
  if (directive === 'Strict') throw badRequest(`error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  ${dups.join('\n  ')}`);
  return { warnings: [...dups] };
}

export interface CheckPatchFieldsOptions {
  /** The patch body (merge or strategic-merge patch, JSON or YAML). */
  patch: string | Buffer;
  /** The patch's Content-Type (application/merge-patch+json, application/strategic-merge-patch+json, application/json-patch+json, application/apply-patch+yaml). */
  patchContentType: string | undefined;
  /** The object after applying the patch (the served version). */
  patched: unknown;
  apiVersion: string;
  kind: string;
  directive: FieldValidationDirective;
}

/**
 * Checks a PATCH: duplicate fields in the patch text, unknown fields in the patched object
 * (patch.go: strict errors of decoding the patch, then of decoding the patched object).
 */
export function checkPatchFields(opts: CheckPatchFieldsOptions): { warnings: string[] } {
  const structIndex = KINDS[`${opts.apiVersion}/${opts.kind}`];
  if (structIndex === undefined) return { warnings: [] };
  const text = typeof opts.patch === 'string' ? opts.patch : opts.patch.toString('utf8');
  const mt = mediaType(opts.patchContentType);
  let dups: string[] = [];
  let yamlDups: string[] = [];
  if (opts.directive !== 'Ignore' && mt !== 'application/json-patch+json') {
    try {
      if (mt.endsWith('yaml')) yamlDups = yamlDuplicateKeys(text);
      else dups = duplicateFields(scanJson(text));
    } catch {
      // malformed patches are rejected by the patcher
    }
  }
  const r = walkTree(treeOf(opts.patched), structIndex);
  if (r.decodeError) throw badRequest(r.decodeError);
  return finish(opts.directive, yamlDups, [...dups, ...r.strict], (m) => badRequest(m));
}
