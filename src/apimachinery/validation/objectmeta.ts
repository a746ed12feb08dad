/**
 * ObjectMeta validation, as k8s.io/apimachinery/pkg/api/validation/objectmeta.go
 * (ValidateObjectMetaAccessor / ValidateObjectMetaAccessorUpdate) and
 * pkg/apis/meta/v1/validation/validation.go (ValidateLabels, ValidateManagedFields,
 * ValidateLabelSelector). Errors are returned (never thrown) in upstream order; callers wrap them
 * with `invalid(...)` from ../errors.js.
 *
 * Where upstream prints a value with Go's `%#v` or a Stringer (string slices, timestamps, owner
 * references), the exact Go rendering is put into the detail and `value` is left unset, so that
 * `fieldErrorBody` yields the same text kube-apiserver does (`Invalid value: []string{"a"}: …`).
 */
import type { ManagedFieldsEntry, ObjectMeta, OwnerReference } from '../../api/types.js';
import { field, type FieldError } from '../errors.js';
import { byteLength, isQualifiedName, isValidLabelValue, nameIsDNSSubdomain, validateNamespaceName, type NameValidator } from './names.js';

export const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * 1024;
export const FIELD_MANAGER_MAX_LENGTH = 128;
export const MAX_SUBRESOURCE_NAME_LENGTH = 256;
export const FIELD_IMMUTABLE_ERROR_MSG = 'field is immutable';

export interface ObjectMetaValidationOptions {
  /** True for namespaced kinds: namespace required (and a DNS-1123 label); false: forbidden. */
  namespaced: boolean;
  /** The kind's ValidateNameFunc; defaults to DNS-1123 subdomain. */
  validateName?: NameValidator;
  /** Field path of the metadata (default "metadata"). */
  path?: string;
}

/** A FieldValueInvalid whose value is rendered Go-style into the message. */
function invalidGo(f: string, goValue: string, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field: f, detail: `${goValue}: ${detail}` };
}

/** Go `%#v` of a []string. */
export function goStringSlice(xs: readonly string[]): string {
  return `[]string{${xs.map((x) => JSON.stringify(x)).join(', ')}}`;
}

/** Go's time.Time String() for an RFC 3339 timestamp (as metav1.Time prints in messages). */
function goTimeString(ts: string): string {
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return ts;
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`;
}

export function validateLabels(labels: Record<string, string> | undefined | null, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!labels) return errs;
  for (const [k, v] of Object.entries(labels)) {
    for (const m of isQualifiedName(k)) errs.push(field.invalid(path, k, m));
    for (const m of isValidLabelValue(String(v))) errs.push(field.invalid(path, v, m));
  }
  return errs;
}

export function validateAnnotations(annotations: Record<string, string> | undefined | null, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!annotations) return errs;
  let total = 0;
  for (const [k, v] of Object.entries(annotations)) {
    // Upstream validates the lower-cased key (annotation keys may use upper case in the name part anyway).
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(field.invalid(path, k, m));
    total += byteLength(k) + byteLength(String(v));
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_B) errs.push(field.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT_B));
  return errs;
}

function parseAPIVersion(apiVersion: string): { group: string; version: string } {
  if (apiVersion === '') return { group: '', version: '' };
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: apiVersion };
  if (parts.length === 2) return { group: parts[0]!, version: parts[1]! };
  return { group: '', version: '' };
}

function goOwnerRef(r: OwnerReference): string {
  const b = (x: boolean | undefined): string => (x === undefined ? '(*bool)(nil)' : `(*bool)(${x})`);
  return `v1.OwnerReference{APIVersion:${JSON.stringify(r.apiVersion ?? '')}, Kind:${JSON.stringify(r.kind ?? '')}, Name:${JSON.stringify(r.name ?? '')}, UID:${JSON.stringify(r.uid ?? '')}, Controller:${b(r.controller)}, BlockOwnerDeletion:${b(r.blockOwnerDeletion)}}`;
}

export function validateOwnerReferences(refs: OwnerReference[] | undefined | null, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!refs) return errs;
  let firstController = '';
  for (const ref of refs) {
    const gv = parseAPIVersion(ref.apiVersion ?? '');
    if (!gv.version) errs.push(field.invalid(`${path}.apiVersion`, ref.apiVersion ?? '', 'version must not be empty'));
    if (!ref.kind) errs.push(field.invalid(`${path}.kind`, ref.kind ?? '', 'kind must not be empty'));
    if (!ref.name) errs.push(field.invalid(`${path}.name`, ref.name ?? '', 'name must not be empty'));
    if (!ref.uid) errs.push(field.invalid(`${path}.uid`, ref.uid ?? '', 'uid must not be empty'));
    if (gv.group === '' && gv.version === 'v1' && ref.kind === 'Event') {
      errs.push(invalidGo(path, goOwnerRef(ref), '/v1, Kind=Event is disallowed from being an owner'));
    }
    if (ref.controller === true) {
      const cur = `${ref.kind}/${ref.name}`;
      if (firstController) {
        errs.push(invalidGo(path, `[]v1.OwnerReference{${refs.map(goOwnerRef).join(', ')}}`,
          `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${cur}`));
      } else firstController = cur;
    }
  }
  return errs;
}

export function validateFinalizers(finalizers: string[] | undefined | null, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!finalizers) return errs;
  for (const f of finalizers) for (const m of isQualifiedName(f)) errs.push(field.invalid(path, f, m));
  if (finalizers.includes('orphan') && finalizers.includes('foregroundDeletion')) {
    errs.push(invalidGo(path, goStringSlice(finalizers), 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errs;
}

function hasNonPrintable(s: string): { ch: string; pos: number } | undefined {
  let pos = 0;
  for (const ch of s) {
    // Approximates Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and ASCII space.
    if (ch !== ' ' && !/^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch)) return { ch, pos };
    pos += Buffer.byteLength(ch, 'utf8');
  }
  return undefined;
}

export function validateManagedFields(entries: ManagedFieldsEntry[] | undefined | null, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!entries) return errs;
  entries.forEach((e, i) => {
    const p = `${path}[${i}]`;
    if (e.operation !== 'Apply' && e.operation !== 'Update') errs.push(field.invalid(`${p}.operation`, e.operation ?? '', 'must be `Apply` or `Update`'));
    if (e.fieldsType && e.fieldsType !== 'FieldsV1') errs.push(field.invalid(`${p}.fieldsType`, e.fieldsType, 'must be `FieldsV1`'));
    const mgr = e.manager ?? '';
    if (byteLength(mgr) > FIELD_MANAGER_MAX_LENGTH) errs.push(field.tooLong(`${p}.manager`, FIELD_MANAGER_MAX_LENGTH));
    const bad = hasNonPrintable(mgr);
    if (bad) {
      const cp = bad.ch.codePointAt(0)!;
      errs.push(field.invalid(`${p}.manager`, mgr, `invalid character U+${cp.toString(16).toUpperCase().padStart(4, '0')} (at position ${bad.pos})`));
    }
    if (byteLength(e.subresource ?? '') > MAX_SUBRESOURCE_NAME_LENGTH) errs.push(field.tooLong(`${p}.subresource`, MAX_SUBRESOURCE_NAME_LENGTH));
  });
  return errs;
}

/** ValidateObjectMetaAccessor: create-time checks (name already generated from generateName). */
export function validateObjectMeta(meta: ObjectMeta | undefined | null, opts: ObjectMetaValidationOptions): FieldError[] {
  const m: ObjectMeta = meta ?? {};
  const path = opts.path ?? 'metadata';
  const nameFn = opts.validateName ?? nameIsDNSSubdomain;
  const errs: FieldError[] = [];
  if (m.generateName) {
    for (const msg of nameFn(m.generateName, true)) errs.push(field.invalid(`${path}.generateName`, m.generateName, msg));
  }
  if (!m.name) errs.push(field.required(`${path}.name`, 'name or generateName is required'));
  else for (const msg of nameFn(m.name, false)) errs.push(field.invalid(`${path}.name`, m.name, msg));
  if (opts.namespaced) {
    if (!m.namespace) errs.push(field.required(`${path}.namespace`, ''));
    else for (const msg of validateNamespaceName(m.namespace, false)) errs.push(field.invalid(`${path}.namespace`, m.namespace, msg));
  } else if (m.namespace) {
    errs.push(field.forbidden(`${path}.namespace`, 'not allowed on this type'));
  }
  if (typeof m.generation === 'number' && m.generation < 0) errs.push(field.invalid(`${path}.generation`, m.generation, 'must be greater than or equal to 0'));
  errs.push(...validateLabels(m.labels, `${path}.labels`));
  errs.push(...validateAnnotations(m.annotations, `${path}.annotations`));
  errs.push(...validateOwnerReferences(m.ownerReferences, `${path}.ownerReferences`));
  errs.push(...validateFinalizers(m.finalizers, `${path}.finalizers`));
  errs.push(...validateManagedFields(m.managedFields, `${path}.managedFields`));
  return errs;
}

function immutable(path: string, newVal: unknown, oldVal: unknown, render?: (v: unknown) => string): FieldError[] {
  const n = newVal ?? undefined;
  const o = oldVal ?? undefined;
  if (n === o) return [];
  if (render) return [invalidGo(path, render(n), FIELD_IMMUTABLE_ERROR_MSG)];
  return [field.immutable(path, n ?? '')];
}

/**
 * ValidateObjectMetaAccessorUpdate. Note kube-apiserver's rest.BeforeUpdate first copies uid (when
 * empty), creationTimestamp, deletionTimestamp and deletionGracePeriodSeconds from the old object,
 * so in practice only name/namespace/uid changes surface here.
 */
export function validateObjectMetaUpdate(newMeta: ObjectMeta | undefined | null, oldMeta: ObjectMeta | undefined | null, opts?: Partial<ObjectMetaValidationOptions>): FieldError[] {
  const n: ObjectMeta = newMeta ?? {};
  const o: ObjectMeta = oldMeta ?? {};
  const path = opts?.path ?? 'metadata';
  const errs: FieldError[] = [];
  if (o.deletionTimestamp) {
    const old = new Set(o.finalizers ?? []);
    const extra = [...new Set((n.finalizers ?? []).filter((f) => !old.has(f)))].sort();
    if (extra.length) errs.push(field.forbidden(`${path}.finalizers`, `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(extra)}`));
  }
  if (!n.resourceVersion) errs.push(field.invalid(`${path}.resourceVersion`, n.resourceVersion ?? '', 'must be specified for an update'));
  if ((n.generation ?? 0) < (o.generation ?? 0)) errs.push(field.invalid(`${path}.generation`, n.generation ?? 0, 'must not be decremented'));
  errs.push(...immutable(`${path}.name`, n.name ?? '', o.name ?? ''));
  errs.push(...immutable(`${path}.namespace`, n.namespace ?? '', o.namespace ?? ''));
  errs.push(...immutable(`${path}.uid`, n.uid ?? '', o.uid ?? ''));
  const time = (v: unknown): string => (typeof v === 'string' && v ? goTimeString(v) : v == null || v === '' ? '0001-01-01 00:00:00 +0000 UTC' : String(v));
  errs.push(...immutable(`${path}.creationTimestamp`, n.creationTimestamp ?? '', o.creationTimestamp ?? '', time));
  errs.push(...immutable(`${path}.deletionTimestamp`, n.deletionTimestamp, o.deletionTimestamp, (v) => (v == null ? '"null"' : time(v))));
  errs.push(...immutable(`${path}.deletionGracePeriodSeconds`, n.deletionGracePeriodSeconds, o.deletionGracePeriodSeconds, (v) => (v == null ? '"null"' : String(v))));
  errs.push(...validateLabels(n.labels, `${path}.labels`));
  errs.push(...validateAnnotations(n.annotations, `${path}.annotations`));
  errs.push(...validateOwnerReferences(n.ownerReferences, `${path}.ownerReferences`));
  errs.push(...validateManagedFields(n.managedFields, `${path}.managedFields`));
  return errs;
}

/** metav1validation.ValidateLabelSelector (default options: invalid values and unknown operators rejected). */
export function validateLabelSelector(
  sel: { matchLabels?: Record<string, string> | null; matchExpressions?: Array<{ key: string; operator: string; values?: string[] | null }> | null } | null | undefined,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  if (!sel) return errs;
  errs.push(...validateLabels(sel.matchLabels ?? undefined, `${path}.matchLabels`));
  (sel.matchExpressions ?? []).forEach((e, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In': case 'NotIn':
        if (values.length === 0) errs.push(field.required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists': case 'DoesNotExist':
        if (values.length > 0) errs.push(field.forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(field.invalid(`${p}.operator`, e.operator, 'not a valid selector operator'));
    }
    for (const m of isQualifiedName(e.key ?? '')) errs.push(field.invalid(`${p}.key`, e.key ?? '', m));
    values.forEach((v, j) => {
      for (const m of isValidLabelValue(v)) errs.push(field.invalid(`${p}.values[${j}]`, v, m));
    });
  });
  return errs;
}
