/**
 * Service validation, as pkg/apis/core/validation/validation.go ValidateService /
 * ValidateServiceUpdate (1.32), plus the node-port range check of the service REST allocator
 * (pkg/registry/core/service/portallocator: `provided port is not in the valid range`).
 */
import { isIP } from 'node:net';
import type { KubeObject } from '../../api/types.js';
import { field, type FieldError } from '../../apimachinery/errors.js';
import { goStringSlice, validateLabels } from '../../apimachinery/validation/objectmeta.js';
import { asArr, asObj, asStr, dns1123Label, dns1123Subdomain, enumField, invalidGo, isSet, isValidPortNum, portNumOrName, qualifiedName, type Obj } from './helpers.js';

export const NODE_PORT_RANGE = { base: 30000, size: 2768 };
const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const IP_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

function clusterIPsOf(spec: Obj): string[] {
  const ips = asArr(spec.clusterIPs).map(asStr);
  if (ips.length) return ips;
  const ip = asStr(spec.clusterIP);
  return ip ? [ip] : [];
}

function isHeadless(spec: Obj): boolean {
  const ips = clusterIPsOf(spec);
  return ips.length === 1 && ips[0] === 'None';
}

function validateServicePort(sp: Obj, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = asStr(sp.name);
  if (requireName && !name) errs.push(field.required(`${path}.name`, ''));
  else if (name) {
    errs.push(...dns1123Label(name, `${path}.name`));
    if (names.has(name)) errs.push(field.duplicate(`${path}.name`, name));
    else names.add(name);
  }
  for (const m of isValidPortNum(Number(sp.port ?? 0))) errs.push(field.invalid(`${path}.port`, sp.port ?? 0, m));
  errs.push(...enumField(sp.protocol, `${path}.protocol`, PROTOCOLS));
  errs.push(...portNumOrName(sp.targetPort, `${path}.targetPort`));
  if (isSet(sp.appProtocol)) errs.push(...qualifiedName(asStr(sp.appProtocol), `${path}.appProtocol`));
  return errs;
}

/** ValidateService (the parts kubectl users hit). */
export function validateService(obj: KubeObject): FieldError[] {
  const spec = asObj(obj.spec);
  const errs: FieldError[] = [];
  const type = spec.type === undefined ? 'ClusterIP' : asStr(spec.type);
  const ports = asArr(spec.ports).map(asObj);
  const headless = isHeadless(spec);
  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push(field.required('spec.ports', ''));
  const ips = clusterIPsOf(spec);
  switch (type) {
    case 'LoadBalancer': if (headless) errs.push(field.invalid('spec.clusterIPs[0]', ips[0], "may not be set to 'None' for LoadBalancer services")); break;
    case 'NodePort': if (headless) errs.push(field.invalid('spec.clusterIPs[0]', ips[0], "may not be set to 'None' for NodePort services")); break;
    case 'ExternalName': {
      if (asArr(spec.clusterIPs).length > 0) errs.push(field.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
      if (asArr(spec.ipFamilies).length > 0) errs.push(field.forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
      if (isSet(spec.ipFamilyPolicy)) errs.push(field.forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
      const cname = asStr(spec.externalName).replace(/\.$/, '');
      if (cname) errs.push(...dns1123Subdomain(cname, 'spec.externalName'));
      else errs.push(field.required('spec.externalName', ''));
      break;
    }
    default: break;
  }
  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validateServicePort(p, ports.length > 1, names, `spec.ports[${i}]`)));
  if (isSet(spec.selector)) errs.push(...validateLabels(asObj(spec.selector) as Record<string, string>, 'spec.selector'));
  errs.push(...enumField(spec.sessionAffinity, 'spec.sessionAffinity', ['ClientIP', 'None']));
  if (spec.sessionAffinity === 'None' && isSet(spec.sessionAffinityConfig)) errs.push(field.forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  if (spec.sessionAffinity === 'ClientIP') {
    const t = asObj(asObj(asObj(spec.sessionAffinityConfig).clientIP)).timeoutSeconds;
    if (typeof t === 'number' && (t <= 0 || t > 86400)) errs.push(field.invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', t, 'must be greater than 0 and less than 86400'));
  }
  if (type !== 'ExternalName') {
    const ip = asStr(spec.clusterIP);
    if (ip && asArr(spec.clusterIPs).length > 0 && ip !== asStr(asArr(spec.clusterIPs)[0])) {
      errs.push(invalidGo('spec.clusterIPs', goStringSlice(asArr(spec.clusterIPs).map(asStr)), 'first value must match `clusterIP`'));
    }
    ips.forEach((x, i) => {
      if (x !== 'None' && x !== '' && isIP(x) === 0) errs.push(field.invalid(`spec.clusterIPs[${i}]`, x, IP_MSG));
    });
  }
  asArr(spec.externalIPs).forEach((x, i) => {
    if (isIP(asStr(x)) === 0) errs.push(field.invalid(`spec.externalIPs[${i}]`, x, IP_MSG));
  });
  errs.push(...enumField(spec.type, 'spec.type', SERVICE_TYPES));
  const nodePorts = new Set<string>();
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const np = p.nodePort;
    if (typeof np === 'number' && np !== 0) {
      if (type === 'ClusterIP') errs.push(field.forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
      else if (np < NODE_PORT_RANGE.base || np >= NODE_PORT_RANGE.base + NODE_PORT_RANGE.size) {
        errs.push(field.invalid(`spec.ports[${i}].nodePort`, np, `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.base}-${NODE_PORT_RANGE.base + NODE_PORT_RANGE.size - 1}`));
      }
      const key = `${asStr(p.protocol)}/${np}`;
      if (nodePorts.has(key)) errs.push(field.duplicate(`spec.ports[${i}].nodePort`, np));
      nodePorts.add(key);
    }
    const key = `${asStr(p.protocol)}/${Number(p.port ?? 0)}`;
    // Upstream prints the Go struct (core.ServicePort{…}); errors.ts renders values as JSON.
    if (seen.has(key)) errs.push(field.duplicate(`spec.ports[${i}]`, { protocol: asStr(p.protocol), port: Number(p.port ?? 0) }));
    seen.add(key);
  });
  if (type === 'ExternalName' || type === 'ClusterIP') {
    if (isSet(spec.externalTrafficPolicy)) errs.push(field.forbidden('spec.externalTrafficPolicy', 'may only be set for externally-accessible services'));
  } else if (isSet(spec.externalTrafficPolicy)) {
    errs.push(...enumField(spec.externalTrafficPolicy, 'spec.externalTrafficPolicy', ['Cluster', 'Local']));
  }
  return errs;
}

/**
 * normalizeClusterIPs (pkg/registry/core/service/strategy.go): a changed clusterIP with unchanged
 * clusterIPs replaces clusterIPs. Returns a normalised copy of the new spec.
 */
function normalizeClusterIPs(spec: Obj, oldSpec: Obj): Obj {
  const out = { ...spec };
  const same = JSON.stringify(asArr(spec.clusterIPs).map(asStr)) === JSON.stringify(asArr(oldSpec.clusterIPs).map(asStr));
  if (isSet(spec.clusterIP) && asStr(spec.clusterIP) !== asStr(oldSpec.clusterIP) && same) {
    out.clusterIPs = asStr(spec.clusterIP) ? [asStr(spec.clusterIP)] : [];
  }
  return out;
}

/** ValidateServiceUpdate: the primary cluster IP may not change (except to/from ExternalName). */
export function validateServiceUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const oldSpec = asObj(old.spec);
  const spec = normalizeClusterIPs(asObj(obj.spec), oldSpec);
  const errs = validateService({ ...obj, spec });
  if (spec.type === 'ExternalName' || oldSpec.type === 'ExternalName') return errs;
  // An update that omits clusterIP/clusterIPs keeps the allocated ones (the REST layer copies them).
  if (!isSet(spec.clusterIP) && !isSet(spec.clusterIPs)) return errs;
  const oldIPs = clusterIPsOf(oldSpec);
  const newIPs = clusterIPsOf(spec);
  if (oldIPs.length === 1 && oldIPs[0] === 'None' && newIPs.length === 1 && newIPs[0] === 'None') return errs;
  if (oldIPs.length === newIPs.length) {
    oldIPs.forEach((ip, i) => {
      if (ip !== newIPs[i]) errs.push(invalidGo(`spec.clusterIPs[${i}]`, goStringSlice(newIPs), 'may not change once set'));
    });
  } else if (oldIPs.length > newIPs.length) {
    if (newIPs.length === 0) errs.push(invalidGo('spec.clusterIPs[0]', '[]string{}', 'primary clusterIP can not be unset'));
    else if (newIPs[0] !== oldIPs[0]) errs.push(invalidGo('spec.clusterIPs[0]', goStringSlice(newIPs), 'may not change once set'));
  } else if (oldIPs.length > 0 && newIPs[0] !== oldIPs[0]) {
    errs.push(invalidGo('spec.clusterIPs[0]', goStringSlice(newIPs), 'may not change once set'));
  }
  return errs;
}
