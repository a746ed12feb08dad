import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import type { TablePrinter } from './types.js';
import { ingressClassPrinter, ingressPrinter, ipAddressPrinter, networkPolicyPrinter } from './networking.js';
import { clusterRoleBindingPrinter, roleBindingPrinter } from './rbac.js';
import { csiDriverPrinter, csiNodePrinter, storageClassPrinter, volumeAttachmentPrinter } from './storage.js';
import {
  apiServicePrinter, certificateSigningRequestPrinter, endpointSlicePrinter, leasePrinter, podDisruptionBudgetPrinter,
  priorityClassPrinter, runtimeClassPrinter,
} from './misc.js';
import {
  mutatingWebhookConfigurationPrinter, validatingAdmissionPolicyBindingPrinter, validatingAdmissionPolicyPrinter,
} from './admission.js';
import { flowSchemaPrinter, priorityLevelConfigurationPrinter } from './flowcontrol.js';
import { resourceClaimPrinter } from './resource.js';

const ctx = { now: new Date('2024-06-01T12:00:00Z') };
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, creationTimestamp: '2024-05-01T12:00:00Z', ...extra });
const row = (p: TablePrinter, o: Record<string, unknown>) => p.cells(o as KubeObject, ctx);
const names = (p: TablePrinter) => p.columns.map((c) => `${c.name}:${c.type}${c.priority ? '*' : ''}`);

test('ingresses and ingress classes', () => {
  assert.deepEqual(names(ingressPrinter), ['Name:string', 'Class:string', 'Hosts:string', 'Address:string', 'Ports:string', 'Age:string']);
  const host = 'k8s-default-web-0123456789.us-west-2.elb.amazonaws.com';
  const ing = { metadata: meta('web'), spec: { ingressClassName: 'alb', rules: [{ host: 'a.example.com' }, { host: 'b.example.com' }, {}, { host: 'c.example.com' }, { host: 'd.example.com' }], tls: [{ hosts: ['a.example.com'] }] },
    status: { loadBalancer: { ingress: [{ hostname: host }] } } };
  assert.deepEqual(row(ingressPrinter, ing), ['web', 'alb', 'a.example.com,b.example.com,c.example.com + 2 more...', host, '80, 443', '31d']);
  assert.deepEqual(row(ingressPrinter, { metadata: meta('bare'), spec: { defaultBackend: {} } }), ['bare', '<none>', '*', '', '80', '31d']);
  const ic = { metadata: meta('alb'), spec: { controller: 'ingress.k8s.aws/alb', parameters: { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name: 'alb' } } };
  assert.deepEqual(row(ingressClassPrinter, ic), ['alb', 'ingress.k8s.aws/alb', 'IngressClassParams.elbv2.k8s.aws/alb', '31d']);
  assert.deepEqual(row(networkPolicyPrinter, { metadata: meta('deny'), spec: { podSelector: {} } }), ['deny', '<none>', '31d']);
  assert.deepEqual(row(ipAddressPrinter, { metadata: meta('10.96.0.10'), spec: { parentRef: { group: '', resource: 'services', namespace: 'kube-system', name: 'kube-dns' } } }), ['10.96.0.10', 'services/kube-system/kube-dns', '31d']);
});

test('role bindings with subjects in wide columns', () => {
  assert.deepEqual(names(roleBindingPrinter), ['Name:string', 'Role:string', 'Age:string', 'Users:string*', 'Groups:string*', 'ServiceAccounts:string*']);
  assert.equal(clusterRoleBindingPrinter.columns[3].description, 'Users in the clusterRoleBinding');
  const rb = { metadata: meta('edit'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
    subjects: [{ kind: 'User', name: 'alice' }, { kind: 'User', name: 'bob' }, { kind: 'Group', name: 'devs' }, { kind: 'ServiceAccount', name: 'ci', namespace: 'tools' }] };
  assert.deepEqual(row(roleBindingPrinter, rb), ['edit', 'ClusterRole/edit', '31d', 'alice, bob', 'devs', 'tools/ci']);
});

test('storage classes, csi drivers and nodes, volume attachments', () => {
  assert.deepEqual(names(storageClassPrinter), ['Name:string', 'Provisioner:string', 'ReclaimPolicy:string', 'VolumeBindingMode:string', 'AllowVolumeExpansion:string', 'Age:string']);
  const gp2 = { metadata: meta('gp2', { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }), provisioner: 'kubernetes.io/aws-ebs', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer' };
  assert.deepEqual(row(storageClassPrinter, gp2), ['gp2 (default)', 'kubernetes.io/aws-ebs', 'Delete', 'WaitForFirstConsumer', false, '31d']);
  const gp3 = { metadata: meta('gp3'), provisioner: 'ebs.csi.aws.com', allowVolumeExpansion: true, reclaimPolicy: 'Retain' };
  assert.deepEqual(row(storageClassPrinter, gp3), ['gp3', 'ebs.csi.aws.com', 'Retain', 'Immediate', true, '31d']);
  assert.deepEqual(names(csiDriverPrinter), ['Name:string', 'AttachRequired:boolean', 'PodInfoOnMount:boolean', 'StorageCapacity:boolean', 'TokenRequests:string', 'RequiresRepublish:boolean', 'Modes:string', 'Age:string']);
  const drv = { metadata: meta('ebs.csi.aws.com'), spec: { attachRequired: true, podInfoOnMount: false, volumeLifecycleModes: ['Persistent'] } };
  assert.deepEqual(row(csiDriverPrinter, drv), ['ebs.csi.aws.com', true, false, false, '<unset>', false, 'Persistent', '31d']);
  assert.deepEqual(row(csiNodePrinter, { metadata: meta('n1'), spec: { drivers: [{ name: 'ebs.csi.aws.com' }] } }), ['n1', 1, '31d']);
  assert.equal(volumeAttachmentPrinter.columns[1].format, 'name');
  const va = { metadata: meta('csi-abc'), spec: { attacher: 'ebs.csi.aws.com', nodeName: 'n1', source: { persistentVolumeName: 'pvc-1' } }, status: { attached: true } };
  assert.deepEqual(row(volumeAttachmentPrinter, va), ['csi-abc', 'ebs.csi.aws.com', 'pvc-1', 'n1', true, '31d']);
});

test('leases, endpoint slices, pdbs, priority classes, runtime classes, csrs, apiservices', () => {
  assert.deepEqual(row(leasePrinter, { metadata: meta('kube-scheduler'), spec: { holderIdentity: 'ip-10-0-0-1_5f3c' } }), ['kube-scheduler', 'ip-10-0-0-1_5f3c', '31d']);
  assert.equal(row(leasePrinter, { metadata: meta('free'), spec: {} })[1], '');
  const es = { metadata: meta('web-abc12'), addressType: 'IPv4', ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'metrics' }],
    endpoints: [{ addresses: ['10.0.1.5'] }, { addresses: ['10.0.1.6'] }, { addresses: ['10.0.1.7'] }, { addresses: ['10.0.1.8'] }] };
  assert.deepEqual(row(endpointSlicePrinter, es), ['web-abc12', 'IPv4', '80,metrics', '10.0.1.5,10.0.1.6,10.0.1.7 + 1 more...', '31d']);
  assert.deepEqual(row(endpointSlicePrinter, { metadata: meta('empty'), addressType: 'IPv4', ports: null, endpoints: [] }).slice(2, 4), ['<unset>', '<unset>']);
  assert.deepEqual(row(podDisruptionBudgetPrinter, { metadata: meta('pdb'), spec: { minAvailable: '50%' }, status: { disruptionsAllowed: 1 } }), ['pdb', '50%', 'N/A', 1, '31d']);
  assert.deepEqual(names(priorityClassPrinter), ['Name:string', 'Value:integer', 'Global-Default:boolean', 'Age:string', 'PreemptionPolicy:string']);
  assert.deepEqual(row(priorityClassPrinter, { metadata: meta('system-node-critical'), value: 2000001000, preemptionPolicy: 'PreemptLowerPriority' }), ['system-node-critical', 2000001000, false, '31d', 'PreemptLowerPriority']);
  assert.deepEqual(row(runtimeClassPrinter, { metadata: meta('gvisor'), handler: 'runsc' }), ['gvisor', 'runsc', '31d']);
  assert.deepEqual(names(certificateSigningRequestPrinter), ['Name:string', 'Age:string', 'SignerName:string', 'Requestor:string', 'RequestedDuration:string', 'Condition:string']);
  const csr = { metadata: meta('csr-x'), spec: { signerName: 'kubernetes.io/kube-apiserver-client-kubelet', username: 'system:node:n1', expirationSeconds: 86400 },
    status: { conditions: [{ type: 'Approved', status: 'True' }], certificate: 'LS0t' } };
  assert.deepEqual(row(certificateSigningRequestPrinter, csr), ['csr-x', '31d', 'kubernetes.io/kube-apiserver-client-kubelet', 'system:node:n1', '24h', 'Approved,Issued']);
  assert.equal(row(certificateSigningRequestPrinter, { metadata: meta('p'), spec: {} })[5], 'Pending');
  const local = { metadata: meta('v1.apps'), spec: { service: null }, status: { conditions: [{ type: 'Available', status: 'True', reason: 'Local' }] } };
  assert.deepEqual(row(apiServicePrinter, local), ['v1.apps', 'Local', 'True', '31d']);
  const broken = { metadata: meta('v1beta1.metrics.k8s.io'), spec: { service: { namespace: 'kube-system', name: 'metrics-server' } }, status: { conditions: [{ type: 'Available', status: 'False', reason: 'MissingEndpoints' }] } };
  assert.deepEqual(row(apiServicePrinter, broken).slice(1, 3), ['kube-system/metrics-server', 'False (MissingEndpoints)']);
});

test('admission, flowcontrol and DRA printers', () => {
  assert.deepEqual(row(mutatingWebhookConfigurationPrinter, { metadata: meta('aws-lbc'), webhooks: [{ name: 'a' }, { name: 'b' }] }), ['aws-lbc', 2, '31d']);
  const vap = { metadata: meta('p'), spec: { paramKind: { apiVersion: 'v1', kind: 'ConfigMap' }, validations: [{ expression: 'true' }] } };
  assert.deepEqual(row(validatingAdmissionPolicyPrinter, vap), ['p', 1, 'v1/ConfigMap', '31d']);
  const vapb = (paramRef: unknown) => row(validatingAdmissionPolicyBindingPrinter, { metadata: meta('b'), spec: { policyName: 'p', paramRef } })[2];
  assert.equal(vapb({ name: 'limits' }), '*/limits');
  assert.equal(vapb({ name: 'limits', namespace: 'ns' }), 'ns/limits');
  assert.equal(vapb({ selector: { matchLabels: { b: '2', a: '1' }, matchExpressions: [{ key: 'k', operator: 'In', values: ['x', 'y'] }] } }),
    '&LabelSelector{MatchLabels:map[string]string{a: 1,b: 2,},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:k,Operator:In,Values:[x y],},},}');
  assert.equal(vapb(undefined), '<unset>');
  const fs = (name: string, p: number) => ({ metadata: meta(name), spec: { priorityLevelConfiguration: { name: 'workload-low' }, matchingPrecedence: p, distinguisherMethod: { type: 'ByUser' } }, status: { conditions: [{ type: 'Dangling', status: 'False' }] } });
  assert.deepEqual(row(flowSchemaPrinter, fs('service-accounts', 9000)), ['service-accounts', 'workload-low', 9000, 'ByUser', '31d', 'False']);
  const sorted = [fs('b', 9000), fs('a', 9000), fs('exempt', 1)].map((o) => o as unknown as KubeObject).sort(flowSchemaPrinter.compare);
  assert.deepEqual(sorted.map((o) => o.metadata.name), ['exempt', 'a', 'b']);
  const plc = { metadata: meta('global-default'), spec: { type: 'Limited', limited: { nominalConcurrencyShares: 20, limitResponse: { type: 'Queue', queuing: { queues: 128, handSize: 6, queueLengthLimit: 50 } } } } };
  assert.deepEqual(row(priorityLevelConfigurationPrinter, plc), ['global-default', 'Limited', 20, 128, 6, 50, '31d']);
  assert.deepEqual(row(priorityLevelConfigurationPrinter, { metadata: meta('exempt'), spec: { type: 'Exempt' } }).slice(2, 6), ['<none>', '<none>', '<none>', '<none>']);
  assert.equal(row(resourceClaimPrinter, { metadata: meta('c'), status: { allocation: {}, reservedFor: [{}] } })[1], 'allocated,reserved');
  assert.equal(row(resourceClaimPrinter, { metadata: meta('c', { deletionTimestamp: '2024-06-01T00:00:00Z' }) })[1], 'deleted');
});
