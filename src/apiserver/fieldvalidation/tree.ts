/**
 * An ordered view of a decoded body that keeps what JSON.parse loses: repeated keys. JSON text is
 * scanned into a pair tree (object entries in document order, duplicates kept) so that strict
 * decoding errors come out in the order sigs.k8s.io/json reports them; an already decoded value
 * (YAML bodies, patched objects) converts into the same shape without duplicates.
 */

export type PNode =
  | { k: 'obj'; entries: Array<[string, PNode]> }
  | { k: 'arr'; items: PNode[] }
  | { k: 'val'; v: unknown };

export class JsonScanError extends Error {}

/** Index of the quote that closes the JSON string opening at `start` (an unescaped `"`), or -1. */
export function jsonStringEnd(text: string, start: number): number {
  let from = start + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q < 0) return -1;
    let bs = 0;
    for (let k = q - 1; k > start && text.charCodeAt(k) === 0x5c; k--) bs++;
    if (bs % 2 === 0) return q;
    from = q + 1;
  }
}

/** Parses JSON text into a pair tree. Throws JsonScanError on malformed input. */
export function scanJson(text: string): PNode {
  let i = 0;
  const ws = (): void => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const str = (): string => {
    const start = i;
    const end = jsonStringEnd(text, start);
    if (end < 0) throw new JsonScanError('unterminated string');
    i = end + 1;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): PNode => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: Array<[string, PNode]> = [];
      ws();
      if (text[i] === '}') { i++; return { k: 'obj', entries }; }
      for (;;) {
        ws();
        if (text[i] !== '"') throw new JsonScanError(`expected a key at ${i}`);
        const key = str();
        ws();
        if (text[i] !== ':') throw new JsonScanError(`expected ':' at ${i}`);
        i++;
        entries.push([key, value()]);
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return { k: 'obj', entries }; }
        throw new JsonScanError(`expected ',' or '}' at ${i}`);
      }
    }
    if (c === '[') {
      i++;
      const items: PNode[] = [];
      ws();
      if (text[i] === ']') { i++; return { k: 'arr', items }; }
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return { k: 'arr', items }; }
        throw new JsonScanError(`expected ',' or ']' at ${i}`);
      }
    }
    if (c === '"') return { k: 'val', v: str() };
    const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
    if (!m) throw new JsonScanError(`unexpected character at ${i}`);
    i += m[0].length;
    return { k: 'val', v: JSON.parse(m[0]) as unknown };
  };
  const root = value();
  ws();
  if (i !== text.length) throw new JsonScanError(`trailing data at ${i}`);
  return root;
}

/** The pair tree of an already decoded value. */
export function treeOf(v: unknown): PNode {
  if (Array.isArray(v)) return { k: 'arr', items: v.map(treeOf) };
  if (v !== null && typeof v === 'object') return { k: 'obj', entries: Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, treeOf(x)]) };
  return { k: 'val', v };
}
