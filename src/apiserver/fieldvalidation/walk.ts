/**
 * Walks a pair tree against the generated known-fields schema, reporting in document order what
 * sigs.k8s.io/json's strict decoding reports (`unknown field "spec.foo"`, `duplicate field
 * "spec.replicas"`), with its field paths (`spec.template.spec.containers[0].foo`). Unknown
 * fields are not descended into. Quantity-typed leaves are parsed as resource.Quantity's
 * UnmarshalJSON does; the first bad one is returned as a decode error.
 */
import { tryParseQuantity } from '../../apimachinery/quantity.js';
import { STRUCTS } from './known-fields.generated.js';
import type { PNode } from './tree.js';

export interface WalkResult {
  /** Strict decoding errors, in document order. */
  strict: string[];
  /** A value that fails to decode at all (e.g. an invalid quantity), if any. */
  decodeError?: string;
}

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

export function walkTree(root: PNode, structIndex: number): WalkResult {
  const res: WalkResult = { strict: [] };
  const visit = (node: PNode, code: string, path: string): void => {
    if (code === '' || code === '*') return;
    if (code === 'q') {
      if (node.k !== 'val' || node.v === null) return;
      const r = tryParseQuantity(node.v);
      if ('error' in r && res.decodeError === undefined) res.decodeError = r.error;
      return;
    }
    const tag = code[0];
    const inner = code.slice(1);
    if (tag === '[') {
      if (node.k === 'arr') node.items.forEach((n, i) => visit(n, inner, `${path}[${i}]`));
      return;
    }
    if (tag === '{') {
      if (node.k === 'obj') for (const [k, v] of node.entries) visit(v, inner, `${path}[${k}]`);
      return;
    }
    if (tag === '#') {
      if (node.k !== 'obj') return;
      const fields = STRUCTS[Number(inner)]!;
      const seen = new Set<string>();
      for (const [k, v] of node.entries) {
        const p = join(path, k);
        if (seen.has(k)) res.strict.push(`duplicate field ${JSON.stringify(p)}`);
        seen.add(k);
        const fc = Object.prototype.hasOwnProperty.call(fields, k) ? fields[k] : undefined;
        if (fc === undefined) { res.strict.push(`unknown field ${JSON.stringify(p)}`); continue; }
        visit(v, fc, p);
      }
    }
  };
  visit(root, `#${structIndex}`, '');
  return res;
}

/** Duplicate keys anywhere in a pair tree (for patch bodies, which have no fixed schema). */
export function duplicateFields(root: PNode): string[] {
  const out: string[] = [];
  const visit = (node: PNode, path: string): void => {
    if (node.k === 'arr') node.items.forEach((n, i) => visit(n, `${path}[${i}]`));
    if (node.k !== 'obj') return;
    const seen = new Set<string>();
    for (const [k, v] of node.entries) {
      const p = join(path, k);
      if (seen.has(k)) out.push(`duplicate field ${JSON.stringify(p)}`);
      seen.add(k);
      visit(v, p);
    }
  };
  visit(root, '');
  return out;
}
