import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import type { TablePrinter } from './types.js';
import {
  componentStatusPrinter, configMapPrinter, endpointsPrinter, namespacePrinter, podTemplatePrinter,
  replicationControllerPrinter, resourceQuotaPrinter, secretPrinter, serviceAccountPrinter,
} from './core.js';
import { nodePrinter } from './nodes.js';
import { servicePrinter } from './services.js';
import { eventPrinter } from './events.js';
import { persistentVolumeClaimPrinter, persistentVolumePrinter } from './volumes.js';

const ctx = { now: new Date('2024-06-01T12:00:00Z') };
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: 'default', creationTimestamp: '2024-05-30T12:00:00Z', ...extra });
const row = (p: TablePrinter, o: Record<string, unknown>) => p.cells(o as KubeObject, ctx);
const names = (p: TablePrinter) => p.columns.map((c) => c.name + (c.priority ? '*' : ''));

test('namespaces, configmaps, secrets, serviceaccounts', () => {
  assert.deepEqual(names(namespacePrinter), ['Name', 'Status', 'Age']);
  assert.deepEqual(row(namespacePrinter, { metadata: meta('kube-system'), status: { phase: 'Active' } }), ['kube-system', 'Active', '2d']);
  assert.deepEqual(row(configMapPrinter, { metadata: meta('cfg'), data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }), ['cfg', 3, '2d']);
  assert.deepEqual(names(secretPrinter), ['Name', 'Type', 'Data', 'Age']);
  assert.deepEqual(row(secretPrinter, { metadata: meta('tls'), type: 'kubernetes.io/tls', data: { 'tls.crt': 'x', 'tls.key': 'y' } }), ['tls', 'kubernetes.io/tls', 2, '2d']);
  assert.equal(row(secretPrinter, { metadata: meta('s'), type: 'Opaque', data: { a: 'eA==' }, stringData: { a: 'x', b: 'y' } })[2], 2);
  assert.deepEqual(row(serviceAccountPrinter, { metadata: meta('default') }), ['default', 0, '2d']);
});

test('endpoints list up to three ip:port pairs, then + N more...', () => {
  const ep = { metadata: meta('web'), subsets: [
    { addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] },
    { addresses: [{ ip: 'fd00::5' }], ports: [{ port: 8080 }] },
  ] };
  assert.deepEqual(row(endpointsPrinter, ep), ['web', '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 2 more...', '2d']);
  assert.equal(row(endpointsPrinter, { metadata: meta('v6'), subsets: [{ addresses: [{ ip: 'fd00::5' }], ports: [{ port: 8080 }] }] })[1], '[fd00::5]:8080');
  assert.equal(row(endpointsPrinter, { metadata: meta('none') })[1], '<none>');
});

test('replication controllers and pod templates', () => {
  assert.deepEqual(names(replicationControllerPrinter), ['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers*', 'Images*', 'Selector*']);
  const rc = { metadata: meta('rc'), spec: { replicas: 3, selector: { app: 'x' }, template: { spec: { containers: [{ name: 'a', image: 'nginx' }] } } }, status: { replicas: 3, readyReplicas: 2 } };
  assert.deepEqual(row(replicationControllerPrinter, rc), ['rc', 3, 3, 2, '2d', 'a', 'nginx', 'app=x']);
  const pt = { metadata: meta('pt'), template: { metadata: { labels: { b: '2', a: '1' } }, spec: { containers: [{ name: 'a', image: 'i1' }, { name: 'b', image: 'i2' }] } } };
  assert.deepEqual(row(podTemplatePrinter, pt), ['pt', 'a,b', 'i1,i2', 'a=1,b=2']);
});

test('resource quotas split requests and limits, component statuses', () => {
  const rq = { metadata: meta('quota'), status: {
    hard: { 'limits.cpu': '4', pods: '10', 'requests.cpu': '2', 'limits.memory': '8Gi' },
    used: { 'limits.cpu': '1', pods: '3', 'requests.cpu': '500m' },
  } };
  assert.deepEqual(row(resourceQuotaPrinter, rq), ['quota', 'pods: 3/10, requests.cpu: 500m/2', 'limits.cpu: 1/4, limits.memory: 0/8Gi', '2d']);
  const cs = { metadata: { name: 'etcd-0' }, conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }] };
  assert.deepEqual(row(componentStatusPrinter, cs), ['etcd-0', 'Healthy', 'ok', '']);
});

test('nodes: Ready,SchedulingDisabled, roles, wide columns', () => {
  assert.deepEqual(names(nodePrinter), ['Name', 'Status', 'Roles', 'Age', 'Version', 'Internal-IP*', 'External-IP*', 'OS-Image*', 'Kernel-Version*', 'Container-Runtime*']);
  const node = {
    metadata: { name: 'ip-10-0-1-23.ec2.internal', creationTimestamp: '2024-05-25T12:00:00Z', labels: { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'ingress' } },
    spec: { unschedulable: true },
    status: {
      conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }],
      addresses: [{ type: 'InternalIP', address: '10.0.1.23' }, { type: 'Hostname', address: 'ip-10-0-1-23' }],
      nodeInfo: { kubeletVersion: 'v1.32.3-eks-473151a', osImage: 'Amazon Linux 2023.6.20250203', kernelVersion: '6.1.127-135.201.amzn2023.x86_64', containerRuntimeVersion: 'containerd://1.7.25' },
    },
  };
  assert.deepEqual(row(nodePrinter, node), [
    'ip-10-0-1-23.ec2.internal', 'Ready,SchedulingDisabled', 'control-plane,ingress,worker', '7d', 'v1.32.3-eks-473151a',
    '10.0.1.23', '<none>', 'Amazon Linux 2023.6.20250203', '6.1.127-135.201.amzn2023.x86_64', 'containerd://1.7.25',
  ]);
  const bare = row(nodePrinter, { metadata: { name: 'n', creationTimestamp: '2024-06-01T11:00:00Z' }, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } });
  assert.deepEqual(bare, ['n', 'NotReady', '<none>', '60m', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']);
  assert.equal(row(nodePrinter, { metadata: { name: 'n' } })[1], 'Unknown');
});

test('services: ClusterIP, NodePort, LoadBalancer with hostname or pending, ExternalName, headless', () => {
  assert.deepEqual(names(servicePrinter), ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector*']);
  const np = { metadata: meta('web'), spec: { type: 'NodePort', clusterIP: '172.20.14.7', clusterIPs: ['172.20.14.7'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP', nodePort: 31053 }], selector: { app: 'web' } } };
  assert.deepEqual(row(servicePrinter, np), ['web', 'NodePort', '172.20.14.7', '<none>', '80:30080/TCP,53:31053/UDP', '2d', 'app=web']);
  const host = 'k8s-default-web-1a2b3c4d5e-1234567890.us-west-2.elb.amazonaws.com';
  const lb = { metadata: meta('lb'), spec: { type: 'LoadBalancer', clusterIPs: ['172.20.1.1'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] }, status: { loadBalancer: { ingress: [{ hostname: host }] } } };
  assert.deepEqual(row(servicePrinter, lb).slice(1, 5), ['LoadBalancer', '172.20.1.1', host, '443:31443/TCP']);
  const pending = { metadata: meta('lb2'), spec: { type: 'LoadBalancer', clusterIPs: ['172.20.1.2'], externalIPs: ['1.2.3.4'], ports: [{ port: 80, protocol: 'TCP' }] } };
  assert.equal(row(servicePrinter, pending)[3], '1.2.3.4');
  assert.equal(row(servicePrinter, { ...pending, spec: { ...pending.spec, externalIPs: undefined } })[3], '<pending>');
  const ext = { metadata: meta('db'), spec: { type: 'ExternalName', externalName: 'db.example.com' } };
  assert.deepEqual(row(servicePrinter, ext).slice(1, 5), ['ExternalName', '<none>', 'db.example.com', '<none>']);
  const headless = { metadata: meta('h'), spec: { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 5432, protocol: 'TCP' }] } };
  assert.deepEqual(row(servicePrinter, headless).slice(1, 7), ['ClusterIP', 'None', '<none>', '5432/TCP', '2d', '<none>']);
});

test('core/v1 and events.k8s.io/v1 events', () => {
  assert.deepEqual(names(eventPrinter), ['Last Seen', 'Type', 'Reason', 'Object', 'Subobject*', 'Source*', 'Message', 'First Seen*', 'Count*', 'Name*']);
  assert.equal(eventPrinter.columns[9].format, 'name');
  const ev = {
    apiVersion: 'v1', kind: 'Event', metadata: meta('web-1.17d5c3b2a1'),
    involvedObject: { kind: 'Pod', name: 'web-1', fieldPath: 'spec.containers{app}' },
    reason: 'BackOff', message: 'Back-off restarting failed container app in pod web-1\n', type: 'Warning',
    source: { component: 'kubelet', host: 'ip-10-0-1-23.ec2.internal' },
    firstTimestamp: '2024-06-01T11:20:00Z', lastTimestamp: '2024-06-01T11:58:30Z', count: 12,
  };
  assert.deepEqual(row(eventPrinter, ev), [
    '90s', 'Warning', 'BackOff', 'pod/web-1', 'spec.containers{app}', 'kubelet, ip-10-0-1-23.ec2.internal',
    'Back-off restarting failed container app in pod web-1', '40m', 12, 'web-1.17d5c3b2a1',
  ]);
  const v1 = {
    apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: meta('x.1'), eventTime: '2024-06-01T11:57:00.000000Z',
    regarding: { kind: 'Deployment', name: 'web' }, note: 'Scaled up replica set web-5d8 to 3', reason: 'ScalingReplicaSet', type: 'Normal',
    reportingController: 'deployment-controller', reportingInstance: '',
  };
  assert.deepEqual(row(eventPrinter, v1), ['3m', 'Normal', 'ScalingReplicaSet', 'deployment/web', '', 'deployment-controller', 'Scaled up replica set web-5d8 to 3', '3m', 1, 'x.1']);
  const series = { ...v1, series: { count: 7, lastObservedTime: '2024-06-01T11:59:50.000000Z' } };
  assert.deepEqual([row(eventPrinter, series)[0], row(eventPrinter, series)[8]], ['10s', 7]);
  assert.equal(row(eventPrinter, { metadata: meta('n'), involvedObject: { kind: 'Node' } })[0], '<unknown>');
});

test('persistent volumes and claims', () => {
  assert.deepEqual(names(persistentVolumePrinter), ['Name', 'Capacity', 'Access Modes', 'Reclaim Policy', 'Status', 'Claim', 'StorageClass', 'VolumeAttributesClass', 'Reason', 'Age', 'VolumeMode*']);
  const pv = { metadata: { name: 'pvc-1b2c', creationTimestamp: '2024-05-30T12:00:00Z' }, spec: { capacity: { storage: '20Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Delete', claimRef: { namespace: 'default', name: 'data-db-0' }, storageClassName: 'gp3', volumeMode: 'Filesystem' }, status: { phase: 'Bound' } };
  assert.deepEqual(row(persistentVolumePrinter, pv), ['pvc-1b2c', '20Gi', 'RWO', 'Delete', 'Bound', 'default/data-db-0', 'gp3', '<unset>', '', '2d', 'Filesystem']);
  const pvc = { metadata: meta('data-db-0'), spec: { volumeName: 'pvc-1b2c', storageClassName: 'gp3', volumeMode: 'Filesystem', resources: { requests: { storage: '20Gi' } } }, status: { phase: 'Bound', capacity: { storage: '20Gi' }, accessModes: ['ReadWriteOnce'] } };
  assert.deepEqual(row(persistentVolumeClaimPrinter, pvc), ['data-db-0', 'Bound', 'pvc-1b2c', '20Gi', 'RWO', 'gp3', '<unset>', '2d', 'Filesystem']);
  const pending = { metadata: { ...meta('p'), deletionTimestamp: '2024-06-01T11:00:00Z', annotations: { 'volume.beta.kubernetes.io/storage-class': 'old' } }, spec: { storageClassName: 'gp3' }, status: { phase: 'Pending' } };
  assert.deepEqual(row(persistentVolumeClaimPrinter, pending), ['p', 'Terminating', '', '', '', 'old', '<unset>', '2d', '<unset>']);
});
