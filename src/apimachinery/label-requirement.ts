/**
 * Label selector requirements, as k8s.io/apimachinery/pkg/labels/selector.go (Requirement,
 * NewRequirement, Requirement.Matches and String): validated at construction, precompiled for
 * matching without allocation.
 */
import { fieldErrorBody, type FieldError, field } from './errors.js';
import { isQualifiedName, isValidLabelValue } from './validation/names.js';

/** selection.Operator values, spelled as upstream (the strings appear in error messages). */
export type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  /** Sorted, de-duplicated (as sets.String.List()); empty for exists / !. */
  readonly values: readonly string[];
}

export type Labels = Readonly<Record<string, string>> | undefined | null;

export interface LabelSelector {
  /** True if every requirement matches `labels` (an empty selector matches everything). */
  matches(labels: Labels): boolean;
  /** True if the selector does not restrict selection (no requirements). */
  readonly empty: boolean;
  /** The canonical string form (requirements sorted by key), as upstream String(). */
  toString(): string;
  requirements(): readonly LabelRequirement[];
  /** RequiresExactMatch: the single value `key` must equal, if the selector pins one. */
  requiresExactMatch(key: string): string | undefined;
}

const hasOwn = Object.prototype.hasOwnProperty;

export class Compiled implements LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  readonly values: readonly string[];
  private readonly single: string;
  private readonly intValue: bigint;

  constructor(r: LabelRequirement) {
    this.key = r.key;
    this.operator = r.operator;
    this.values = r.values;
    this.single = r.values.length === 1 ? r.values[0]! : '';
    this.intValue = (r.operator === 'gt' || r.operator === 'lt') && isInt64(this.single) ? BigInt(this.single) : 0n;
  }

  matches(ls: Labels): boolean {
    const has = ls != null && hasOwn.call(ls, this.key);
    switch (this.operator) {
      case 'in': case '=': case '==':
        return has && this.hasValue(ls![this.key]!);
      case 'notin': case '!=':
        return !has || !this.hasValue(ls![this.key]!);
      case 'exists':
        return has;
      case '!':
        return !has;
      case 'gt': case 'lt': {
        if (!has) return false;
        const v = ls![this.key]!;
        if (!isInt64(v) || this.values.length !== 1) return false;
        const n = BigInt(v);
        return this.operator === 'gt' ? n > this.intValue : n < this.intValue;
      }
    }
  }

  private hasValue(v: string): boolean {
    if (this.values.length === 1) return this.single === v;
    for (let i = 0; i < this.values.length; i++) if (this.values[i] === v) return true;
    return false;
  }

  toString(): string {
    let s = this.operator === '!' ? `!${this.key}` : this.key;
    switch (this.operator) {
      case 'exists': case '!': return s;
      case 'in': case 'notin': return `${s} ${this.operator} (${sortedCopy(this.values).join(',')})`;
      case 'gt': s += '>'; break;
      case 'lt': s += '<'; break;
      default: s += this.operator;
    }
    return s + sortedCopy(this.values).join(',');
  }
}

/** Output-only normalisation (upstream safeSort): never reorders the stored values. */
function sortedCopy(xs: readonly string[]): readonly string[] {
  for (let i = 1; i < xs.length; i++) if (xs[i - 1]! > xs[i]!) return xs.slice().sort();
  return xs;
}

export function isInt64(s: string): boolean {
  if (!/^[+-]?[0-9]+$/.test(s)) return false;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

// ---------------------------------------------------------------------------------------------
// Requirement construction and validation (NewRequirement)

/** Upstream renders a nil *field.Path as "<nil>" — visible in parse errors for invalid keys. */
export const NIL_PATH = '<nil>';

export function fieldErrString(e: FieldError): string {
  return `${e.field}: ${fieldErrorBody(e)}`;
}

/** utilerrors.Aggregate.Error(): one message, or `[a, b]` de-duplicated. */
function aggregate(errs: FieldError[]): string {
  const msgs = [...new Set(errs.map(fieldErrString))];
  return msgs.length === 1 ? msgs[0]! : `[${msgs.join(', ')}]`;
}

/** An Invalid error on the whole values list, printed as Go's `%#v` of a []string. */
function invalidValues(values: string[], detail: string): FieldError {
  return { type: 'FieldValueInvalid', field: 'values', detail: `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}: ${detail}` };
}

export function validateKey(key: string, path: string): FieldError | undefined {
  const errs = isQualifiedName(key);
  return errs.length ? field.invalid(path, key, errs.join('; ')) : undefined;
}

/**
 * labels.NewRequirement with a nil path; returns the aggregated error message on failure.
 * `values` are taken as given (callers pass the sorted set the parser built).
 */
export function newRequirement(key: string, op: LabelOperator, values: string[]): Compiled | string {
  const errs: FieldError[] = [];
  const ke = validateKey(key, 'key');
  if (ke) errs.push(ke);
  switch (op) {
    case 'in': case 'notin':
      if (values.length === 0) errs.push(invalidValues(values, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=': case '==': case '!=':
      if (values.length !== 1) errs.push(invalidValues(values, 'exact-match compatibility requires one single value'));
      break;
    case 'exists': case '!':
      if (values.length !== 0) errs.push(invalidValues(values, 'values set must be empty for exists and does not exist'));
      break;
    case 'gt': case 'lt':
      if (values.length !== 1) errs.push(invalidValues(values, "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((v, i) => {
        if (!isInt64(v)) errs.push(field.invalid(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
  }
  values.forEach((v, i) => {
    const ve = isValidLabelValue(v);
    if (ve.length) errs.push(field.invalid(`values[${i}][${key}]`, v, ve.join('; ')));
  });
  if (errs.length) return aggregate(errs);
  return new Compiled({ key, operator: op, values });
}

export function sortedSet(xs: Iterable<string>): string[] {
  return [...new Set(xs)].sort();
}
