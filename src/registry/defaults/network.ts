/**
 * networking.k8s.io/v1 (pkg/apis/networking/v1/defaults.go) and discovery.k8s.io/v1
 * (pkg/apis/discovery/v1/defaults.go) defaults. Ingress has none (pathType is required in v1).
 */
import { defaultNil, isEmptyCollection, itemsOf, objOf, struct, type Obj } from './util.js';

/** SetDefaults_NetworkPolicy (policyTypes) and SetDefaults_NetworkPolicyPort (protocol TCP) on ingress and egress rules. */
export function defaultNetworkPolicy(np: Obj): void {
  const spec = struct(np, 'spec');
  if (isEmptyCollection(spec.policyTypes)) {
    spec.policyTypes = isEmptyCollection(spec.egress) ? ['Ingress'] : ['Ingress', 'Egress'];
  }
  for (const rule of [...itemsOf(spec.ingress), ...itemsOf(spec.egress)]) {
    for (const port of itemsOf(rule.ports)) defaultNil(port, 'protocol', 'TCP');
  }
}

/** SetDefaults_IngressClass: parameters.scope Cluster when parameters are given. */
export function defaultIngressClass(ic: Obj): void {
  const params = objOf(objOf(ic.spec)?.parameters);
  if (params) defaultNil(params, 'scope', 'Cluster');
}

/** SetDefaults_EndpointPort: name "" and protocol TCP. */
export function defaultEndpointSlice(es: Obj): void {
  for (const port of itemsOf(es.ports)) {
    defaultNil(port, 'name', '');
    defaultNil(port, 'protocol', 'TCP');
  }
}
