/**
 * Validation and defaulting of CustomResourceDefinitions (apiextensions-apiserver
 * pkg/apis/apiextensions/validation/validation.go ValidateCustomResourceDefinition and
 * v1/defaults.go), with upstream field paths and wording for what users hit: the name must be
 * <plural>.<group>, names and versions well formed, exactly one storage version, schemas
 * structural (every specified field has a type), and every x-kubernetes-validations rule
 * compiles in keks's CEL subset (a rule outside it is rejected here, naming the rule).
 */
import type { FieldError } from '../../apimachinery/errors.js';
import { field } from '../../apimachinery/errors.js';
import { isDNS1035Label, isDNS1123Subdomain } from '../../apimachinery/validation/names.js';
import { CelCompileError } from './cel/ast.js';
import { checkFields, compileRule, type FieldSchema } from './cel/compile.js';
import { parseJsonPath } from './jsonpath.js';
import { isObject, type JSONSchemaProps } from './schema.js';
import type { Crd, CrdNames, CrdVersion } from './types.js';
import { validateValue } from './validate.js';

/** CRD defaults (v1 SetDefaults_CustomResourceDefinitionSpec): singular, listKind, conversion None. Mutates. */
export function defaultCrd(crd: Crd): void {
  const spec = crd.spec;
  if (!isObject(spec)) return;
  const names = spec.names;
  if (isObject(names)) {
    if (!names.singular && typeof names.kind === 'string') names.singular = names.kind.toLowerCase();
    if (!names.listKind && typeof names.kind === 'string') names.listKind = `${names.kind}List`;
  }
  if (!spec.conversion) spec.conversion = { strategy: 'None' };
}

function validateNames(n: CrdNames | undefined, path: string, errs: FieldError[]): void {
  if (!isObject(n)) { errs.push(field.required(path, '')); return; }
  if (!n.plural) errs.push(field.required(`${path}.plural`, ''));
  else for (const m of isDNS1035Label(n.plural)) errs.push(field.invalid(`${path}.plural`, n.plural, m));
  if (n.singular) for (const m of isDNS1035Label(n.singular)) errs.push(field.invalid(`${path}.singular`, n.singular, m));
  if (!n.kind) errs.push(field.required(`${path}.kind`, ''));
  else if (!/^[A-Za-z]([-A-Za-z0-9]*[A-Za-z0-9])?$/.test(n.kind)) errs.push(field.invalid(`${path}.kind`, n.kind, 'may have mixed case, but should otherwise match: [a-z]([-a-z0-9]*[a-z0-9])?'));
  if (n.listKind && n.listKind === n.kind) errs.push(field.invalid(`${path}.listKind`, n.listKind, 'kind and listKind may not be the same'));
  (n.shortNames ?? []).forEach((s, i) => { for (const m of isDNS1035Label(s)) errs.push(field.invalid(`${path}.shortNames[${i}]`, s, m)); });
  (n.categories ?? []).forEach((s, i) => { for (const m of isDNS1035Label(s)) errs.push(field.invalid(`${path}.categories[${i}]`, s, m)); });
}

/** Structural schema checks (pkg/apiserver/schema/validation.go): types present, items for arrays. */
function validateStructural(s: JSONSchemaProps, path: string, root: boolean, errs: FieldError[], dataPath = ''): void {
  if (!isObject(s)) return;
  if (s.default !== undefined && !root) {
    // validation.go validateDefaults: a default must itself be valid against its schema.
    const derrs: FieldError[] = [];
    validateValue(structuredClone(s.default), s, dataPath, derrs);
    for (const e of derrs) errs.push({ ...e, field: `${path}.default` });
  }
  const loose = s['x-kubernetes-int-or-string'] || s['x-kubernetes-preserve-unknown-fields'];
  if (!s.type && !loose) errs.push(field.required(`${path}.type`, 'must not be empty for specified object fields'));
  if (root && s.type && s.type !== 'object') errs.push(field.invalid(`${path}.type`, s.type, 'must be object at the root'));
  if (s.type === 'array' && !s.items) errs.push(field.required(`${path}.items`, 'must be specified'));
  const lt = s['x-kubernetes-list-type'];
  if (lt === 'map') {
    const keys = s['x-kubernetes-list-map-keys'];
    if (!keys?.length) errs.push(field.required(`${path}.x-kubernetes-list-map-keys`, 'must not be empty if x-kubernetes-list-type is map'));
    if (s.items?.type && s.items.type !== 'object') errs.push(field.invalid(`${path}.items.type`, s.items.type, 'must be object if parent array\'s x-kubernetes-list-type is map'));
  } else if (lt !== undefined && lt !== 'atomic' && lt !== 'set') {
    errs.push(field.notSupported(`${path}.x-kubernetes-list-type`, lt, ['atomic', 'set', 'map']));
  }
  (s['x-kubernetes-validations'] ?? []).forEach((r, i) => {
    const rp = `${path}.x-kubernetes-validations[${i}]`;
    if (!r.rule) { errs.push(field.required(`${rp}.rule`, '')); return; }
    try { compileRule(r.rule); checkFields(r.rule, s as FieldSchema); } catch (e) {
      if (!(e instanceof CelCompileError)) throw e;
      errs.push(field.invalid(`${rp}.rule`, r.rule, `compilation failed: ERROR: <input>: ${e.message}`));
    }
    if (r.messageExpression) {
      try { compileRule(r.messageExpression); } catch (e) {
        if (!(e instanceof CelCompileError)) throw e;
        errs.push(field.invalid(`${rp}.messageExpression`, r.messageExpression, `messageExpression compilation failed: ERROR: <input>: ${e.message}`));
      }
    }
  });
  for (const [k, p] of Object.entries(s.properties ?? {})) validateStructural(p, `${path}.properties[${k}]`, false, errs, dataPath ? `${dataPath}.${k}` : k);
  if (s.items) validateStructural(s.items, `${path}.items`, false, errs, `${dataPath}[0]`);
  if (isObject(s.additionalProperties)) validateStructural(s.additionalProperties as JSONSchemaProps, `${path}.additionalProperties`, false, errs, `${dataPath}[key]`);
}

function validateVersion(v: CrdVersion, i: number, preserveUnknown: boolean, errs: FieldError[]): void {
  const path = `spec.versions[${i}]`;
  if (!v.name) errs.push(field.required(`${path}.name`, ''));
  else for (const m of isDNS1035Label(v.name)) errs.push(field.invalid(`${path}.name`, v.name, m));
  const schema = v.schema?.openAPIV3Schema;
  if (!schema) {
    if (!preserveUnknown) errs.push(field.required(`${path}.schema.openAPIV3Schema`, 'schemas are required'));
  } else {
    validateStructural(schema, `${path}.schema.openAPIV3Schema`, true, errs);
  }
  (v.additionalPrinterColumns ?? []).forEach((c, j) => {
    const cp = `${path}.additionalPrinterColumns[${j}]`;
    if (!c.name) errs.push(field.required(`${cp}.name`, ''));
    if (!['integer', 'number', 'string', 'boolean', 'date'].includes(c.type)) errs.push(field.notSupported(`${cp}.type`, c.type, ['integer', 'number', 'string', 'boolean', 'date']));
    if (!c.jsonPath) errs.push(field.required(`${cp}.jsonPath`, ''));
    else { try { parseJsonPath(c.jsonPath); } catch { errs.push(field.invalid(`${cp}.jsonPath`, c.jsonPath, 'must be a simple json path')); } }
  });
  const scale = v.subresources?.scale;
  if (scale) {
    if (!scale.specReplicasPath) errs.push(field.required(`${path}.subresources.scale.specReplicasPath`, ''));
    else if (!scale.specReplicasPath.startsWith('.spec.')) errs.push(field.invalid(`${path}.subresources.scale.specReplicasPath`, scale.specReplicasPath, 'should be a json path under .spec'));
    if (!scale.statusReplicasPath) errs.push(field.required(`${path}.subresources.scale.statusReplicasPath`, ''));
    else if (!scale.statusReplicasPath.startsWith('.status.')) errs.push(field.invalid(`${path}.subresources.scale.statusReplicasPath`, scale.statusReplicasPath, 'should be a json path under .status'));
  }
}

export function validateCrd(crd: Crd): FieldError[] {
  const errs: FieldError[] = [];
  const spec = crd.spec;
  if (!isObject(spec)) return [field.required('spec', '')];
  const group = spec.group;
  if (!group) errs.push(field.required('spec.group', ''));
  else {
    for (const m of isDNS1123Subdomain(group)) errs.push(field.invalid('spec.group', group, m));
    if (!group.includes('.')) errs.push(field.invalid('spec.group', group, 'should be a domain with at least one dot'));
  }
  validateNames(spec.names, 'spec.names', errs);
  const name = crd.metadata?.name ?? '';
  if (spec.names?.plural && group && name !== `${spec.names.plural}.${group}`) {
    errs.push(field.invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  }
  if (!spec.scope) errs.push(field.required('spec.scope', ''));
  else if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') errs.push(field.notSupported('spec.scope', spec.scope, ['Cluster', 'Namespaced']));
  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  if (!versions.length) errs.push(field.invalid('spec.versions', versions, 'must have exactly one version marked as storage version'));
  else {
    const storage = versions.filter((v) => v.storage).length;
    if (storage !== 1) errs.push(field.invalid('spec.versions', versions.map((v) => v.name), 'must have exactly one version marked as storage version'));
    if (!versions.some((v) => v.served)) errs.push(field.invalid('spec.versions', versions.map((v) => v.name), 'must have at least one version marked served'));
    const seen = new Set<string>();
    versions.forEach((v, i) => {
      if (seen.has(v.name)) errs.push(field.duplicate(`spec.versions[${i}].name`, v.name));
      seen.add(v.name);
      validateVersion(v, i, !!spec.preserveUnknownFields, errs);
    });
  }
  const strategy = spec.conversion?.strategy;
  if (strategy && strategy !== 'None' && strategy !== 'Webhook') errs.push(field.notSupported('spec.conversion.strategy', strategy, ['None', 'Webhook']));
  if (spec.preserveUnknownFields) errs.push(field.invalid('spec.preserveUnknownFields', true, 'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead'));
  return errs;
}

/** Update rules on top of create's: group, names.plural/kind and scope are immutable once established (simplified). */
export function validateCrdUpdate(crd: Crd, old: Crd): FieldError[] {
  const errs = validateCrd(crd);
  if (old.spec?.group !== crd.spec?.group) errs.push(field.immutable('spec.group', crd.spec?.group));
  if (old.spec?.scope !== crd.spec?.scope) errs.push(field.immutable('spec.scope', crd.spec?.scope));
  if (old.spec?.names?.plural !== crd.spec?.names?.plural) errs.push(field.immutable('spec.names.plural', crd.spec?.names?.plural));
  const stored = old.status?.storedVersions ?? [];
  for (const sv of stored) {
    if (!crd.spec?.versions?.some((v) => v.name === sv)) errs.push(field.invalid('status.storedVersions', stored, `must appear in spec.versions`));
  }
  return errs;
}

