// Upstream-shaped rules of pod security contexts, scheduling, ephemeral containers, EndpointSlices,
// NetworkPolicies and webhook configurations: each test pins the field path and message that
// kube-apiserver 1.32 reports (pkg/apis/core, discovery, networking, admissionregistration validation).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { invalid } from '../../apimachinery/errors.js';
import { validatorsFor } from './index.js';

function msg(group: string, resource: string, kind: string, obj: KubeObject, old?: KubeObject): string {
  const v = validatorsFor(group, resource);
  const errs = old ? v.validateUpdate!(obj, old) : v.validate!(obj);
  return errs.length ? invalid({ group, kind }, obj.metadata.name ?? '', errs).message : '';
}
const pod = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec });
const c = (over: Record<string, unknown> = {}) => ({ name: 'app', image: 'nginx', ...over });
const podMsg = (spec: Record<string, unknown>): string => msg('', 'pods', 'Pod', pod({ containers: [c()], ...spec }));

test('pod and container security contexts', () => {
  assert.equal(podMsg({ securityContext: { runAsUser: -1 } }),
    'Pod "p" is invalid: spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive');
  assert.equal(msg('', 'pods', 'Pod', pod({ containers: [c({ securityContext: { runAsGroup: 2147483648 } })] })),
    'Pod "p" is invalid: spec.containers[0].securityContext.runAsGroup: Invalid value: 2147483648: must be between 0 and 2147483647, inclusive');
  assert.equal(msg('', 'pods', 'Pod', pod({ containers: [c({ securityContext: { procMount: 'Unmasked' } })] })),
    'Pod "p" is invalid: spec.containers[0].securityContext.procMount: Invalid value: "Unmasked": `hostUsers` must be false to use `Unmasked`');
  assert.equal(podMsg({ securityContext: { seccompProfile: { type: 'Bogus' } } }),
    'Pod "p" is invalid: spec.securityContext.seccompProfile.type: Unsupported value: "Bogus": supported values: "Localhost", "RuntimeDefault", "Unconfined"');
  assert.equal(podMsg({ hostPID: true, shareProcessNamespace: true }),
    'Pod "p" is invalid: spec.securityContext.shareProcessNamespace: Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled');
  assert.equal(podMsg({ securityContext: { runAsUser: 1000, fsGroup: 2000 } }), '');
});

test('pod OS and hostUsers rules', () => {
  assert.equal(podMsg({ os: { name: 'windows' }, hostPID: true }),
    'Pod "p" is invalid: spec.hostPID: Forbidden: cannot be set for a windows pod');
  assert.equal(podMsg({ hostUsers: false, hostNetwork: true }),
    'Pod "p" is invalid: spec.hostNetwork: Forbidden: when `pod.Spec.HostUsers` is false');
});

test('affinity, topology spread, DNS config', () => {
  assert.equal(podMsg({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } }),
    'Pod "p" is invalid: spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term');
  assert.equal(podMsg({ topologySpreadConstraints: [{ maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }] }),
    'Pod "p" is invalid: spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero');
  assert.equal(podMsg({ topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'Sometimes' }] }),
    'Pod "p" is invalid: spec.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: "Sometimes": supported values: "DoNotSchedule", "ScheduleAnyway"');
  assert.equal(podMsg({ dnsPolicy: 'None' }),
    'Pod "p" is invalid: spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None');
});

test('ephemeral containers and scheduling gates on create', () => {
  assert.equal(podMsg({ ephemeralContainers: [{ name: 'dbg', image: 'busybox' }] }),
    'Pod "p" is invalid: spec.ephemeralContainers: Forbidden: cannot be set on create');
  assert.equal(podMsg({ nodeName: 'n1', schedulingGates: [{ name: 'g' }] }),
    'Pod "p" is invalid: spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared');
});

const slice = (name: string, addresses: string[], labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name, namespace: 'default', labels },
  addressType: 'IPv4', endpoints: [{ addresses }], ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
} as unknown as KubeObject);

test('EndpointSlice addresses: the family check and ValidateNonSpecialIP both; the apiserver slice may be loopback', () => {
  const es = (o: KubeObject) => msg('discovery.k8s.io', 'endpointslices', 'EndpointSlice', o);
  assert.equal(es(slice('s', ['10.0.0.1'])), '');
  assert.equal(es(slice('s', ['127.0.0.1'])),
    'EndpointSlice.discovery.k8s.io "s" is invalid: endpoints[0].addresses[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)');
  assert.equal(es(slice('s', ['fe80::1'])),
    'EndpointSlice.discovery.k8s.io "s" is invalid: [endpoints[0].addresses[0]: Invalid value: "fe80::1": must be a valid IPv4 address, '
    + 'endpoints[0].addresses[0]: Invalid value: "fe80::1": may not be in the link-local range (169.254.0.0/16, fe80::/10)]');
  assert.equal(es(slice('kubernetes', ['127.0.0.1'], { 'kubernetes.io/service-name': 'kubernetes' })), '');
  assert.equal(es(slice('s', [])), 'EndpointSlice.discovery.k8s.io "s" is invalid: endpoints[0].addresses: Required value: must contain at least 1 address');
});

test('NetworkPolicy ports and ipBlock', () => {
  const np = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np', namespace: 'default' }, spec } as unknown as KubeObject);
  const m = (spec: Record<string, unknown>) => msg('networking.k8s.io', 'networkpolicies', 'NetworkPolicy', np(spec));
  // The value reported for a too-small endPort is the port, as upstream's field.Invalid(…, port.Port.IntVal, …).
  assert.equal(m({ podSelector: {}, ingress: [{ ports: [{ port: 90, endPort: 80 }] }] }),
    'NetworkPolicy.networking.k8s.io "np" is invalid: spec.ingress[0].ports[0].endPort: Invalid value: 90: must be greater than or equal to `port`');
  assert.equal(m({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }] }), '');
  assert.equal(m({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: 'nope' } }] }] }),
    'NetworkPolicy.networking.k8s.io "np" is invalid: spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "nope": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)');
  assert.equal(m({ podSelector: {}, ingress: [{ ports: [{ protocol: 'HTTP', port: 80 }] }] }),
    'NetworkPolicy.networking.k8s.io "np" is invalid: spec.ingress[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "TCP", "UDP", "SCTP"');
  assert.equal(m({ podSelector: {}, policyTypes: ['Sideways'] }),
    'NetworkPolicy.networking.k8s.io "np" is invalid: spec.policyTypes[0]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"');
});

test('ValidatingWebhookConfiguration webhooks', () => {
  const good = { name: 'a.example.com', clientConfig: { url: 'https://example.com/hook' }, sideEffects: 'None', admissionReviewVersions: ['v1'] };
  const vwc = (webhooks: unknown[]): KubeObject => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'w' }, webhooks } as unknown as KubeObject);
  const m = (w: unknown[]) => msg('admissionregistration.k8s.io', 'validatingwebhookconfigurations', 'ValidatingWebhookConfiguration', vwc(w));
  assert.equal(m([good]), '');
  assert.equal(m([{ ...good, sideEffects: undefined }]),
    'ValidatingWebhookConfiguration.admissionregistration.k8s.io "w" is invalid: webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun');
  assert.equal(m([good, good]),
    'ValidatingWebhookConfiguration.admissionregistration.k8s.io "w" is invalid: webhooks[1].name: Duplicate value: "a.example.com"');
  assert.match(m([{ ...good, name: 'nodots' }]), /webhooks\[0\]\.name: Invalid value: "nodots": should be a domain with at least three segments separated by dots/);
});

test('ephemeral container fields and host port conflicts (ValidatePodSpec)', async () => {
  const { validatePodSpec } = await import('./pod.js');
  const errs = (spec: Record<string, unknown>) => validatePodSpec(spec, 'spec').map((e) => `${e.field}: ${e.type}: ${e.detail ?? ""}`);
  assert.deepEqual(errs({ containers: [c()], ephemeralContainers: [{ name: 'dbg', image: 'busybox', ports: [{ containerPort: 80 }] }] }),
    ['spec.ephemeralContainers[0].ports: FieldValueForbidden: cannot be set for an Ephemeral Container']);
  assert.deepEqual(errs({ containers: [c()], ephemeralContainers: [{ name: 'dbg', image: 'busybox', targetContainerName: 'nope' }] }),
    ['spec.ephemeralContainers[0].targetContainerName: FieldValueNotFound: ']);
  assert.deepEqual(errs({ containers: [c({ ports: [{ containerPort: 80, hostPort: 8080 }] }), c({ name: 'b', ports: [{ containerPort: 81, hostPort: 8080 }] })] }),
    ['spec.containers[1].ports[0].hostPort: FieldValueDuplicate: ']);
});
