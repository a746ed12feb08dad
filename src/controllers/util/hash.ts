/**
 * The pod-template-hash (pkg/controller/controller_utils.go ComputeHash): FNV-1a 32 over the
 * template, with the collisionCount (little-endian uint32 in an 8-byte buffer) mixed in when set, printed in decimal
 * and rendered through the safe-encoding alphabet (k8s.io/apimachinery/pkg/util/rand
 * SafeEncodeString). Upstream hashes the Go struct through a spew printer; keks hashes the
 * canonical (key-sorted) JSON of the template, so values differ from a real cluster's but have
 * the same shape and properties (stable, template-sensitive, bumped by collisionCount).
 */

/** rand.alphanums: no vowels and no confusable characters. */
export const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.SafeEncodeString. */
export function safeEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/** JSON with object keys sorted at every level (a canonical form independent of field order). */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnv1a(h: number, bytes: Uint8Array): number {
  for (const b of bytes) h = Math.imul(h ^ b, FNV_PRIME) >>> 0;
  return h;
}

/** ComputeHash(template, collisionCount). */
export function computeTemplateHash(template: unknown, collisionCount?: number): string {
  let h = fnv1a(FNV_OFFSET, new TextEncoder().encode(canonicalJson(template)));
  if (collisionCount !== undefined && collisionCount !== null) {
    // An 8-byte buffer with the uint32 in its first 4 bytes, all 8 written (as upstream).
    const b = new Uint8Array(8);
    new DataView(b.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv1a(h, b);
  }
  return safeEncode(String(h));
}
