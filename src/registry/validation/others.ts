/**
 * Validation of the remaining kinds kubectl users write by hand, each as its upstream
 * pkg/apis/<group>/validation/validation.go (1.32): RBAC roles and bindings (rules, roleRef,
 * subjects, `cannot change roleRef`), networking Ingress, autoscaling HPA, policy PDB,
 * scheduling PriorityClass, storage StorageClass, coordination Lease and core Namespace.
 */
import { isIP } from 'node:net';
import type { KubeObject } from '../../api/types.js';
import { field, type FieldError } from '../../apimachinery/errors.js';
import { validateLabelSelector } from '../../apimachinery/validation/objectmeta.js';
import { isDNS1035Label, isDNS1123Subdomain, isQualifiedName, isValidPathSegmentName } from '../../apimachinery/validation/names.js';
import {
  asArr, asObj, asStr, dns1123Subdomain, enumField, goScalar, immutableField, invalidGo, isSet, isValidPortName, isValidPortNum,
  notMoreThan100Percent, positiveIntOrPercent, semanticEqual, type Obj,
} from './helpers.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

// ---------------------------------------------------------------------------------------------
// RBAC

function validatePolicyRule(rule: Obj, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (asArr(rule.verbs).length === 0) errs.push(field.required(`${path}.verbs`, 'verbs must contain at least one value'));
  const urls = asArr(rule.nonResourceURLs).map(asStr);
  if (urls.length > 0) {
    const goUrls = `[]string{${urls.map((u) => JSON.stringify(u)).join(', ')}}`;
    if (namespaced) errs.push(invalidGo(`${path}.nonResourceURLs`, goUrls, 'namespaced rules cannot apply to non-resource URLs'));
    if (asArr(rule.apiGroups).length || asArr(rule.resources).length || asArr(rule.resourceNames).length) {
      errs.push(invalidGo(`${path}.nonResourceURLs`, goUrls, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (asArr(rule.apiGroups).length === 0) errs.push(field.required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  if (asArr(rule.resources).length === 0) errs.push(field.required(`${path}.resources`, 'resource rules must supply at least one resource'));
  return errs;
}

export function validateRole(namespaced: boolean) {
  return (obj: KubeObject): FieldError[] => asArr(obj.rules).flatMap((r, i) => validatePolicyRule(asObj(r), namespaced, `rules[${i}]`));
}

function validateSubject(s: Obj, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = asStr(s.name);
  if (!name) errs.push(field.required(`${path}.name`, ''));
  switch (s.kind) {
    case 'ServiceAccount':
      if (name) for (const m of isDNS1123Subdomain(name)) errs.push(field.invalid(`${path}.name`, name, m));
      if (asStr(s.apiGroup)) errs.push(field.notSupported(`${path}.apiGroup`, s.apiGroup, ['']));
      if (!namespaced && !asStr(s.namespace)) errs.push(field.required(`${path}.namespace`, ''));
      break;
    case 'User': case 'Group':
      if (s.apiGroup !== undefined && s.apiGroup !== RBAC_GROUP) errs.push(field.notSupported(`${path}.apiGroup`, asStr(s.apiGroup), [RBAC_GROUP]));
      break;
    default:
      errs.push(field.notSupported(`${path}.kind`, asStr(s.kind), ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

export function validateBinding(namespaced: boolean) {
  return (obj: KubeObject): FieldError[] => {
    const ref = asObj(obj.roleRef);
    const errs: FieldError[] = [];
    if (ref.apiGroup !== RBAC_GROUP) errs.push(field.notSupported('roleRef.apiGroup', asStr(ref.apiGroup), [RBAC_GROUP]));
    const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
    if (!kinds.includes(asStr(ref.kind))) errs.push(field.notSupported('roleRef.kind', asStr(ref.kind), kinds));
    const name = asStr(ref.name);
    if (!name) errs.push(field.required('roleRef.name', ''));
    else for (const m of isValidPathSegmentName(name)) errs.push(field.invalid('roleRef.name', name, m));
    asArr(obj.subjects).forEach((s, i) => errs.push(...validateSubject(asObj(s), namespaced, `subjects[${i}]`)));
    return errs;
  };
}

export function validateBindingUpdate(namespaced: boolean) {
  const v = validateBinding(namespaced);
  return (obj: KubeObject, old: KubeObject): FieldError[] => {
    const errs = v(obj);
    const n = asObj(obj.roleRef);
    const o = asObj(old.roleRef);
    if (asStr(n.apiGroup) !== asStr(o.apiGroup) || asStr(n.kind) !== asStr(o.kind) || asStr(n.name) !== asStr(o.name)) {
      errs.push(invalidGo('roleRef', `rbac.RoleRef{APIGroup:${JSON.stringify(asStr(n.apiGroup))}, Kind:${JSON.stringify(asStr(n.kind))}, Name:${JSON.stringify(asStr(n.name))}}`, 'cannot change roleRef'));
    }
    return errs;
  };
}

// ---------------------------------------------------------------------------------------------
// Ingress

function validateIngressBackend(b: Obj, path: string): FieldError[] {
  const hasRes = isSet(b.resource);
  const hasSvc = isSet(b.service);
  if (hasRes && hasSvc) return [field.invalid(path, '', 'cannot set both resource and service backends')];
  if (hasRes) {
    const r = asObj(b.resource);
    const errs: FieldError[] = [];
    if (!asStr(r.kind)) errs.push(field.required(`${path}.resource.kind`, ''));
    if (!asStr(r.name)) errs.push(field.required(`${path}.resource.name`, ''));
    return errs;
  }
  if (!hasSvc) return [field.invalid(path, '', 'resource or service backend is required')];
  const svc = asObj(b.service);
  const errs: FieldError[] = [];
  const name = asStr(svc.name);
  if (!name) errs.push(field.required(`${path}.service.name`, ''));
  else for (const m of isDNS1035Label(name)) errs.push(field.invalid(`${path}.service.name`, name, m));
  const port = asObj(svc.port);
  const pn = asStr(port.name);
  const pnum = typeof port.number === 'number' ? port.number : 0;
  if (pn && pnum) errs.push(field.invalid(path, '', 'cannot set both port name & port number'));
  else if (pn) for (const m of isValidPortName(pn)) errs.push(field.invalid(`${path}.service.port.name`, pn, m));
  else if (pnum) for (const m of isValidPortNum(pnum)) errs.push(field.invalid(`${path}.service.port.number`, pnum, m));
  else errs.push(field.required(path, 'port name or number is required'));
  return errs;
}

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];

export function validateIngress(obj: KubeObject): FieldError[] {
  const spec = asObj(obj.spec);
  const errs: FieldError[] = [];
  const rules = asArr(spec.rules);
  if (rules.length === 0 && !isSet(spec.defaultBackend)) errs.push(invalidGo('spec.rules', '[]networking.IngressRule(nil)', 'either `defaultBackend` or `rules` must be specified'));
  if (isSet(spec.defaultBackend)) errs.push(...validateIngressBackend(asObj(spec.defaultBackend), 'spec.defaultBackend'));
  rules.forEach((r, i) => {
    const rule = asObj(r);
    const p = `spec.rules[${i}]`;
    const host = asStr(rule.host);
    if (host) {
      if (isIP(host)) errs.push(field.invalid(`${p}.host`, host, 'must be a DNS name, not an IP address'));
      const h = host.startsWith('*.') ? host.slice(2) : host;
      for (const m of isDNS1123Subdomain(h)) errs.push(field.invalid(`${p}.host`, host, m));
    }
    if (!isSet(rule.http)) return;
    const paths = asArr(asObj(rule.http).paths);
    if (paths.length === 0) errs.push(field.required(`${p}.http.paths`, ''));
    paths.forEach((x, j) => {
      const hp = asObj(x);
      const pp = `${p}.http.paths[${j}]`;
      const pt = hp.pathType;
      if (pt === undefined || pt === null || pt === '') errs.push(field.required(`${pp}.pathType`, 'pathType must be specified'));
      else if (!PATH_TYPES.includes(asStr(pt))) errs.push(field.notSupported(`${pp}.pathType`, pt, PATH_TYPES));
      const path = asStr(hp.path);
      if ((pt === 'Exact' || pt === 'Prefix') && !path.startsWith('/')) errs.push(field.invalid(`${pp}.path`, path, 'must be an absolute path'));
      if (pt === 'ImplementationSpecific' && path && !path.startsWith('/')) errs.push(field.invalid(`${pp}.path`, path, 'must be an absolute path'));
      errs.push(...validateIngressBackend(asObj(hp.backend), `${pp}.backend`));
    });
  });
  if (isSet(spec.ingressClassName)) errs.push(...dns1123Subdomain(asStr(spec.ingressClassName), 'spec.ingressClassName'));
  return errs;
}

// ---------------------------------------------------------------------------------------------
// HorizontalPodAutoscaler (autoscaling/v2)

const METRIC_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const METRIC_FIELD: Record<string, string> = { ContainerResource: 'containerResource', External: 'external', Object: 'object', Pods: 'pods', Resource: 'resource' };

export function validateHPA(obj: KubeObject): FieldError[] {
  const spec = asObj(obj.spec);
  const errs: FieldError[] = [];
  if (typeof spec.minReplicas === 'number' && spec.minReplicas < 1) errs.push(field.invalid('spec.minReplicas', spec.minReplicas, 'must be greater than or equal to 1'));
  const max = typeof spec.maxReplicas === 'number' ? spec.maxReplicas : 0;
  if (max < 1) errs.push(field.invalid('spec.maxReplicas', max, 'must be greater than 0'));
  if (typeof spec.minReplicas === 'number' && max < spec.minReplicas) errs.push(field.invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  const ref = asObj(spec.scaleTargetRef);
  if (!asStr(ref.kind)) errs.push(field.required('spec.scaleTargetRef.kind', ''));
  else for (const m of isValidPathSegmentName(asStr(ref.kind))) errs.push(field.invalid('spec.scaleTargetRef.kind', ref.kind, m));
  if (!asStr(ref.name)) errs.push(field.required('spec.scaleTargetRef.name', ''));
  else for (const m of isValidPathSegmentName(asStr(ref.name))) errs.push(field.invalid('spec.scaleTargetRef.name', ref.name, m));
  asArr(spec.metrics).forEach((m, i) => {
    const metric = asObj(m);
    const p = `spec.metrics[${i}]`;
    const type = asStr(metric.type);
    if (!type) { errs.push(field.required(`${p}.type`, 'must specify a metric source type')); return; }
    if (!METRIC_TYPES.includes(type)) { errs.push(field.notSupported(`${p}.type`, type, METRIC_TYPES)); return; }
    const f = METRIC_FIELD[type]!;
    const populated = Object.values(METRIC_FIELD).filter((k) => isSet(metric[k]));
    if (populated.length > 1 || (populated.length === 1 && populated[0] !== f)) errs.push(field.forbidden(p, 'must populate the given metric source only'));
    if (!isSet(metric[f])) { errs.push(field.required(`${p}.${f}`, 'must populate information for the given metric source')); return; }
    const src = asObj(metric[f]);
    if ((type === 'Resource' || type === 'ContainerResource') && !asStr(src.name)) errs.push(field.required(`${p}.${f}.name`, 'must specify a resource name'));
    if (!isSet(src.target)) errs.push(field.required(`${p}.${f}.target`, 'must specify a metric target'));
    else {
      const t = asObj(src.target);
      errs.push(...enumField(t.type, `${p}.${f}.target.type`, ['AverageValue', 'Utilization', 'Value']));
      if (typeof t.averageUtilization === 'number' && t.averageUtilization <= 0) errs.push(field.invalid(`${p}.${f}.target.averageUtilization`, t.averageUtilization, 'must be greater than 0'));
    }
  });
  return errs;
}

// ---------------------------------------------------------------------------------------------
// PodDisruptionBudget, PriorityClass, StorageClass, Lease, Namespace

export function validatePDB(obj: KubeObject): FieldError[] {
  const spec = asObj(obj.spec);
  const errs: FieldError[] = [];
  if (isSet(spec.minAvailable) && isSet(spec.maxUnavailable)) {
    errs.push(invalidGo('spec', `policy.PodDisruptionBudgetSpec{MinAvailable:${goScalar(spec.minAvailable)}, MaxUnavailable:${goScalar(spec.maxUnavailable)}}`, 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const f of ['minAvailable', 'maxUnavailable']) {
    if (!isSet(spec[f])) continue;
    errs.push(...positiveIntOrPercent(spec[f], `spec.${f}`), ...notMoreThan100Percent(spec[f], `spec.${f}`));
  }
  if (isSet(spec.selector)) errs.push(...validateLabelSelector(spec.selector as Parameters<typeof validateLabelSelector>[0], 'spec.selector'));
  if (isSet(spec.unhealthyPodEvictionPolicy)) errs.push(...enumField(spec.unhealthyPodEvictionPolicy, 'spec.unhealthyPodEvictionPolicy', ['AlwaysAllow', 'IfHealthyBudget']));
  return errs;
}

const SYSTEM_PRIORITY_CLASSES: Record<string, number> = { 'system-node-critical': 2000001000, 'system-cluster-critical': 2000000000 };
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1000000000;

export function validatePriorityClass(obj: KubeObject): FieldError[] {
  const name = obj.metadata.name ?? '';
  const value = typeof obj.value === 'number' ? obj.value : 0;
  const errs: FieldError[] = [];
  if (name.startsWith('system-')) {
    const known = SYSTEM_PRIORITY_CLASSES[name];
    let err = '';
    if (known === undefined) err = `${name} is not a known system priority class`;
    else if (known !== value) err = `value of ${name} PriorityClass must be ${known}`;
    else if (obj.globalDefault === true) err = `globalDefault of ${name} PriorityClass must be false`;
    if (err) errs.push(field.forbidden('metadata.name', `priority class names with 'system-' prefix are reserved for system use only. error: ${err}`));
  } else if (value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push(field.forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  }
  if (isSet(obj.preemptionPolicy)) errs.push(...enumField(obj.preemptionPolicy, 'preemptionPolicy', ['PreemptLowerPriority', 'Never']));
  return errs;
}

export function validatePriorityClassUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if ((obj.value ?? 0) !== (old.value ?? 0)) errs.push(field.forbidden('value', 'may not be changed in an update.'));
  errs.push(...immutableField(obj.preemptionPolicy, old.preemptionPolicy, 'preemptionPolicy', goScalar));
  return errs;
}

export function validateStorageClass(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const prov = asStr(obj.provisioner);
  if (!prov) errs.push(field.required('provisioner', ''));
  else for (const m of isQualifiedName(prov.toLowerCase())) errs.push(field.invalid('provisioner', prov.toLowerCase(), m));
  const params = asObj(obj.parameters);
  if (Object.keys(params).length > 512) errs.push(field.tooMany('parameters', Object.keys(params).length, 512));
  let total = 0;
  for (const [k, v] of Object.entries(params)) {
    if (k.length === 0) errs.push(field.invalid('parameters', params, 'key name cannot be empty'));
    total += k.length + asStr(v).length;
  }
  if (total > 256 * 1024) errs.push(field.tooLong('parameters', 256 * 1024));
  if (isSet(obj.reclaimPolicy) && asStr(obj.reclaimPolicy)) errs.push(...enumField(obj.reclaimPolicy, 'reclaimPolicy', ['Delete', 'Retain']));
  errs.push(...enumField(obj.volumeBindingMode, 'volumeBindingMode', ['Immediate', 'WaitForFirstConsumer']));
  return errs;
}

export function validateStorageClassUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateStorageClass(obj);
  if (!semanticEqual(obj.parameters, old.parameters)) errs.push(field.forbidden('parameters', 'updates to parameters are forbidden.'));
  if (asStr(obj.provisioner) !== asStr(old.provisioner)) errs.push(field.forbidden('provisioner', 'updates to provisioner are forbidden.'));
  if (asStr(obj.reclaimPolicy ?? 'Delete') !== asStr(old.reclaimPolicy ?? 'Delete')) errs.push(field.forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  errs.push(...immutableField(obj.volumeBindingMode, old.volumeBindingMode, 'volumeBindingMode', goScalar));
  return errs;
}

export function validateLease(obj: KubeObject): FieldError[] {
  const spec = asObj(obj.spec);
  const errs: FieldError[] = [];
  if (typeof spec.leaseDurationSeconds === 'number' && spec.leaseDurationSeconds <= 0) errs.push(field.invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  if (typeof spec.leaseTransitions === 'number' && spec.leaseTransitions < 0) errs.push(field.invalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
  if (isSet(spec.strategy)) errs.push(...enumField(spec.strategy, 'spec.strategy', ['OldestEmulationVersion']));
  return errs;
}

/** ValidateNamespace: spec.finalizers are qualified names or standard ones ("kubernetes"). */
export function validateNamespace(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  asArr(asObj(obj.spec).finalizers).forEach((f, i) => {
    const s = asStr(f);
    const msgs = isQualifiedName(s);
    for (const m of msgs) errs.push(field.invalid(`spec.finalizers[${i}]`, s, m));
    if (!msgs.length && !s.includes('/') && s !== 'kubernetes') errs.push(field.invalid(`spec.finalizers[${i}]`, s, 'name is neither a standard finalizer name nor is it fully qualified'));
  });
  return errs;
}
