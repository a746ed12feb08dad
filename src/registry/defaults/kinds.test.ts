/** Defaults of the non-workload kinds (one test per upstream defaults.go function group). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { applyDefaults, DEFAULTED_KINDS } from './index.js';

function defaulted(apiVersion: string, kind: string, body: Record<string, unknown>, name = 'x'): KubeObject {
  const out: KubeObject = { apiVersion, kind, metadata: { name }, ...structuredClone(body) };
  applyDefaults(out);
  const twice = structuredClone(out);
  applyDefaults(twice);
  assert.deepEqual(twice, out, 'defaulting twice must give the same object');
  return out;
}

test('Secret: type Opaque unless given', () => {
  assert.equal(defaulted('v1', 'Secret', { data: {} }).type, 'Opaque');
  assert.equal(defaulted('v1', 'Secret', { type: 'kubernetes.io/tls' }).type, 'kubernetes.io/tls');
});

test('PersistentVolume and PersistentVolumeClaim', () => {
  const pv = defaulted('v1', 'PersistentVolume', { spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data' } } });
  assert.deepEqual(pv.spec, { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data', type: '' }, persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem' });
  assert.deepEqual(pv.status, { phase: 'Pending' });
  const pvc = defaulted('v1', 'PersistentVolumeClaim', { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'gp2' } });
  assert.deepEqual(pvc.spec, { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'gp2', volumeMode: 'Filesystem' });
  assert.deepEqual(pvc.status, { phase: 'Pending' });
  const block = defaulted('v1', 'PersistentVolumeClaim', { spec: { volumeMode: 'Block' }, status: { phase: 'Bound' } });
  assert.equal((block.spec as any).volumeMode, 'Block');
  assert.deepEqual(block.status, { phase: 'Bound' });
});

test('Endpoints: subset ports default to TCP', () => {
  const ep = defaulted('v1', 'Endpoints', { subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }, { port: 53, protocol: 'UDP' }] }] });
  assert.deepEqual((ep.subsets as any)[0].ports, [{ port: 80, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }]);
});

test('Namespace: metadata.name label and phase Active', () => {
  const ns = defaulted('v1', 'Namespace', {}, 'team-a');
  assert.deepEqual(ns.metadata.labels, { 'kubernetes.io/metadata.name': 'team-a' });
  assert.deepEqual(ns.status, { phase: 'Active' });
  const unnamed: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { generateName: 'ns-' } };
  applyDefaults(unnamed);
  assert.equal(unnamed.metadata.labels, undefined);
});

test('Node: allocatable copies capacity', () => {
  const node = defaulted('v1', 'Node', { status: { capacity: { cpu: '2', memory: '4Gi' } } });
  assert.deepEqual(node.status, { capacity: { cpu: '2', memory: '4Gi' }, allocatable: { cpu: '2', memory: '4Gi' } });
  const given = defaulted('v1', 'Node', { status: { capacity: { cpu: '2' }, allocatable: { cpu: '1' } } });
  assert.deepEqual((given.status as any).allocatable, { cpu: '1' });
});

test('LimitRange: container default from max, defaultRequest from default then min', () => {
  const lr = defaulted('v1', 'LimitRange', { spec: { limits: [
    { type: 'Container', max: { cpu: '2', memory: '1Gi' }, min: { cpu: '100m', 'ephemeral-storage': '1Gi' }, default: { memory: '512Mi' } },
    { type: 'Pod', max: { cpu: '4' } },
  ] } });
  assert.deepEqual((lr.spec as any).limits, [
    {
      type: 'Container', max: { cpu: '2', memory: '1Gi' }, min: { cpu: '100m', 'ephemeral-storage': '1Gi' },
      default: { memory: '512Mi', cpu: '2' },
      defaultRequest: { memory: '512Mi', cpu: '2', 'ephemeral-storage': '1Gi' },
    },
    { type: 'Pod', max: { cpu: '4' } },
  ]);
  const empty = defaulted('v1', 'LimitRange', { spec: { limits: [{ type: 'Container' }] } });
  assert.deepEqual((empty.spec as any).limits, [{ type: 'Container' }]);
});

test('HorizontalPodAutoscaler v2: minReplicas, CPU 80% metric, behavior rules', () => {
  const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
  const hpa = defaulted('autoscaling/v2', 'HorizontalPodAutoscaler', { spec: { scaleTargetRef: ref, maxReplicas: 5 } });
  assert.deepEqual(hpa.spec, {
    scaleTargetRef: ref, maxReplicas: 5, minReplicas: 1,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
  });
  const withBehavior = defaulted('autoscaling/v2', 'HorizontalPodAutoscaler', {
    spec: { scaleTargetRef: ref, maxReplicas: 5, minReplicas: 2, metrics: [{ type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } }], behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } },
  });
  const spec = withBehavior.spec as any;
  assert.equal(spec.minReplicas, 2);
  assert.equal(spec.metrics.length, 1);
  assert.deepEqual(spec.behavior, {
    scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
    scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
  });
});

test('HorizontalPodAutoscaler v1: minReplicas only', () => {
  const hpa = defaulted('autoscaling/v1', 'HorizontalPodAutoscaler', { spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 3 } });
  assert.deepEqual(hpa.spec, { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 3, minReplicas: 1 });
});

test('NetworkPolicy, IngressClass, EndpointSlice', () => {
  const ingressOnly = defaulted('networking.k8s.io/v1', 'NetworkPolicy', { spec: { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] } });
  assert.deepEqual(ingressOnly.spec, { podSelector: {}, ingress: [{ ports: [{ port: 80, protocol: 'TCP' }] }], policyTypes: ['Ingress'] });
  const egress = defaulted('networking.k8s.io/v1', 'NetworkPolicy', { spec: { podSelector: {}, egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] } });
  assert.deepEqual((egress.spec as any).policyTypes, ['Ingress', 'Egress']);
  const given = defaulted('networking.k8s.io/v1', 'NetworkPolicy', { spec: { podSelector: {}, policyTypes: ['Egress'] } });
  assert.deepEqual((given.spec as any).policyTypes, ['Egress']);
  const ic = defaulted('networking.k8s.io/v1', 'IngressClass', { spec: { controller: 'x/y', parameters: { kind: 'IngressParameters', name: 'p' } } });
  assert.deepEqual((ic.spec as any).parameters, { kind: 'IngressParameters', name: 'p', scope: 'Cluster' });
  const es = defaulted('discovery.k8s.io/v1', 'EndpointSlice', { addressType: 'IPv4', endpoints: [], ports: [{ port: 80 }] });
  assert.deepEqual(es.ports, [{ port: 80, name: '', protocol: 'TCP' }]);
});

test('RBAC bindings: roleRef.apiGroup and subject apiGroups', () => {
  const rb = defaulted('rbac.authorization.k8s.io/v1', 'RoleBinding', {
    roleRef: { kind: 'Role', name: 'r' },
    subjects: [{ kind: 'User', name: 'alice' }, { kind: 'Group', name: 'devs' }, { kind: 'ServiceAccount', name: 'sa', namespace: 'default' }],
  });
  assert.deepEqual(rb.roleRef, { kind: 'Role', name: 'r', apiGroup: 'rbac.authorization.k8s.io' });
  assert.deepEqual(rb.subjects, [
    { kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' },
    { kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' },
    { kind: 'ServiceAccount', name: 'sa', namespace: 'default', apiGroup: '' },
  ]);
  const crb = defaulted('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'User', name: 'bob' }] });
  assert.equal((crb.subjects as any)[0].apiGroup, 'rbac.authorization.k8s.io');
});

test('StorageClass, CSIDriver, PriorityClass', () => {
  const sc = defaulted('storage.k8s.io/v1', 'StorageClass', { provisioner: 'ebs.csi.aws.com' });
  assert.equal(sc.reclaimPolicy, 'Delete');
  assert.equal(sc.volumeBindingMode, 'Immediate');
  const wffc = defaulted('storage.k8s.io/v1', 'StorageClass', { provisioner: 'p', reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer' });
  assert.equal(wffc.reclaimPolicy, 'Retain');
  assert.equal(wffc.volumeBindingMode, 'WaitForFirstConsumer');
  const csi = defaulted('storage.k8s.io/v1', 'CSIDriver', { spec: {} });
  assert.deepEqual(csi.spec, {
    attachRequired: true, fsGroupPolicy: 'ReadWriteOnceWithFSType', podInfoOnMount: false, requiresRepublish: false,
    seLinuxMount: false, storageCapacity: false, volumeLifecycleModes: ['Persistent'],
  });
  assert.equal(defaulted('scheduling.k8s.io/v1', 'PriorityClass', { value: 1000 }).preemptionPolicy, 'PreemptLowerPriority');
  const va = defaulted('storage.k8s.io/v1', 'VolumeAttachment', { spec: { attacher: 'a', nodeName: 'n', source: { inlineVolumeSpec: { capacity: { storage: '1024Mi' }, hostPath: { path: '/x' } } } } });
  assert.deepEqual((va.spec as any).source.inlineVolumeSpec, { capacity: { storage: '1Gi' }, hostPath: { path: '/x', type: '' } });
});

test('Admission webhooks and policies', () => {
  const rules = [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }];
  const defaultedRules = [{ ...rules[0], scope: '*' }];
  const base = { name: 'w.example.com', clientConfig: { service: { name: 'svc', namespace: 'ns' } }, rules, sideEffects: 'None', admissionReviewVersions: ['v1'] };
  const v = defaulted('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', { webhooks: [base] });
  assert.deepEqual(v.webhooks, [{
    ...base, clientConfig: { service: { name: 'svc', namespace: 'ns', port: 443 } }, rules: defaultedRules,
    failurePolicy: 'Fail', matchPolicy: 'Equivalent', namespaceSelector: {}, objectSelector: {}, timeoutSeconds: 10,
  }]);
  const m = defaulted('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', { webhooks: [{ ...base, failurePolicy: 'Ignore', timeoutSeconds: 5 }] });
  const mw = (m.webhooks as any)[0];
  assert.equal(mw.failurePolicy, 'Ignore');
  assert.equal(mw.timeoutSeconds, 5);
  assert.equal(mw.reinvocationPolicy, 'Never');
  const vap = defaulted('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy', { spec: { matchConstraints: { resourceRules: rules }, validations: [{ expression: 'true' }] } });
  assert.deepEqual(vap.spec, {
    failurePolicy: 'Fail', validations: [{ expression: 'true' }],
    matchConstraints: { resourceRules: defaultedRules, matchPolicy: 'Equivalent', namespaceSelector: {}, objectSelector: {} },
  });
  const vapb = defaulted('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicyBinding', { spec: { policyName: 'p', validationActions: ['Deny'], matchResources: {} } });
  assert.deepEqual((vapb.spec as any).matchResources, { matchPolicy: 'Equivalent', namespaceSelector: {}, objectSelector: {} });
});

test('CustomResourceDefinition and APIService', () => {
  const crd = defaulted('apiextensions.k8s.io/v1', 'CustomResourceDefinition', {
    spec: { group: 'example.com', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets' }, versions: [{ name: 'v1beta1', served: true, storage: false }, { name: 'v1', served: true, storage: true }] },
  }, 'widgets.example.com');
  assert.deepEqual((crd.spec as any).names, { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' });
  assert.deepEqual((crd.spec as any).conversion, { strategy: 'None' });
  assert.deepEqual(crd.status, { storedVersions: ['v1'] });
  const webhook = defaulted('apiextensions.k8s.io/v1', 'CustomResourceDefinition', {
    spec: { names: { kind: 'W', plural: 'ws' }, conversion: { strategy: 'Webhook', webhook: { clientConfig: { service: { name: 'c', namespace: 'n' } }, conversionReviewVersions: ['v1'] } }, versions: [] },
  });
  assert.equal((webhook.spec as any).conversion.webhook.clientConfig.service.port, 443);
  const apisvc = defaulted('apiregistration.k8s.io/v1', 'APIService', { spec: { group: 'metrics.k8s.io', version: 'v1beta1', service: { name: 'metrics-server', namespace: 'kube-system' } } }, 'v1beta1.metrics.k8s.io');
  assert.deepEqual((apisvc.spec as any).service, { name: 'metrics-server', namespace: 'kube-system', port: 443 });
});

test('FlowSchema and PriorityLevelConfiguration', () => {
  const fs = defaulted('flowcontrol.apiserver.k8s.io/v1', 'FlowSchema', { spec: { priorityLevelConfiguration: { name: 'p' } } });
  assert.equal((fs.spec as any).matchingPrecedence, 1000);
  const plc = defaulted('flowcontrol.apiserver.k8s.io/v1', 'PriorityLevelConfiguration', { spec: { type: 'Limited', limited: { limitResponse: { type: 'Queue', queuing: {} } } } });
  assert.deepEqual((plc.spec as any).limited, { nominalConcurrencyShares: 30, lendablePercent: 0, limitResponse: { type: 'Queue', queuing: { handSize: 8, queues: 64, queueLengthLimit: 50 } } });
  const exempt = defaulted('flowcontrol.apiserver.k8s.io/v1', 'PriorityLevelConfiguration', { spec: { type: 'Exempt', exempt: {} } });
  assert.deepEqual((exempt.spec as any).exempt, { nominalConcurrencyShares: 0, lendablePercent: 0 });
});

test('ResourceList quantities are rounded to milli and canonical wherever upstream walks them', () => {
  const rq = defaulted('v1', 'ResourceQuota', { spec: { hard: { pods: 10, 'requests.cpu': '0.5', 'limits.memory': '2048Mi' } }, status: { used: { pods: '1.0' } } });
  assert.deepEqual(rq.spec, { hard: { pods: '10', 'requests.cpu': '500m', 'limits.memory': '2Gi' } });
  assert.deepEqual(rq.status, { used: { pods: '1' } });
  const pvc = defaulted('v1', 'PersistentVolumeClaim', { spec: { resources: { requests: { storage: '1.5Gi' } } } });
  assert.deepEqual((pvc.spec as any).resources, { requests: { storage: '1536Mi' } });
  const pv = defaulted('v1', 'PersistentVolume', { spec: { capacity: { storage: '1024Mi' } } });
  assert.deepEqual((pv.spec as any).capacity, { storage: '1Gi' });
  const node = defaulted('v1', 'Node', { status: { capacity: { cpu: 2, memory: '4096Mi' } } });
  assert.deepEqual(node.status, { capacity: { cpu: '2', memory: '4Gi' }, allocatable: { cpu: '2', memory: '4Gi' } });
  const lr = defaulted('v1', 'LimitRange', { spec: { limits: [{ type: 'Container', max: { cpu: 1.5 } }] } });
  assert.deepEqual((lr.spec as any).limits, [{ type: 'Container', max: { cpu: '1500m' }, default: { cpu: '1500m' }, defaultRequest: { cpu: '1500m' } }]);
});

test('kinds without defaults and unknown kinds are left alone', () => {
  for (const [apiVersion, kind, body] of [
    ['v1', 'ConfigMap', { data: { a: 'b' } }],
    ['coordination.k8s.io/v1', 'Lease', { spec: { holderIdentity: 'x' } }],
    ['policy/v1', 'PodDisruptionBudget', { spec: { minAvailable: 1 } }],
    ['networking.k8s.io/v1', 'Ingress', { spec: { rules: [{ http: { paths: [{ path: '/', backend: { service: { name: 's', port: { number: 80 } } } }] } }] } }],
    ['example.com/v1', 'Pod', { spec: { containers: [{ name: 'c', image: 'i' }] } }],
  ] as const) {
    const obj: KubeObject = { apiVersion, kind, metadata: { name: 'x' }, ...structuredClone(body) };
    applyDefaults(obj);
    assert.deepEqual(obj, { apiVersion, kind, metadata: { name: 'x' }, ...body }, `${apiVersion}/${kind}`);
  }
  assert.ok(DEFAULTED_KINDS.includes('apps/v1/Deployment'));
});
