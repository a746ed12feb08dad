/**
 * Structural schema validation of custom resources, with the error wording of
 * k8s.io/kube-openapi/pkg/validation/validate as apiextensions-apiserver turns it into field
 * errors (pkg/apiserver/validation/validation.go kubeOpenAPIResultToFieldErrors):
 *   `spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"`,
 *   `spec.x: Required value`, `spec.x: Unsupported value: "c": supported values: "a", "b"`.
 * List types set/map are checked for uniqueness (pkg/apiserver/schema/listtype/validation.go).
 */
import type { FieldError } from '../../apimachinery/errors.js';
import { field } from '../../apimachinery/errors.js';
import { childPath, isObject, jsonTypeOf, type JSONSchemaProps } from './schema.js';
import { checkFormat } from './formats.js';

const patternCache = new Map<string, RegExp>();

function regex(p: string): RegExp {
  let r = patternCache.get(p);
  if (!r) {
    try { r = new RegExp(p, 'u'); } catch { r = new RegExp(p); }
    patternCache.set(p, r);
  }
  return r;
}

function typeMatches(type: string, v: unknown): boolean {
  switch (type) {
    case 'object': return isObject(v);
    case 'array': return Array.isArray(v);
    case 'string': return typeof v === 'string';
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'number': return typeof v === 'number';
    case 'boolean': return typeof v === 'boolean';
    default: return true;
  }
}

function enumValue(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Validates `v` at `path` against `s` (the value must already be pruned and defaulted). */
export function validateValue(v: unknown, s: JSONSchemaProps, path: string, errs: FieldError[]): void {
  const name = path || '.';
  if (v === null) {
    if (!s.nullable && s.type && !s['x-kubernetes-int-or-string'] && !s['x-kubernetes-preserve-unknown-fields']) {
      errs.push(field.typeInvalid(path, 'null', `${name} in body must be of type ${s.type}: "null"`));
    }
    return;
  }
  if (s['x-kubernetes-int-or-string']) {
    if (!(typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v)))) {
      errs.push(field.typeInvalid(path, jsonTypeOf(v), `${name} in body must be of type integer,string: "${jsonTypeOf(v)}"`));
      return;
    }
  } else if (s.type && !typeMatches(s.type, v)) {
    errs.push(field.typeInvalid(path, jsonTypeOf(v), `${name} in body must be of type ${s.type}: "${jsonTypeOf(v)}"`));
    return;
  }
  if (s.enum && !s.enum.some((e) => deepEqual(e, v))) {
    errs.push(field.notSupported(path, v, s.enum.map(enumValue)));
  }
  if (typeof v === 'string') validateString(v, s, path, name, errs);
  else if (typeof v === 'number') validateNumber(v, s, path, name, errs);
  else if (Array.isArray(v)) validateArray(v, s, path, name, errs);
  else if (isObject(v)) validateObject(v, s, path, name, errs);
  validateCombinators(v, s, path, errs);
}

function validateString(v: string, s: JSONSchemaProps, path: string, name: string, errs: FieldError[]): void {
  const len = [...v].length;
  if (s.maxLength !== undefined && len > s.maxLength) errs.push({ type: 'FieldValueTooLong', field: path, value: v, detail: `may not be more than ${s.maxLength} bytes` });
  if (s.minLength !== undefined && len < s.minLength) errs.push(field.invalid(path, v, `${name} in body should be at least ${s.minLength} chars long`));
  if (s.pattern !== undefined && !regex(s.pattern).test(v)) errs.push(field.invalid(path, v, `${name} in body should match '${s.pattern}'`));
  if (s.format && !checkFormat(s.format, v)) errs.push(field.typeInvalid(path, v, `${name} in body must be of type ${s.format}: ${JSON.stringify(v)}`));
}

function validateNumber(v: number, s: JSONSchemaProps, path: string, name: string, errs: FieldError[]): void {
  if (s.maximum !== undefined) {
    if (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum) {
      errs.push(field.invalid(path, v, `${name} in body should be less than ${s.exclusiveMaximum ? '' : 'or equal to '}${s.maximum}`));
    }
  }
  if (s.minimum !== undefined) {
    if (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum) {
      errs.push(field.invalid(path, v, `${name} in body should be greater than ${s.exclusiveMinimum ? '' : 'or equal to '}${s.minimum}`));
    }
  }
  if (s.multipleOf !== undefined && s.multipleOf > 0 && Math.abs(v / s.multipleOf - Math.round(v / s.multipleOf)) > 1e-9) {
    errs.push(field.invalid(path, v, `${name} in body should be a multiple of ${s.multipleOf}`));
  }
  if (s.format === 'int32' && Number.isInteger(v) && (v < -2147483648 || v > 2147483647)) {
    errs.push(field.typeInvalid(path, v, `${name} in body must be of type int32: "${v}"`));
  }
}

function validateArray(v: unknown[], s: JSONSchemaProps, path: string, name: string, errs: FieldError[]): void {
  if (s.maxItems !== undefined && v.length > s.maxItems) errs.push(field.tooMany(path, v.length, s.maxItems));
  if (s.minItems !== undefined && v.length < s.minItems) errs.push(field.invalid(path, v, `${name} in body should have at least ${s.minItems} items`));
  if (s.uniqueItems && new Set(v.map((x) => JSON.stringify(x))).size !== v.length) errs.push(field.invalid(path, v, `${name} in body shouldn't contain duplicates`));
  if (s.items) v.forEach((x, i) => validateValue(x, s.items as JSONSchemaProps, `${path}[${i}]`, errs));
  const lt = s['x-kubernetes-list-type'];
  if (lt === 'set') {
    const seen = new Set<string>();
    v.forEach((x, i) => {
      const k = JSON.stringify(x);
      if (seen.has(k)) errs.push(field.duplicate(`${path}[${i}]`, x));
      seen.add(k);
    });
  } else if (lt === 'map') {
    const keys = s['x-kubernetes-list-map-keys'] ?? [];
    const seen = new Set<string>();
    v.forEach((x, i) => {
      if (!isObject(x)) return;
      const key: Record<string, unknown> = {};
      for (const k of keys) {
        const itemSchema = s.items?.properties?.[k];
        key[k] = x[k] !== undefined ? x[k] : itemSchema?.default;
      }
      const ks = JSON.stringify(key);
      if (seen.has(ks)) errs.push(field.duplicate(`${path}[${i}]`, key));
      seen.add(ks);
    });
  }
}

function validateObject(v: Record<string, unknown>, s: JSONSchemaProps, path: string, name: string, errs: FieldError[]): void {
  const n = Object.keys(v).length;
  if (s.maxProperties !== undefined && n > s.maxProperties) errs.push({ type: 'FieldValueTooMany', field: path, value: n, detail: `must have at most ${s.maxProperties} items` });
  if (s.minProperties !== undefined && n < s.minProperties) errs.push(field.invalid(path, n, `${name} in body should have at least ${s.minProperties} properties`));
  for (const r of s.required ?? []) {
    if (v[r] === undefined) errs.push(field.required(childPath(path, r), ''));
  }
  if (s['x-kubernetes-embedded-resource']) {
    for (const r of ['apiVersion', 'kind']) if (v[r] === undefined || v[r] === '') errs.push(field.required(childPath(path, r), 'must not be empty'));
  }
  for (const [k, x] of Object.entries(v)) {
    const ps = s.properties?.[k];
    if (ps) { validateValue(x, ps, childPath(path, k), errs); continue; }
    if (isObject(s.additionalProperties)) validateValue(x, s.additionalProperties as JSONSchemaProps, childPath(path, k), errs);
  }
}

/** allOf/anyOf/oneOf/not as value validation (structural schemas allow them without types). */
function validateCombinators(v: unknown, s: JSONSchemaProps, path: string, errs: FieldError[]): void {
  const name = path || '.';
  const passes = (sub: JSONSchemaProps) => { const e: FieldError[] = []; validateValue(v, sub, path, e); return e; };
  for (const sub of s.allOf ?? []) errs.push(...passes(sub));
  if (s.anyOf && !s.anyOf.some((sub) => passes(sub).length === 0)) {
    errs.push(field.invalid(path, '', `${name} in body must validate at least one schema (anyOf)`));
    errs.push(...s.anyOf.flatMap(passes));
  }
  if (s.oneOf) {
    const ok = s.oneOf.filter((sub) => passes(sub).length === 0).length;
    if (ok !== 1) errs.push(field.invalid(path, '', `${name} in body must validate one and only one schema (oneOf)`));
  }
  if (s.not && passes(s.not).length === 0) errs.push(field.invalid(path, '', `${name} in body should not be valid against the given schema`));
}
