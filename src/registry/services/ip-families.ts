/**
 * initIPFamilyFields (pkg/registry/core/service/storage/alloc.go) for a single-stack IPv4
 * cluster, which every EKS cluster with ipFamily ipv4 is: ipFamilyPolicy defaults to SingleStack
 * (RequireDualStack for headless selector-less services, whose families then read
 * [IPv4, IPv6] as upstream does), ipFamilies to [IPv4]; asking for IPv6 or for dual-stack is
 * refused with upstream's messages.
 */
import type { KubeObject } from '../../api/types.js';
import { field, invalid, type FieldError } from '../../apimachinery/errors.js';
import { goStringSlice } from '../../apimachinery/validation/objectmeta.js';
import { clusterIPs, needsClusterIP, specOf } from './service-fields.js';

const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const familyOf = (ip: string): string => (ip.includes(':') ? 'IPv6' : 'IPv4');

export function initIPFamilyFields(svc: KubeObject, old: KubeObject | null): void {
  if (!needsClusterIP(svc)) return;
  const s = specOf(svc);
  const selectorless = Object.keys((s.selector as Record<string, string> | undefined) ?? {}).length === 0;
  const headlessSelectorless = s.clusterIP === 'None' && selectorless;
  if (s.ipFamilyPolicy === undefined || s.ipFamilyPolicy === null) {
    const oldPolicy = old ? specOf(old).ipFamilyPolicy : undefined;
    s.ipFamilyPolicy = typeof oldPolicy === 'string' ? oldPolicy : headlessSelectorless ? 'RequireDualStack' : 'SingleStack';
  }
  const errs: FieldError[] = [];
  const ips = clusterIPs(svc);
  const families = strs(s.ipFamilies);
  if (s.ipFamilyPolicy === 'SingleStack') {
    if (ips.length === 2) errs.push(field.invalid('spec.ipFamilyPolicy', s.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
    if (families.length === 2) errs.push(field.invalid('spec.ipFamilyPolicy', s.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
  }
  for (let i = 0; i < ips.length && ips[i] !== 'None'; i++) {
    if (i < families.length) continue;
    const fam = familyOf(ips[i]);
    if (fam !== 'IPv4') errs.push({ type: 'FieldValueInvalid', field: `spec.clusterIPs[${i}]`, detail: `${goStringSlice(ips)}: ${fam} is not configured on this cluster` });
    else families.push(fam);
  }
  if (errs.length) throw invalid({ group: '', kind: 'Service' }, svc.metadata.name ?? '', errs);
  if (headlessSelectorless) {
    if (families.length === 0) families.push('IPv4');
    if (families.length < 2 && s.ipFamilyPolicy !== 'SingleStack') families.push(families[0] === 'IPv4' ? 'IPv6' : 'IPv4');
    s.ipFamilies = families;
    return;
  }
  if (s.ipFamilyPolicy === 'RequireDualStack') errs.push(field.invalid('spec.ipFamilyPolicy', s.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'));
  families.forEach((f, i) => { if (f !== 'IPv4') errs.push(field.invalid(`spec.ipFamilies[${i}]`, f, 'not configured on this cluster')); });
  if (errs.length) throw invalid({ group: '', kind: 'Service' }, svc.metadata.name ?? '', errs);
  s.ipFamilies = families.length ? families : ['IPv4'];
}
