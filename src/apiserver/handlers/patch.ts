/**
 * Applying a PATCH body to the current object by Content-Type (handlers/patch.go): JSON patch,
 * JSON merge patch and strategic merge patch. Server-side apply comes with the API machinery issue.
 */
import type { KubeObject } from '../../api/types.js';
import { unsupportedMediaType } from '../../apimachinery/errors.js';
import { applyJSONPatch } from '../../apimachinery/patch/json-patch.js';
import { applyMergePatch } from '../../apimachinery/patch/merge-patch.js';
import { applyStrategicMergePatch } from '../../apimachinery/patch/strategic.js';
import { bodyMediaType } from './negotiation.js';
import { parseJsonBody } from './body.js';

export const PATCH_MEDIA_TYPES = [
  'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json',
];

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
