/**
 * Field selectors, as k8s.io/apimachinery/pkg/fields/selector.go (`ParseSelector`): terms
 * `a=b`, `a==b`, `a!=b` joined by commas; values escape `\`, `,` and `=` with a backslash; terms
 * are sorted; a missing field reads as "". `transform()` mirrors Selector.Transform, which
 * kube-apiserver runs with the per-kind field label conversion (see registry/fieldsets.ts).
 */
import { badRequest } from './errors.js';

export type FieldOperator = '=' | '!=';

export interface FieldRequirement {
  readonly field: string;
  readonly operator: FieldOperator;
  readonly value: string;
}

export type Fields = Readonly<Record<string, string>>;

/** TransformFunc: return the new field/value; returning both empty drops the term. Throw to reject. */
export type FieldTransform = (field: string, value: string) => { field: string; value: string };

export interface FieldSelector {
  matches(fields: Fields): boolean;
  readonly empty: boolean;
  toString(): string;
  requirements(): readonly FieldRequirement[];
  /** The value `field` must equal, if some `=` term pins it (RequiresExactMatch). */
  requiresExactMatch(field: string): string | undefined;
  transform(fn: FieldTransform): FieldSelector;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** fields.EscapeValue: prefix `\`, `,` and `=` with a backslash. */
export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

class Selector implements FieldSelector {
  private readonly terms: readonly FieldRequirement[];
  private readonly str: string;
  constructor(terms: FieldRequirement[]) {
    this.terms = terms;
    this.str = terms.map((t) => `${t.field}${t.operator}${escapeFieldValue(t.value)}`).join(',');
  }
  get empty(): boolean { return this.terms.length === 0; }
  matches(fields: Fields): boolean {
    const ts = this.terms;
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i]!;
      const v = hasOwn.call(fields, t.field) ? fields[t.field]! : '';
      if ((v === t.value) !== (t.operator === '=')) return false;
    }
    return true;
  }
  toString(): string { return this.str; }
  requirements(): readonly FieldRequirement[] { return this.terms; }
  requiresExactMatch(field: string): string | undefined {
    for (const t of this.terms) if (t.operator === '=' && t.field === field) return t.value;
    return undefined;
  }
  transform(fn: FieldTransform): FieldSelector {
    const out: FieldRequirement[] = [];
    for (const t of this.terms) {
      const r = fn(t.field, t.value);
      if (r.field === '' && r.value === '') continue;
      out.push({ field: r.field, operator: t.operator, value: r.value });
    }
    return new Selector(out);
  }
}

const EVERYTHING: FieldSelector = new Selector([]);

export function everythingFields(): FieldSelector { return EVERYTHING; }

/** fields.SelectorFromSet / OneTermEqualSelector: `k=v` for each entry (sorted by key). */
export function fieldSelectorFromSet(set: Readonly<Record<string, string>>): FieldSelector {
  return new Selector(Object.keys(set).sort().map((k) => ({ field: k, operator: '=' as const, value: set[k]! })));
}

/** splitTerms: split on commas not escaped by a backslash (the backslash is kept). */
function splitTerms(s: string): string[] {
  if (s === '') return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') { terms.push(s.slice(start, i)); start = i + 1; }
  }
  terms.push(s.slice(start));
  return terms;
}

/** splitTerm: the first occurrence of `!=`, `==` or `=` (checked in that order at each position). */
function splitTerm(term: string): { lhs: string; op: '!=' | '==' | '='; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    if (term.startsWith('!=', i)) return { lhs: term.slice(0, i), op: '!=', rhs: term.slice(i + 2) };
    if (term.startsWith('==', i)) return { lhs: term.slice(0, i), op: '==', rhs: term.slice(i + 2) };
    if (term[i] === '=') return { lhs: term.slice(0, i), op: '=', rhs: term.slice(i + 1) };
  }
  return undefined;
}

/** fields.UnescapeValue with upstream's error texts (an unescaped rune is printed as its code point). */
export function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c === '\\' || c === ',' || c === '=') out += c;
      else throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      inSlash = false;
      continue;
    }
    if (c === '\\') inSlash = true;
    else if (c === ',' || c === '=') throw badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    else out += c;
  }
  if (inSlash) throw badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** fields.ParseSelector. Throws a 400 BadRequest with upstream's message on a malformed selector. */
export function parseFieldSelector(selector: string): FieldSelector {
  const parts = splitTerms(selector).sort();
  const terms: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const t = splitTerm(part);
    if (!t) throw badRequest(`invalid selector: '${selector}'; can't understand '${part}'`);
    const value = unescapeFieldValue(t.rhs);
    terms.push({ field: t.lhs, operator: t.op === '!=' ? '!=' : '=', value });
  }
  return terms.length ? new Selector(terms) : EVERYTHING;
}
