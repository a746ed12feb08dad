/**
 * Applying a PATCH body to the current object by Content-Type (handlers/patch.go): JSON patch,
 * JSON merge patch and strategic merge patch. Server-side apply bodies (application/apply-patch+yaml)
 * are decoded here and applied by registry/fieldmanager (write.ts handleApply).
 */
import type { KubeObject } from '../../api/types.js';
import { badRequest, unsupportedMediaType } from '../../apimachinery/errors.js';
import { yaml } from '../../util/yaml.js';
import { applyJSONPatch } from '../../apimachinery/patch/json-patch.js';
import { applyMergePatch } from '../../apimachinery/patch/merge-patch.js';
import { applyStrategicMergePatch } from '../../apimachinery/patch/strategic.js';
import { bodyMediaType } from './negotiation.js';
import { parseJsonBody } from './body.js';
import { yamlDocumentDuplicateKeys } from '../fieldvalidation/index.js';
import { jsonDuplicateKeys } from '../fieldvalidation/json-duplicates.js';

const APPLY_PATCH = 'application/apply-patch+yaml';

export const PATCH_MEDIA_TYPES = [
  'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', APPLY_PATCH,
];

export function isApplyPatch(contentType: string | undefined): boolean {
  return contentType !== undefined && bodyMediaType(contentType) === APPLY_PATCH;
}

/**
 * The applied configuration (YAML or JSON): an object of the endpoint's apiVersion and kind
 * (versionCheckManager: `invalid object type: <gvk>`; structuredMergeManager for the version).
 * Decoded as sigs.k8s.io/yaml.Unmarshal does (a repeated key: the last one counts; strict field
 * validation reports it after the apply: `repeatedKeys`, fieldvalidation.checkApplyBody). A JSON
 * object — what kubectl sends — is decoded with JSON.parse (a YAML parse of a 70 KB Deployment
 * takes ~35 ms, JSON.parse ~0.3 ms; JSON is YAML, the result is the same) and its repeats found
 * by a scan; a YAML body is parsed once, and its repeats read from that document.
 */
export function decodeApplyBody(body: Buffer, apiVersion: string, kind: string): { config: KubeObject; repeatedKeys: () => string[] } {
  const text = body.toString('utf8');
  let v: unknown = undefined;
  let repeatedKeys: (() => string[]) | undefined;
  if (startsWithBrace(text)) {
    try { v = JSON.parse(text); repeatedKeys = () => jsonDuplicateKeys(text); } catch { /* not JSON after all: YAML flow syntax, or an error worded by the YAML decoder */ }
  }
  if (!repeatedKeys) {
    // yaml.parse is parseDocument + its first error + toJS; the document is kept for the repeats.
    const { LineCounter, parseDocument } = yaml();
    const lc = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false });
    if (doc.errors.length) throw badRequest(`error decoding YAML: ${doc.errors[0].message}`);
    v = doc.toJS();
    repeatedKeys = () => yamlDocumentDuplicateKeys(doc, lc);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw badRequest('error decoding YAML: the applied configuration must be an object');
  const o = v as KubeObject;
  const av = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  const k = typeof o.kind === 'string' ? o.kind : '';
  if (av !== apiVersion || k !== kind) {
    const slash = av.indexOf('/');
    const gv = slash < 0 ? `/${av}` : av;
    if (k === kind && av) throw badRequest(`Incorrect version specified in apply patch. Specified patch version: ${av}, expected: ${apiVersion}`);
    throw badRequest(`invalid object type: ${gv}, Kind=${k}`);
  }
  if (o.metadata === undefined || o.metadata === null) o.metadata = {};
  if (typeof o.metadata !== 'object' || Array.isArray(o.metadata)) throw badRequest('error decoding YAML: metadata must be an object');
  return { config: o, repeatedKeys };
}

function startsWithBrace(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return c === 0x7b;
  }
  return false;
}

export function applyPatchBody(current: KubeObject, body: Buffer, contentType: string | undefined, apiVersion: string, kind: string): KubeObject {
  const mt = bodyMediaType(contentType);
  const text = body.toString('utf8');
  switch (mt) {
    case 'application/json-patch+json':
      return applyJSONPatch(current, parseJsonBody(text)) as KubeObject;
    case 'application/merge-patch+json':
      return applyMergePatch(current, parseJsonBody(text)) as KubeObject;
    case 'application/strategic-merge-patch+json':
      return stripDirectives(applyStrategicMergePatch(current, parseJsonBody(text), apiVersion, kind)) as KubeObject;
    default:
      throw unsupportedMediaType(contentType ?? '', PATCH_MEDIA_TYPES);
  }
}

/**
 * Patch directives that land in a subtree the live object lacked stay in the merge result
 * (upstream's decode into Go types drops them); remove them so they are never stored.
 * `$ref`/`$schema` (CRD schemas) are real fields and stay.
 */
function stripDirectives(v: unknown): unknown {
  if (Array.isArray(v)) {
    for (const x of v) stripDirectives(x);
  } else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/') || k.startsWith('$deleteFromPrimitiveList/')) delete o[k];
      else stripDirectives(o[k]);
    }
  }
  return v;
}
