/**
 * `x-kubernetes-validations` of a schema, evaluated over an object (and its old version for
 * transition rules), as apiextensions-apiserver pkg/apiserver/schema/cel/validation.go:
 *  - a rule sees `self` = the value at its schema node; a rule naming `oldSelf` runs only on
 *    update when the old value correlates (same object key, or same list-map keys);
 *  - failure: `<path>: Invalid value: "<type>": failed rule: <rule>` or the rule's message
 *    (reason FieldValueForbidden/Required/Duplicate change the error type); fieldPath is
 *    appended to the path.
 */
import type { FieldError } from '../../apimachinery/errors.js';
import { field } from '../../apimachinery/errors.js';
import { CelEvalError, type CelValue } from './cel/ast.js';
import { compileRule } from './cel/compile.js';
import { evaluate, fromJson } from './cel/eval.js';
import { isObject, type JSONSchemaProps, type ValidationRule } from './schema.js';

function schemaType(s: JSONSchemaProps): string {
  if (s['x-kubernetes-int-or-string']) return 'integer-or-string';
  return s.type ?? '';
}

function ruleError(path: string, s: JSONSchemaProps, r: ValidationRule, detail: string): FieldError {
  const p = r.fieldPath ? path + (r.fieldPath.startsWith('.') || r.fieldPath.startsWith('[') ? r.fieldPath : `.${r.fieldPath}`) : path;
  switch (r.reason) {
    case 'FieldValueForbidden': return field.forbidden(p, detail);
    case 'FieldValueRequired': return field.required(p, detail);
    case 'FieldValueDuplicate': return { type: 'FieldValueDuplicate', field: p, value: schemaType(s), detail };
    default: return field.invalid(p, schemaType(s), detail);
  }
}

function messageOf(r: ValidationRule, vars: Record<string, CelValue>): string {
  if (r.messageExpression) {
    try {
      const m = evaluate(compileRule(r.messageExpression).ast, vars);
      if (typeof m === 'string' && m.trim() !== '' && !m.includes('\n')) return m;
    } catch { /* upstream falls back to message / the default */ }
  }
  return r.message || `failed rule: ${r.rule.trim()}`;
}

function runRules(v: unknown, old: unknown, s: JSONSchemaProps, path: string, errs: FieldError[]): void {
  const rules = s['x-kubernetes-validations'];
  if (!rules?.length) return;
  let self: CelValue | undefined;
  let oldSelf: CelValue | undefined;
  for (const r of rules) {
    const compiled = compileRule(r.rule);
    const vars: Record<string, CelValue> = { self: (self ??= fromJson(v)) };
    if (compiled.usesOldSelf) {
      if (old === undefined) {
        if (!r.optionalOldSelf) continue;
        vars.oldSelf = null;
      } else {
        vars.oldSelf = (oldSelf ??= fromJson(old));
      }
    }
    try {
      const result = evaluate(compiled.ast, vars);
      if (result !== true) {
        if (typeof result !== 'boolean') errs.push(field.invalid(path, schemaType(s), `rule did not evaluate to a bool: ${r.rule.trim()}`));
        else errs.push(ruleError(path, s, r, messageOf(r, vars)));
      }
    } catch (e) {
      if (!(e instanceof CelEvalError)) throw e;
      errs.push(field.invalid(path, schemaType(s), `${e.message} evaluating rule: ${r.rule.trim()}`));
    }
  }
}

/** Walks value and schema, evaluating every rule; `old` is the correlated old value (undefined on create). */
export function validateRules(v: unknown, old: unknown, s: JSONSchemaProps, path: string, errs: FieldError[]): void {
  if (v === null || v === undefined) return;
  runRules(v, old, s, path, errs);
  if (Array.isArray(v)) {
    const items = s.items;
    if (!items) return;
    const keys = s['x-kubernetes-list-map-keys'];
    const oldList = Array.isArray(old) ? old : undefined;
    const correlate = (x: unknown): unknown => {
      if (!oldList) return undefined;
      if (s['x-kubernetes-list-type'] === 'map' && keys && isObject(x)) {
        return oldList.find((o) => isObject(o) && keys.every((k) => JSON.stringify(o[k]) === JSON.stringify(x[k])));
      }
      if (s['x-kubernetes-list-type'] === 'set') return oldList.find((o) => JSON.stringify(o) === JSON.stringify(x));
      return undefined;
    };
    v.forEach((x, i) => validateRules(x, correlate(x), items, `${path}[${i}]`, errs));
    return;
  }
  if (!isObject(v)) return;
  const oldObj = isObject(old) ? old : undefined;
  const additional = isObject(s.additionalProperties) ? s.additionalProperties as JSONSchemaProps : undefined;
  for (const [k, x] of Object.entries(v)) {
    const ps = s.properties?.[k] ?? additional;
    if (ps && hasRules(ps)) validateRules(x, oldObj?.[k], ps, path ? `${path}.${k}` : k, errs);
  }
}

const RULES_MEMO = new WeakMap<JSONSchemaProps, boolean>();

/** True when the schema or any descendant carries rules (memoised, to skip rule-free subtrees). */
export function hasRules(s: JSONSchemaProps): boolean {
  const hit = RULES_MEMO.get(s);
  if (hit !== undefined) return hit;
  let r = !!s['x-kubernetes-validations']?.length;
  if (!r && s.properties) r = Object.values(s.properties).some(hasRules);
  if (!r && s.items) r = hasRules(s.items);
  if (!r && isObject(s.additionalProperties)) r = hasRules(s.additionalProperties as JSONSchemaProps);
  RULES_MEMO.set(s, r);
  return r;
}
