import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFieldSelector } from '../apimachinery/fields.js';
import { convertFieldLabel, convertFieldSelector, selectableFields, supportedFieldLabels } from './fieldsets.js';

function match(group: string, resource: string, selector: string, obj: unknown): boolean {
  return convertFieldSelector(group, resource, parseFieldSelector(selector)).matches(selectableFields(group, resource, obj));
}

const pod = {
  metadata: { name: 'web-1', namespace: 'default' },
  spec: { nodeName: 'node-a', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'default', hostNetwork: true },
  status: { phase: 'Running', podIP: '10.0.0.5', podIPs: [{ ip: '10.0.0.5' }, { ip: 'fd00::5' }], nominatedNodeName: '' },
};

test('pod selectable fields (pkg/registry/core/pod ToSelectableFields)', () => {
  assert.deepEqual(selectableFields('', 'pods', pod), {
    'metadata.name': 'web-1', 'metadata.namespace': 'default', 'spec.nodeName': 'node-a', 'spec.restartPolicy': 'Always',
    'spec.schedulerName': 'default-scheduler', 'spec.serviceAccountName': 'default', 'spec.hostNetwork': 'true',
    'status.phase': 'Running', 'status.podIP': '10.0.0.5', 'status.nominatedNodeName': '',
  });
  assert.equal(selectableFields('', 'pods', { metadata: { name: 'x' } })['spec.hostNetwork'], 'false');
  assert.equal(match('', 'pods', 'spec.nodeName=node-a,status.phase!=Failed', pod), true);
  assert.equal(match('', 'pods', 'spec.nodeName=', pod), false);
  assert.equal(match('', 'pods', 'spec.nodeName=', { metadata: { name: 'p' }, spec: {} }), true, 'unscheduled pods have spec.nodeName ""');
  assert.equal(match('', 'pods', 'spec.host=node-a', pod), true, 'spec.host is the legacy alias of spec.nodeName');
  assert.equal(convertFieldSelector('', 'pods', parseFieldSelector('spec.host=n')).toString(), 'spec.nodeName=n');
});

test('unsupported labels are 400s with the conversion function wording', () => {
  assert.throws(() => convertFieldLabel('', 'pods', 'spec.foo'), { code: 400, message: 'field label not supported: spec.foo' });
  assert.throws(() => convertFieldLabel('', 'configmaps', 'data.x'), { code: 400, message: '"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"' });
  assert.throws(() => convertFieldLabel('apps', 'deployments', 'status.replicas'), { message: '"status.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"' });
  assert.throws(() => convertFieldLabel('batch', 'jobs', 'spec.x'), { message: 'field label "spec.x" not supported for "Job"' });
  assert.throws(() => convertFieldLabel('', 'namespaces', 'metadata.namespace'), { message: 'field label not supported: metadata.namespace' });
  assert.throws(() => convertFieldLabel('', 'nodes', 'metadata.namespace'), { message: 'field label not supported: metadata.namespace' });
  assert.throws(() => convertFieldSelector('', 'secrets', parseFieldSelector('type=x,data=y')), { message: 'field label not supported: data' });
});

test('supportedFieldLabels', () => {
  assert.deepEqual(supportedFieldLabels('', 'configmaps'), ['metadata.name', 'metadata.namespace']);
  assert.deepEqual(supportedFieldLabels('', 'namespaces'), ['status.phase', 'metadata.name']);
  assert.ok(supportedFieldLabels('', 'pods').includes('spec.host'));
  assert.ok(supportedFieldLabels('events.k8s.io', 'events').includes('regarding.name'));
  assert.deepEqual(supportedFieldLabels('certificates.k8s.io', 'certificatesigningrequests'), ['metadata.name', 'spec.signerName']);
});

test('bools render "true"/"false", integers in decimal with 0 for missing', () => {
  assert.equal(selectableFields('', 'nodes', { metadata: { name: 'n' }, spec: { unschedulable: true } })['spec.unschedulable'], 'true');
  assert.equal(selectableFields('', 'nodes', { metadata: { name: 'n' } })['spec.unschedulable'], 'false');
  assert.equal(match('', 'nodes', 'spec.unschedulable=false', { metadata: { name: 'n' }, spec: {} }), true);
  assert.equal(selectableFields('', 'replicationcontrollers', { metadata: { name: 'r' }, status: { replicas: 3 } })['status.replicas'], '3');
  assert.equal(selectableFields('apps', 'replicasets', { metadata: { name: 'r' } })['status.replicas'], '0');
  assert.equal(match('batch', 'jobs', 'status.successful=2', { metadata: { name: 'j', namespace: 'd' }, status: { succeeded: 2 } }), true);
  assert.equal(match('batch', 'cronjobs', 'status.successful=0', { metadata: { name: 'c', namespace: 'd' } }), false, 'cronjobs accept the label but expose no value');
});

test('core events: involvedObject.*, source falls back to reportingComponent', () => {
  const ev = {
    metadata: { name: 'e1', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'default', uid: 'u1', apiVersion: 'v1', resourceVersion: '7', fieldPath: 'spec.containers{web}' },
    reason: 'Pulled', type: 'Normal', reportingComponent: 'kubelet', source: {},
  };
  const f = selectableFields('', 'events', ev);
  assert.equal(f['involvedObject.fieldPath'], 'spec.containers{web}');
  assert.equal(f.source, 'kubelet');
  assert.equal(match('', 'events', 'involvedObject.kind=Pod,involvedObject.name=web-1,type=Normal', ev), true);
  assert.equal(match('', 'events', 'reason=Failed', ev), false);
  assert.equal(selectableFields('', 'events', { ...ev, source: { component: 'scheduler' } }).source, 'scheduler');
});

test('events.k8s.io: regarding.* and reportingController map onto the core fields', () => {
  const ev = { metadata: { name: 'e', namespace: 'd' }, regarding: { kind: 'Node', name: 'n1' }, reportingController: 'kwok', reason: 'R', type: 'Warning' };
  assert.equal(match('events.k8s.io', 'events', 'regarding.kind=Node,reportingController=kwok,type=Warning', ev), true);
  assert.equal(match('events.k8s.io', 'events', 'regarding.name=n2', ev), false);
  assert.throws(() => convertFieldLabel('events.k8s.io', 'events', 'note'), { message: 'field label not supported: note' });
});

test('secrets, namespaces, services, CSRs, cluster-scoped metadata.namespace', () => {
  assert.equal(match('', 'secrets', 'type=kubernetes.io/tls', { metadata: { name: 's', namespace: 'd' }, type: 'kubernetes.io/tls' }), true);
  assert.equal(match('', 'namespaces', 'status.phase=Terminating', { metadata: { name: 'x' }, status: { phase: 'Active' } }), false);
  assert.equal(match('', 'services', 'spec.type=LoadBalancer,spec.clusterIP!=None', { metadata: { name: 's', namespace: 'd' }, spec: { type: 'LoadBalancer', clusterIP: '10.96.0.10' } }), true);
  assert.equal(match('certificates.k8s.io', 'certificatesigningrequests', 'spec.signerName=kubernetes.io/kube-apiserver-client-kubelet', { metadata: { name: 'csr-1' }, spec: { signerName: 'kubernetes.io/kube-apiserver-client-kubelet' } }), true);
  assert.equal(match('rbac.authorization.k8s.io', 'clusterroles', 'metadata.namespace=', { metadata: { name: 'admin' } }), true);
  assert.equal(match('', 'configmaps', 'metadata.name=a', { metadata: { name: 'a', namespace: 'd' } }), true);
});
