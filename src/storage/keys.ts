/**
 * Key ordering and prefix ranges shared by the backends.
 *
 * Keys sort bytewise by their UTF-8 encoding, as etcd's btree and SQLite's BINARY collation do.
 * JavaScript's `<` compares UTF-16 code units, which agrees with UTF-8 byte order except when a
 * surrogate (U+D800–U+DFFF, part of a code point ≥ U+10000) meets a code unit in U+E000–U+FFFF;
 * `compareKeys` corrects exactly that case so the memory backend orders keys like the others.
 */

/** Negative, zero or positive as `a` sorts before, equal to or after `b` (UTF-8 byte order). */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) return utf8Rank(x) - utf8Rank(y);
    return x - y;
  }
  return a.length - b.length;
}

/** Surrogates encode code points above U+FFFF, which sort after every BMP code unit in UTF-8. */
function utf8Rank(c: number): number {
  return c >= 0xd800 && c <= 0xdfff ? c + 0x2000 : c >= 0xe000 ? c - 0x800 : c;
}

/**
 * The smallest string that sorts after every key starting with `prefix`, or null when no such
 * string exists (empty prefix or a prefix of only U+FFFF) — the half-open range end, as etcd's
 * clientv3.GetPrefixRangeEnd. Only used for ASCII-safe increments; callers filter by
 * `startsWith` as well when the prefix ends in a surrogate or U+FFFF.
 */
export function prefixEnd(prefix: string): string | null {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const c = prefix.charCodeAt(i);
    if (c < 0xd7ff) return prefix.slice(0, i) + String.fromCharCode(c + 1);
  }
  return null;
}
