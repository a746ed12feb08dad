/**
 * Content negotiation (k8s.io/apiserver/pkg/endpoints/handlers/negotiation): which
 * representation the client asked for in Accept, and how to decode a request body.
 */
import { notAcceptable } from '../../apimachinery/errors.js';

export type Representation =
  | { kind: 'object'; format: 'json' | 'yaml' }
  | { kind: 'table'; version: 'v1' | 'v1beta1' }
  | { kind: 'partial'; list: boolean; version: 'v1' | 'v1beta1' };

interface MediaRange { type: string; params: Record<string, string>; q: number }

export function parseMediaRanges(header: string | undefined): MediaRange[] {
  if (!header) return [];
  const out: MediaRange[] = [];
  for (const part of header.split(',')) {
    const [rawType, ...rawParams] = part.split(';');
    const type = rawType.trim().toLowerCase();
    if (!type) continue;
    const params: Record<string, string> = {};
    let q = 1;
    for (const p of rawParams) {
      const i = p.indexOf('=');
      if (i < 0) continue;
      const k = p.slice(0, i).trim().toLowerCase();
      const v = p.slice(i + 1).trim().replace(/^"|"$/g, '');
      if (k === 'q') q = Number(v) || 0;
      else params[k] = v;
    }
    out.push({ type, params, q });
  }
  // Stable sort by quality, keeping the client's order among equals.
  return out.map((m, i) => ({ m, i })).sort((a, b) => b.m.q - a.m.q || a.i - b.i).map((x) => x.m);
}

export const SUPPORTED_MEDIA_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

/**
 * The representation for a response. Protobuf is accepted in Accept but answered as JSON when
 * JSON is also acceptable (kubectl sends `application/vnd.kubernetes.protobuf,application/json`).
 */
export function negotiate(accept: string | undefined, allowTable: boolean): Representation {
  const ranges = parseMediaRanges(accept);
  if (ranges.length === 0) return { kind: 'object', format: 'json' };
  for (const r of ranges) {
    if (r.q <= 0) continue;
    const as = r.params.as;
    if (as) {
      if (r.type !== 'application/json' && r.type !== 'application/yaml') continue;
      if (r.params.g !== 'meta.k8s.io' || (r.params.v !== 'v1' && r.params.v !== 'v1beta1')) continue;
      const version = r.params.v;
      if (as === 'Table' && allowTable) return { kind: 'table', version };
      if (as === 'PartialObjectMetadata') return { kind: 'partial', list: false, version };
      if (as === 'PartialObjectMetadataList') return { kind: 'partial', list: true, version };
      continue;
    }
    if (r.type === 'application/json' || r.type === '*/*' || r.type === 'application/*') return { kind: 'object', format: 'json' };
    if (r.type === 'application/yaml') return { kind: 'object', format: 'yaml' };
  }
  // Only protobuf (or nothing we know) was offered.
  if (ranges.some((r) => r.type === 'application/vnd.kubernetes.protobuf')) return { kind: 'object', format: 'json' };
  throw notAcceptable(SUPPORTED_MEDIA_TYPES);
}

/** The media type of a request body, without parameters ('' when absent). */
export function bodyMediaType(contentType: string | undefined): string {
  if (!contentType) return '';
  return contentType.split(';')[0].trim().toLowerCase();
}
