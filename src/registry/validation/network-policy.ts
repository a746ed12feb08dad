/**
 * NetworkPolicy validation, as pkg/apis/networking/validation/validation.go (1.32):
 * ValidateNetworkPolicySpec (podSelector, ingress/egress ports and peers, policyTypes),
 * ValidateNetworkPolicyPort, ValidateNetworkPolicyPeer and ValidateIPBlock. On update, CIDRs
 * already present in the old object are not revalidated (ValidateNetworkPolicyUpdate).
 */
import type { KubeObject } from '../../api/types.js';
import { field, type FieldError } from '../../apimachinery/errors.js';
import { validateLabelSelector } from '../../apimachinery/validation/objectmeta.js';
import { asArr, asObj, asStr, goQuote, invalidGo, isSet, isValidPortName, isValidPortNum, type Obj } from './helpers.js';
import { cidrContains, isValidCIDR, parseCIDRSloppy } from './net.js';

type Sel = Parameters<typeof validateLabelSelector>[0];
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

function validatePort(port: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (isSet(port.protocol) && !PROTOCOLS.includes(asStr(port.protocol))) errs.push(field.notSupported(`${path}.protocol`, asStr(port.protocol), PROTOCOLS));
  const p = port.port;
  const end = port.endPort;
  if (typeof p === 'number') {
    for (const m of isValidPortNum(p)) errs.push(field.invalid(`${path}.port`, p, m));
    if (typeof end === 'number') {
      if (end < p) errs.push(field.invalid(`${path}.endPort`, p, 'must be greater than or equal to `port`'));
      for (const m of isValidPortNum(end)) errs.push(field.invalid(`${path}.endPort`, end, m));
    }
  } else if (typeof p === 'string') {
    if (typeof end === 'number') errs.push(field.invalid(`${path}.endPort`, end, 'may not be specified when `port` is non-numeric'));
    for (const m of isValidPortName(p)) errs.push(field.invalid(`${path}.port`, p, m));
  } else if (typeof end === 'number') {
    errs.push(field.invalid(`${path}.endPort`, end, 'may not be specified when `port` is not specified'));
  }
  return errs;
}

function cidrErrors(value: string, path: string, allowed: Set<string>): FieldError[] {
  return allowed.has(value) ? [] : isValidCIDR(path, value);
}

function validateIPBlock(ipb: Obj, path: string, allowed: Set<string>): FieldError[] {
  const cidr = asStr(ipb.cidr);
  if (!cidr) return [field.required(`${path}.cidr`, '')];
  const errs = cidrErrors(cidr, `${path}.cidr`, allowed);
  const outer = parseCIDRSloppy(cidr);
  if (!outer) return errs;
  asArr(ipb.except).map(asStr).forEach((ex, i) => {
    const p = `${path}.except[${i}]`;
    errs.push(...cidrErrors(ex, p, allowed));
    const inner = parseCIDRSloppy(ex);
    if (!inner) return;
    if (!cidrContains(outer, inner) || outer.prefix >= inner.prefix) errs.push(field.invalid(p, ex, 'must be a strict subset of `cidr`'));
  });
  return errs;
}

function validatePeer(peer: Obj, path: string, allowed: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  if (isSet(peer.podSelector)) { n++; errs.push(...validateLabelSelector(peer.podSelector as Sel, `${path}.podSelector`)); }
  if (isSet(peer.namespaceSelector)) { n++; errs.push(...validateLabelSelector(peer.namespaceSelector as Sel, `${path}.namespaceSelector`)); }
  if (isSet(peer.ipBlock)) { n++; errs.push(...validateIPBlock(asObj(peer.ipBlock), `${path}.ipBlock`, allowed)); }
  if (n === 0) errs.push(field.required(path, 'must specify a peer'));
  else if (n > 1 && isSet(peer.ipBlock)) errs.push(field.forbidden(path, 'may not specify both ipBlock and another peer'));
  return errs;
}

function validateSpec(specIn: unknown, allowed: Set<string>): FieldError[] {
  const spec = asObj(specIn);
  const errs: FieldError[] = [...validateLabelSelector((spec.podSelector ?? {}) as Sel, 'spec.podSelector')];
  for (const [dir, peers] of [['ingress', 'from'], ['egress', 'to']] as const) {
    asArr(spec[dir]).forEach((r, i) => {
      const rule = asObj(r);
      const rp = `spec.${dir}[${i}]`;
      asArr(rule.ports).forEach((pt, j) => errs.push(...validatePort(asObj(pt), `${rp}.ports[${j}]`)));
      asArr(rule[peers]).forEach((pe, j) => errs.push(...validatePeer(asObj(pe), `${rp}.${peers}[${j}]`, allowed)));
    });
  }
  const types = asArr(spec.policyTypes).map(asStr);
  if (types.length > 2) {
    errs.push(invalidGo('spec.policyTypes', `[]networking.PolicyType{${types.map(goQuote).join(', ')}}`, 'may not specify more than two policyTypes'));
    return errs;
  }
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') errs.push(field.notSupported(`spec.policyTypes[${i}]`, t, ['Ingress', 'Egress']));
  });
  return errs;
}

/** Every CIDR (and except) of an existing policy, accepted unchanged on update. */
function existingCIDRs(old: KubeObject): Set<string> {
  const out = new Set<string>();
  const spec = asObj(old.spec);
  for (const [dir, peers] of [['ingress', 'from'], ['egress', 'to']] as const) {
    for (const r of asArr(spec[dir])) {
      for (const pe of asArr(asObj(r)[peers])) {
        const ipb = asObj(asObj(pe).ipBlock);
        if (!isSet(asObj(pe).ipBlock)) continue;
        out.add(asStr(ipb.cidr));
        for (const e of asArr(ipb.except)) out.add(asStr(e));
      }
    }
  }
  return out;
}

export function validateNetworkPolicy(obj: KubeObject): FieldError[] {
  return validateSpec(obj.spec, new Set());
}

export function validateNetworkPolicyUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return validateSpec(obj.spec, existingCIDRs(old));
}
