/**
 * The strategy and converter of one CRD's custom resources (apiextensions-apiserver
 * pkg/registry/customresource/strategy.go, status_strategy.go and the decoding pipeline):
 *  - names are DNS subdomains; metadata.generation is tracked (bumped on non-status changes
 *    when the status subresource is on, on any non-metadata change otherwise);
 *  - with a status subresource, the main resource ignores status and /status ignores the rest;
 *  - objects entering the registry are pruned and defaulted with the request version's schema,
 *    then validated (structural schema + CEL rules) with the storage version's schema;
 *  - updates ratchet: errors at fields whose value did not change are dropped (ratcheting.ts);
 *  - conversion strategy None: only apiVersion changes between versions; defaults of the served
 *    version are applied on read as well.
 */
import type { KubeObject } from '../../api/types.js';
import type { FieldError } from '../../apimachinery/errors.js';
import { isDNS1123Subdomain } from '../../apimachinery/validation/names.js';
import type { Converter } from '../conversion.js';
import { defaultStrategy } from '../default-strategy.js';
import type { Strategy } from '../strategy.js';
import { applySchemaDefaults, pruneObject } from './prune.js';
import { recordUnknownFields } from './unknown-fields.js';
import { ratchet } from './ratcheting.js';
import { hasRules, validateRules } from './rules.js';
import { isObject, type JSONSchemaProps, type JsonObject } from './schema.js';
import type { Crd } from './types.js';
import { validateValue } from './validate.js';

const BLOCKING = new Set(['FieldValueNotSupported', 'FieldValueRequired', 'FieldValueTooLong', 'FieldValueTooMany', 'FieldValueTypeInvalid']);

export interface CustomResourceRules {
  strategy: Strategy;
  converter: Converter;
}

function hasDefaults(s: JSONSchemaProps | undefined): boolean {
  if (!s) return false;
  if (s.default !== undefined) return true;
  if (s.properties && Object.values(s.properties).some(hasDefaults)) return true;
  if (s.items && hasDefaults(s.items)) return true;
  return isObject(s.additionalProperties) && hasDefaults(s.additionalProperties as JSONSchemaProps);
}

/** The view of the object its schema validates: metadata reduced to what CEL may see (name, generateName). */
function validationView(obj: KubeObject): JsonObject {
  const { metadata, ...rest } = obj;
  const meta: JsonObject = {};
  if (metadata?.name !== undefined) meta.name = metadata.name;
  if (metadata?.generateName !== undefined) meta.generateName = metadata.generateName;
  return { ...rest, metadata: meta };
}

function validateAgainst(schema: JSONSchemaProps | undefined, obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  if (!schema) return [];
  let errs: FieldError[] = [];
  const view = validationView(obj);
  const oldView = old ? validationView(old) : undefined;
  const rootSchema: JSONSchemaProps = { ...schema, properties: { ...(schema.properties ?? {}) } };
  delete rootSchema.properties?.metadata;
  validateValue(view, rootSchema, '', errs);
  if (oldView) errs = ratchet(errs, view, oldView);
  if (!hasRules(schema)) return errs;
  // customresource strategy hasBlockingErr: rules are not evaluated over a mistyped object.
  if (errs.some((e) => BLOCKING.has(e.type))) {
    errs.push({ type: 'FieldValueInvalid', field: '<nil>', value: 'null', detail: 'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation' });
    return errs;
  }
  const ruleErrs: FieldError[] = [];
  validateRules(view, oldView, schema, '', ruleErrs);
  return [...errs, ...(oldView ? ratchet(ruleErrs, view, oldView) : ruleErrs)];
}

export function customResourceRules(crd: Crd): CustomResourceRules {
  const group = crd.spec.group;
  const schemas = new Map<string, JSONSchemaProps | undefined>();
  const withDefaults = new Set<string>();
  let hasStatus = false;
  let scale: Strategy['scale'];
  for (const v of crd.spec.versions) {
    if (v.storage && v.subresources?.scale) scale = { ...v.subresources.scale };
    const s = v.schema?.openAPIV3Schema;
    schemas.set(`${group}/${v.name}`, s);
    if (hasDefaults(s)) withDefaults.add(`${group}/${v.name}`);
    if (v.storage && v.subresources?.status) hasStatus = true;
  }
  const schemaOf = (apiVersion: string | undefined) => schemas.get(apiVersion ?? '');
  const base = defaultStrategy({ hasStatus, tracksGeneration: true, validateName: (n) => isDNS1123Subdomain(n) });
  const strategy: Strategy = {
    ...base,
    scale,
    prepareForUpdate(obj, old, ctx) {
      base.prepareForUpdate(obj, old, ctx);
      // Without a status subresource every non-metadata change bumps generation (the generic
      // store compares everything but metadata and status, so status is compared here).
      if (!hasStatus && JSON.stringify(obj.status) !== JSON.stringify(old.status) && old.metadata.generation !== undefined) {
        obj.metadata.generation = old.metadata.generation + 1;
      }
    },
    validate: (obj) => validateAgainst(schemaOf(obj.apiVersion), obj, undefined),
    validateUpdate: (obj, old) => validateAgainst(schemaOf(obj.apiVersion), obj, old),
    validateStatusUpdate: (obj, old) => validateAgainst(schemaOf(obj.apiVersion), obj, old),
  };
  const converter: Converter = {
    toStorage(obj, apiVersion) {
      const s = schemaOf(obj.apiVersion);
      if (s && !crd.spec.preserveUnknownFields) recordUnknownFields(obj, pruneObject(obj as JsonObject, s));
      if (s) applySchemaDefaults(obj, s);
      obj.apiVersion = apiVersion;
      return obj;
    },
    toServed(obj, apiVersion) {
      if (!withDefaults.has(apiVersion)) return obj.apiVersion === apiVersion ? obj : { ...obj, apiVersion };
      const out = structuredClone(obj);
      out.apiVersion = apiVersion;
      applySchemaDefaults(out, schemaOf(apiVersion));
      return out;
    },
  };
  return { strategy, converter };
}
