/**
 * Shared pieces of built-in kind validation: loose accessors over decoded JSON, the common
 * checks of pkg/apis/core/validation/validation.go (ValidateNonnegativeField, port numbers and
 * names, DNS names as field errors, int-or-percent) and Go `%#v` renderings of the values
 * upstream prints in messages (`map[string]string{"app":"x"}`, `v1.LabelSelector{…}`,
 * `intstr.IntOrString{…}`).
 *
 * Input objects are expected to be defaulted (as upstream assumes). A field that defaulting fills
 * but that is absent here (`undefined`) is not reported as missing; an explicit empty value is.
 */
import { field, type FieldError } from '../../apimachinery/errors.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, maxLenError, regexError } from '../../apimachinery/validation/names.js';

export type Obj = Record<string, unknown>;

export const asObj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
export const asArr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const asStr = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
export const isSet = (v: unknown): boolean => v !== undefined && v !== null;
export const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

export const IS_NEGATIVE_ERROR_MSG = 'must be greater than or equal to 0';
export const FIELD_IMMUTABLE = 'field is immutable';

/** A FieldValueInvalid whose value is already rendered Go-style (value omitted, text in detail). */
export function invalidGo(f: string, goValue: string, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field: f, detail: detail ? `${goValue}: ${detail}` : goValue };
}

export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

/** ValidateNonnegativeField (only when the value is present). */
export function nonNegative(v: unknown, path: string): FieldError[] {
  return typeof v === 'number' && v < 0 ? [field.invalid(path, v, IS_NEGATIVE_ERROR_MSG)] : [];
}

export function dns1123Label(value: string, path: string): FieldError[] {
  return isDNS1123Label(value).map((m) => field.invalid(path, value, m));
}

export function dns1123Subdomain(value: string, path: string): FieldError[] {
  return isDNS1123Subdomain(value).map((m) => field.invalid(path, value, m));
}

export function qualifiedName(value: string, path: string): FieldError[] {
  return isQualifiedName(value).map((m) => field.invalid(path, value, m));
}

/** validation.IsValidPortNum. */
export function isValidPortNum(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

/** validation.IsValidPortName (IANA_SVC_NAME). */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  else if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** ValidatePortNumOrName for an int-or-string port. */
export function portNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => field.invalid(path, port, m));
  if (typeof port === 'string') return isValidPortName(port).map((m) => field.invalid(path, port, m));
  return [];
}

/** `Required` for an explicit empty value, `NotSupported` for an unknown one; absent = defaulted later. */
export function enumField(v: unknown, path: string, allowed: readonly string[], requiredDetail = ''): FieldError[] {
  if (v === undefined || v === null) return [];
  const s = asStr(v);
  if (s === '') return [field.required(path, requiredDetail)];
  return allowed.includes(s) ? [] : [field.notSupported(path, s, [...allowed])];
}

// ---------------------------------------------------------------------------------------------
// Go %#v renderings

export function goQuote(s: string): string {
  return JSON.stringify(s);
}

export function goStringMap(m: unknown): string {
  if (m === undefined || m === null) return 'map[string]string(nil)';
  const o = asObj(m);
  const keys = Object.keys(o).sort();
  return `map[string]string{${keys.map((k) => `${goQuote(k)}:${goQuote(asStr(o[k]))}`).join(', ')}}`;
}

function goStringSliceOrNil(v: unknown): string {
  if (!Array.isArray(v)) return '[]string(nil)';
  return `[]string{${v.map((x) => goQuote(asStr(x))).join(', ')}}`;
}

/** `v1.LabelSelector{MatchLabels:…, MatchExpressions:…}` as Go prints a metav1.LabelSelector. */
export function goLabelSelector(sel: unknown): string {
  const s = asObj(sel);
  const exprs = Array.isArray(s.matchExpressions)
    ? `[]v1.LabelSelectorRequirement{${s.matchExpressions.map((e) => {
      const r = asObj(e);
      return `v1.LabelSelectorRequirement{Key:${goQuote(asStr(r.key))}, Operator:${goQuote(asStr(r.operator))}, Values:${goStringSliceOrNil(r.values)}}`;
    }).join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(s.matchLabels)}, MatchExpressions:${exprs}}`;
}

/** `intstr.IntOrString{Type:1, IntVal:0, StrVal:"x"}`. */
export function goIntOrString(v: unknown): string {
  if (typeof v === 'string') return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(v)}}`;
  return `intstr.IntOrString{Type:0, IntVal:${typeof v === 'number' ? v : 0}, StrVal:""}`;
}

// ---------------------------------------------------------------------------------------------
// Label selectors

/** metav1.LabelSelectorAsSelector + Matches: nil selects nothing, {} selects everything. */
export function selectorMatches(sel: unknown, labels: unknown): boolean {
  if (sel === undefined || sel === null) return false;
  const s = asObj(sel);
  const l = asObj(labels);
  for (const [k, v] of Object.entries(asObj(s.matchLabels))) if (l[k] !== v) return false;
  for (const e of asArr(s.matchExpressions)) {
    const r = asObj(e);
    const key = asStr(r.key);
    const has = Object.prototype.hasOwnProperty.call(l, key);
    const values = asArr(r.values).map(asStr);
    switch (r.operator) {
      case 'In': if (!has || !values.includes(asStr(l[key]))) return false; break;
      case 'NotIn': if (has && values.includes(asStr(l[key]))) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

export function selectorIsEmpty(sel: unknown): boolean {
  const s = asObj(sel);
  return Object.keys(asObj(s.matchLabels)).length + asArr(s.matchExpressions).length === 0;
}

/** unversionedvalidation.ValidateLabelName. */
export function labelName(key: string, path: string): FieldError[] {
  return isQualifiedName(key).map((m) => field.invalid(path, key, m));
}

export function labelValueErrors(value: string): string[] {
  return isValidLabelValue(value);
}

// ---------------------------------------------------------------------------------------------
// Int-or-percent (apps validation)

const PERCENT_RE = /^[0-9]+%$/;

/** ValidatePositiveIntOrPercent. */
export function positiveIntOrPercent(v: unknown, path: string): FieldError[] {
  if (typeof v === 'string') {
    if (!PERCENT_RE.test(v)) {
      return [invalidGo(path, goIntOrString(v), regexError("a valid percent string must be a numeric string followed by an ending '%'", '[0-9]+%', '1%', '93%'))];
    }
    return [];
  }
  return nonNegative(v, path);
}

/** getIntOrPercentValue: percent strings yield their number. */
export function intOrPercentValue(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && PERCENT_RE.test(v)) return Number(v.slice(0, -1));
  return 0;
}

/** IsNotMoreThan100Percent. */
export function notMoreThan100Percent(v: unknown, path: string): FieldError[] {
  if (typeof v !== 'string' || !PERCENT_RE.test(v)) return [];
  return Number(v.slice(0, -1)) > 100 ? [invalidGo(path, goIntOrString(v), 'must not be greater than 100%')] : [];
}

/** apiequality.Semantic.DeepEqual on JSON values (nil and empty maps/slices are equal). */
export function semanticEqual(a: unknown, b: unknown): boolean {
  const empty = (x: unknown): boolean => x === undefined || x === null || (Array.isArray(x) && x.length === 0) || (typeof x === 'object' && x !== null && !Array.isArray(x) && Object.keys(x).length === 0);
  if (empty(a) && empty(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => semanticEqual(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ao = a as Obj;
    const bo = b as Obj;
    const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
    for (const k of keys) if (!semanticEqual(ao[k], bo[k])) return false;
    return true;
  }
  return a === b;
}

/** ValidateImmutableField with a caller-chosen rendering of the new value. */
export function immutableField(newV: unknown, oldV: unknown, path: string, render: (v: unknown) => string): FieldError[] {
  return semanticEqual(newV, oldV) ? [] : [invalidGo(path, render(newV), FIELD_IMMUTABLE)];
}

/** Go `%v` rendering of a scalar or a pointer-to-scalar (nil → "null", strings quoted). */
export function goScalar(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return goQuote(v);
  return String(v);
}
