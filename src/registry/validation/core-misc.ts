/**
 * Other core/v1 kinds, as pkg/apis/core/validation/validation.go (1.32): ConfigMap and Secret
 * total size (MaxSecretSize), PersistentVolumeClaim (create and the immutable-spec update rule),
 * Node basics, LimitRange and ResourceQuota quantities/scopes.
 */
import type { KubeObject } from '../../api/types.js';
import { field, type FieldError } from '../../apimachinery/errors.js';
import { compareQuantities, formatQuantity } from '../../apimachinery/quantity.js';
import { specDiff } from './pods.js';
import { validateResourceList } from './resources.js';
import { asArr, asObj, asStr, enumField, labelName, semanticEqual, type Obj } from './helpers.js';
import { isValidLabelValue } from '../../apimachinery/validation/names.js';

export const MAX_SECRET_SIZE = 1024 * 1024;

/** ConfigMap: data + binaryData (decoded bytes) ≤ 1 MiB. */
export function validateConfigMapSize(obj: KubeObject): FieldError[] {
  let total = 0;
  for (const v of Object.values(asObj(obj.data))) total += Buffer.byteLength(asStr(v), 'utf8');
  for (const v of Object.values(asObj(obj.binaryData))) total += Buffer.from(asStr(v), 'base64').length;
  return total > MAX_SECRET_SIZE ? [field.tooLong('', MAX_SECRET_SIZE)] : [];
}

const SECRET_TYPES_REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

/** Secret: total data ≤ 1 MiB, type-specific keys. */
export function validateSecret(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const data = asObj(obj.data);
  let total = 0;
  for (const v of Object.values(data)) total += Buffer.from(asStr(v), 'base64').length;
  if (total > MAX_SECRET_SIZE) errs.push(field.tooLong('data', MAX_SECRET_SIZE));
  const type = asStr(obj.type);
  for (const k of SECRET_TYPES_REQUIRED_KEYS[type] ?? []) {
    if (!(k in data)) errs.push(field.required(`data[${k}]`, ''));
  }
  if (type === 'kubernetes.io/service-account-token' && !asStr(asObj(obj.metadata.annotations)['kubernetes.io/service-account.name'])) {
    errs.push(field.required('metadata.annotations[kubernetes.io/service-account.name]', ''));
  }
  if (type === 'kubernetes.io/basic-auth' && !('username' in data) && !('password' in data)) {
    errs.push(field.required('data[username]', ''), field.required('data[password]', ''));
  }
  if (type === 'kubernetes.io/ssh-auth' && !('ssh-privatekey' in data)) errs.push(field.required('data[ssh-privatekey]', ''));
  return errs;
}

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

/** ValidatePersistentVolumeClaimSpec. */
export function validatePVC(obj: KubeObject): FieldError[] {
  const spec = asObj(obj.spec);
  const errs: FieldError[] = [];
  const modes = asArr(spec.accessModes).map(asStr);
  if (modes.length === 0) errs.push(field.required('spec.accessModes', 'at least 1 access mode is required'));
  for (const m of modes) if (!ACCESS_MODES.includes(m)) errs.push(field.notSupported('spec.accessModes', m, ACCESS_MODES));
  if (modes.includes('ReadWriteOncePod') && modes.length > 1) errs.push(field.forbidden('spec.accessModes', 'may not use ReadWriteOncePod with other access modes'));
  const res = asObj(spec.resources);
  const requests = asObj(res.requests);
  if (!('storage' in requests)) errs.push(field.required('spec.resources[storage]', ''));
  const rl = validateResourceList(requests, 'spec.resources.requests');
  errs.push(...rl.errs);
  const storage = rl.parsed.get('storage');
  if (storage && compareQuantities(storage, { mantissa: 0n, exponent: 0, format: 'DecimalSI' }) <= 0) {
    errs.push(field.invalid('spec.resources[storage]', formatQuantity(storage), 'must be greater than zero'));
  }
  errs.push(...validateResourceList(res.limits, 'spec.resources.limits').errs);
  errs.push(...enumField(spec.volumeMode, 'spec.volumeMode', ['Block', 'Filesystem']));
  return errs;
}

/** ValidatePersistentVolumeClaimUpdate: spec immutable except resources.requests for bound claims. */
export function validatePVCUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = validatePVC(obj);
  const spec = structuredClone(asObj(obj.spec));
  const oldSpec = asObj(old.spec);
  const bound = asObj(old.status).phase === 'Bound';
  // volumeName may be set once by the binder; storageClassName once on a legacy claim.
  if (!asStr(oldSpec.volumeName) && asStr(spec.volumeName)) spec.volumeName = oldSpec.volumeName;
  if (bound) spec.resources = { ...asObj(spec.resources), requests: asObj(oldSpec.resources).requests };
  if (!semanticEqual(spec, oldSpec)) {
    errs.push(field.forbidden('spec', `spec is immutable after creation except resources.requests for bound claims\n${specDiff(oldSpec, spec as Obj, 'core.PersistentVolumeClaimSpec')}`));
  }
  if (bound) {
    const n = validateResourceList(asObj(asObj(obj.spec).resources).requests, 'x').parsed.get('storage');
    const o = validateResourceList(asObj(oldSpec.resources).requests, 'x').parsed.get('storage');
    if (n && o && compareQuantities(n, o) < 0) errs.push(field.forbidden('spec.resources.requests.storage', 'field can not be less than previous value'));
  }
  return errs;
}

/** validateNodeTaints for one taint: key qualified, value a label value, effect known. */
function validateTaint(taint: Obj, path: string): FieldError[] {
  const errs = labelName(asStr(taint.key), `${path}.key`);
  const v = asStr(taint.value);
  for (const m of isValidLabelValue(v)) errs.push(field.invalid(`${path}.value`, v, m));
  const effect = asStr(taint.effect);
  if (!effect) errs.push(field.required(`${path}.effect`, ''));
  else if (!['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(effect)) errs.push(field.notSupported(`${path}.effect`, effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']));
  return errs;
}

/** ValidateNode (basics): taints, podCIDR, unschedulable. */
export function validateNode(obj: KubeObject): FieldError[] {
  const spec = asObj(obj.spec);
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  asArr(spec.taints).forEach((t, i) => {
    const taint = asObj(t);
    errs.push(...validateTaint(taint, `spec.taints[${i}]`));
    const key = `${asStr(taint.key)}:${asStr(taint.effect)}`;
    if (seen.has(key)) errs.push(field.duplicate(`spec.taints[${i}]`, taint));
    seen.add(key);
  });
  return errs;
}

const LIMIT_TYPES = ['Container', 'Pod', 'PersistentVolumeClaim'];

/** ValidateLimitRange: quantities valid, min ≤ default request ≤ default ≤ max. */
export function validateLimitRange(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const seenTypes = new Set<string>();
  asArr(asObj(obj.spec).limits).forEach((l, i) => {
    const item = asObj(l);
    const p = `spec.limits[${i}]`;
    const type = asStr(item.type);
    if (seenTypes.has(type)) errs.push(field.duplicate(`${p}.type`, type));
    seenTypes.add(type);
    if (type && !LIMIT_TYPES.includes(type) && !type.includes('/')) errs.push(field.notSupported(`${p}.type`, type, LIMIT_TYPES));
    const lists: Record<string, Map<string, ReturnType<typeof validateResourceList>['parsed'] extends Map<string, infer Q> ? Q : never>> = {};
    for (const k of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) {
      const r = validateResourceList(item[k], `${p}.${k}`);
      errs.push(...r.errs);
      lists[k] = r.parsed;
    }
    if (type === 'Pod' && Object.keys(asObj(item.default)).length) errs.push(field.forbidden(`${p}.default`, 'may not be specified when `type` is \'Pod\''));
    if (type === 'Pod' && Object.keys(asObj(item.defaultRequest)).length) errs.push(field.forbidden(`${p}.defaultRequest`, 'may not be specified when `type` is \'Pod\''));
    for (const [name, min] of lists.min!) {
      const max = lists.max!.get(name);
      if (max && compareQuantities(min, max) > 0) errs.push(field.invalid(`${p}.min[${name}]`, formatQuantity(min), `min value ${formatQuantity(min)} is greater than max value ${formatQuantity(max)}`));
    }
    for (const [name, dr] of lists.defaultRequest!) {
      const min = lists.min!.get(name);
      const max = lists.max!.get(name);
      const def = lists.default!.get(name);
      if (min && compareQuantities(min, dr) > 0) errs.push(field.invalid(`${p}.defaultRequest[${name}]`, formatQuantity(dr), `min value ${formatQuantity(min)} is greater than default request value ${formatQuantity(dr)}`));
      if (max && compareQuantities(dr, max) > 0) errs.push(field.invalid(`${p}.defaultRequest[${name}]`, formatQuantity(dr), `default request value ${formatQuantity(dr)} is greater than max value ${formatQuantity(max)}`));
      if (def && compareQuantities(dr, def) > 0) errs.push(field.invalid(`${p}.defaultRequest[${name}]`, formatQuantity(dr), `default request value ${formatQuantity(dr)} is greater than default limit value ${formatQuantity(def)}`));
    }
    for (const [name, def] of lists.default!) {
      const min = lists.min!.get(name);
      const max = lists.max!.get(name);
      if (min && compareQuantities(min, def) > 0) errs.push(field.invalid(`${p}.default[${name}]`, formatQuantity(def), `min value ${formatQuantity(min)} is greater than default value ${formatQuantity(def)}`));
      if (max && compareQuantities(def, max) > 0) errs.push(field.invalid(`${p}.default[${name}]`, formatQuantity(def), `default value ${formatQuantity(def)} is greater than max value ${formatQuantity(max)}`));
    }
  });
  return errs;
}

const QUOTA_SCOPES = ['BestEffort', 'CrossNamespacePodAffinity', 'NotBestEffort', 'NotTerminating', 'PriorityClass', 'Terminating', 'VolumeAttributesClass'];

/** ValidateResourceQuota: hard quantities valid, scopes known. */
export function validateResourceQuota(obj: KubeObject): FieldError[] {
  const spec = asObj(obj.spec);
  const errs = validateResourceList(spec.hard, 'spec.hard').errs;
  for (const s of asArr(spec.scopes).map(asStr)) if (!QUOTA_SCOPES.includes(s)) errs.push(field.invalid('spec.scopes', s, 'unsupported scope'));
  asArr(asObj(spec.scopeSelector).matchExpressions).forEach((e, i) => {
    const x = asObj(e);
    const p = `spec.scopeSelector.matchExpressions[${i}]`;
    if (!QUOTA_SCOPES.includes(asStr(x.scopeName))) errs.push(field.invalid(`${p}.scopeName`, asStr(x.scopeName), 'unsupported scope'));
    errs.push(...enumField(x.operator, `${p}.operator`, ['In', 'NotIn', 'Exists', 'DoesNotExist']));
  });
  return errs;
}
