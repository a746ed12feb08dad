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
      return applyStrategicMergePatch(current, parseJsonBody(text), apiVersion, kind) as KubeObject;
    default:
      throw unsupportedMediaType(contentType ?? '', PATCH_MEDIA_TYPES);
  }
}
