/**
 * Golden tests: a minimal object in, the exact defaulted object out, as kube-apiserver 1.32
 * returns it for `kubectl get -o yaml` (minus what strategies, admission and controllers add:
 * uid, resourceVersion, status, serviceAccountName, tolerations, job selectors, ...).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { applyDefaults } from './index.js';

function defaulted(obj: KubeObject): KubeObject {
  const out = structuredClone(obj);
  applyDefaults(out);
  const twice = structuredClone(out);
  applyDefaults(twice);
  assert.deepEqual(twice, out, 'defaulting twice must give the same object');
  return out;
}

/** The container of `kubectl run web --image=nginx` / `create deployment web --image=nginx`. */
const nginx = (image = 'nginx') => ({ name: 'web', image });
const defaultedNginx = (pullPolicy = 'Always') => ({
  name: 'web', image: 'nginx', imagePullPolicy: pullPolicy, resources: {},
  terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File',
});
/** What every pod template spec gets (SetDefaults_PodSpec). */
const templateSpecDefaults = {
  dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler',
  securityContext: {}, terminationGracePeriodSeconds: 30,
};

test('Pod: minimal pod gets the PodSpec, Pod and container defaults', () => {
  const out = defaulted({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [nginx()] } });
  assert.deepEqual(out, {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' },
    spec: {
      containers: [defaultedNginx()],
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      terminationGracePeriodSeconds: 30,
    },
  });
});

test('Pod: given values are kept; requests default to limits only where missing', () => {
  const out = defaulted({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
    spec: {
      restartPolicy: 'Never', dnsPolicy: 'Default', enableServiceLinks: false, terminationGracePeriodSeconds: 0,
      containers: [{
        name: 'c', image: 'nginx:1.27', imagePullPolicy: 'Never',
        resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m' } },
        ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }],
        env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
      }],
      initContainers: [{ name: 'i', image: 'busybox:1.36', resources: { limits: { cpu: '1' } } }],
    },
  });
  const spec = out.spec as Record<string, any>;
  assert.equal(spec.restartPolicy, 'Never');
  assert.equal(spec.dnsPolicy, 'Default');
  assert.equal(spec.enableServiceLinks, false);
  assert.equal(spec.terminationGracePeriodSeconds, 0);
  assert.deepEqual(spec.containers[0], {
    name: 'c', image: 'nginx:1.27', imagePullPolicy: 'Never',
    resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
    ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 53, protocol: 'UDP' }],
    env: [{ name: 'NODE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }],
    terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File',
  });
  assert.deepEqual(spec.initContainers[0].resources, { limits: { cpu: '1' }, requests: { cpu: '1' } });
  assert.equal(spec.initContainers[0].imagePullPolicy, 'IfNotPresent');
});

test('Pod and templates: container quantities and overhead come back canonical', () => {
  const resources = { limits: { cpu: 0.5, memory: '1.5Gi' }, requests: { cpu: '0.0001' } };
  const pod = defaulted({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { overhead: { cpu: '250m', memory: '120Mi' }, containers: [{ ...nginx(), resources }] } });
  assert.deepEqual((pod.spec as any).containers[0].resources, { limits: { cpu: '500m', memory: '1536Mi' }, requests: { cpu: '1m', memory: '1536Mi' } });
  assert.deepEqual((pod.spec as any).overhead, { cpu: '250m', memory: '120Mi' });
  const d = defaulted({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { containers: [{ ...nginx(), resources }] } } } });
  assert.deepEqual((d.spec as any).template.spec.containers[0].resources, { limits: { cpu: '500m', memory: '1536Mi' }, requests: { cpu: '1m' } });
});

test('Pod: probes, lifecycle hooks, hostNetwork ports and ephemeral containers', () => {
  const out = defaulted({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
    spec: {
      hostNetwork: true,
      containers: [{
        name: 'c', image: 'app:v1', ports: [{ containerPort: 8080 }, { containerPort: 9090, hostPort: 9999 }],
        livenessProbe: { httpGet: { port: 8080 } },
        readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 5 },
        startupProbe: { grpc: { port: 9090 } },
        lifecycle: { preStop: { httpGet: { port: 8080, path: '/stop' } }, postStart: { exec: { command: ['true'] } } },
      }],
      ephemeralContainers: [{ name: 'debug', image: 'busybox' }],
    },
  });
  const c = (out.spec as any).containers[0];
  assert.deepEqual(c.livenessProbe, { httpGet: { port: 8080, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  assert.deepEqual(c.readinessProbe, { tcpSocket: { port: 8080 }, timeoutSeconds: 1, periodSeconds: 5, successThreshold: 1, failureThreshold: 3 });
  assert.deepEqual(c.startupProbe.grpc, { port: 9090, service: '' });
  assert.deepEqual(c.lifecycle, { preStop: { httpGet: { port: 8080, path: '/stop', scheme: 'HTTP' } }, postStart: { exec: { command: ['true'] } } });
  assert.deepEqual(c.ports, [{ containerPort: 8080, hostPort: 8080, protocol: 'TCP' }, { containerPort: 9090, hostPort: 9999, protocol: 'TCP' }]);
  assert.deepEqual((out.spec as any).ephemeralContainers[0], {
    name: 'debug', image: 'busybox', imagePullPolicy: 'Always', resources: {},
    terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File',
  });
});

test('Pod: volume sources', () => {
  const out = defaulted({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
    spec: {
      containers: [nginx()],
      volumes: [
        { name: 'scratch' },
        { name: 'cm', configMap: { name: 'cfg' } },
        { name: 'sec', secret: { secretName: 's', defaultMode: 256 } },
        { name: 'host', hostPath: { path: '/var/log' } },
        { name: 'down', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
        { name: 'proj', projected: { sources: [{ serviceAccountToken: { path: 'token' } }, { downwardAPI: { items: [{ path: 'ns', fieldRef: { fieldPath: 'metadata.namespace' } }] } }] } },
        { name: 'eph', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } } },
        { name: 'rbd', rbd: { monitors: ['m'], image: 'i' } },
        { name: 'iscsi', iscsi: { targetPortal: 't', iqn: 'q', lun: 0 } },
        { name: 'az', azureDisk: { diskName: 'd', diskURI: 'u' } },
        { name: 'sio', scaleIO: { gateway: 'g', system: 's', secretRef: { name: 'x' } } },
        { name: 'claim', persistentVolumeClaim: { claimName: 'data' } },
      ],
    },
  });
  assert.deepEqual((out.spec as any).volumes, [
    { name: 'scratch', emptyDir: {} },
    { name: 'cm', configMap: { name: 'cfg', defaultMode: 420 } },
    { name: 'sec', secret: { secretName: 's', defaultMode: 256 } },
    { name: 'host', hostPath: { path: '/var/log', type: '' } },
    { name: 'down', downwardAPI: { defaultMode: 420, items: [{ path: 'labels', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' } }] } },
    { name: 'proj', projected: { defaultMode: 420, sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }, { downwardAPI: { items: [{ path: 'ns', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } }] } },
    { name: 'eph', ephemeral: { volumeClaimTemplate: { metadata: { creationTimestamp: null }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' } } } },
    { name: 'rbd', rbd: { monitors: ['m'], image: 'i', pool: 'rbd', user: 'admin', keyring: '/etc/ceph/keyring' } },
    { name: 'iscsi', iscsi: { targetPortal: 't', iqn: 'q', lun: 0, iscsiInterface: 'default' } },
    { name: 'az', azureDisk: { diskName: 'd', diskURI: 'u', cachingMode: 'ReadWrite', fsType: 'ext4', readOnly: false, kind: 'Shared' } },
    { name: 'sio', scaleIO: { gateway: 'g', system: 's', secretRef: { name: 'x' }, storageMode: 'ThinProvisioned', fsType: 'xfs' } },
    { name: 'claim', persistentVolumeClaim: { claimName: 'data' } },
  ]);
});

test('Deployment: kubectl create deployment web --image=nginx', () => {
  const labels = { app: 'web' };
  const out = defaulted({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [nginx()] } } },
  });
  assert.deepEqual(out, {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels },
    spec: {
      progressDeadlineSeconds: 600,
      replicas: 1,
      revisionHistoryLimit: 10,
      selector: { matchLabels: labels },
      strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
      template: {
        metadata: { creationTimestamp: null, labels },
        spec: { containers: [defaultedNginx()], ...templateSpecDefaults },
      },
    },
  });
});

test('Deployment: Recreate gets no rollingUpdate; partial rollingUpdate is completed', () => {
  const base = { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [nginx()] } } };
  const recreate = defaulted({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { ...base, replicas: 0, strategy: { type: 'Recreate' } } });
  assert.deepEqual((recreate.spec as any).strategy, { type: 'Recreate' });
  assert.equal((recreate.spec as any).replicas, 0);
  const partial = defaulted({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { ...base, strategy: { rollingUpdate: { maxSurge: 1 } } } });
  assert.deepEqual((partial.spec as any).strategy, { rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' }, type: 'RollingUpdate' });
});

test('ReplicaSet and ReplicationController', () => {
  const labels = { app: 'web' };
  const rs = defaulted({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r' }, spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [nginx()] } } } });
  assert.deepEqual(rs.spec, { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { creationTimestamp: null, labels }, spec: { containers: [defaultedNginx()], ...templateSpecDefaults } } });
  const rc = defaulted({ apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc' }, spec: { template: { metadata: { labels }, spec: { containers: [nginx()] } } } });
  assert.deepEqual(rc, {
    apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc', labels },
    spec: { replicas: 1, selector: labels, template: { metadata: { creationTimestamp: null, labels }, spec: { containers: [defaultedNginx()], ...templateSpecDefaults } } },
  });
});

test('PodTemplate: template spec defaults, no Pod-only defaults', () => {
  const out = defaulted({ apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 't' }, template: { spec: { containers: [{ ...nginx(), resources: { limits: { cpu: '1' } } }] } } });
  assert.deepEqual(out.template, {
    metadata: { creationTimestamp: null },
    spec: { containers: [{ ...defaultedNginx(), resources: { limits: { cpu: '1' } } }], ...templateSpecDefaults },
  });
});

test('StatefulSet: minimal with a volumeClaimTemplate', () => {
  const labels = { app: 'db' };
  const out = defaulted({
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' },
    spec: {
      serviceName: 'db', selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [nginx()] } },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    },
  });
  assert.deepEqual(out.spec, {
    persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    podManagementPolicy: 'OrderedReady',
    replicas: 1,
    revisionHistoryLimit: 10,
    selector: { matchLabels: labels },
    serviceName: 'db',
    template: { metadata: { creationTimestamp: null, labels }, spec: { containers: [defaultedNginx()], ...templateSpecDefaults } },
    updateStrategy: { rollingUpdate: { partition: 0 }, type: 'RollingUpdate' },
    volumeClaimTemplates: [{
      apiVersion: 'v1', kind: 'PersistentVolumeClaim',
      metadata: { creationTimestamp: null, name: 'data' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' },
      status: { phase: 'Pending' },
    }],
  });
});

test('StatefulSet: an explicit RollingUpdate type without rollingUpdate gets no partition; OnDelete is kept', () => {
  const spec = { selector: {}, template: { spec: { containers: [nginx()] } } };
  const ru = defaulted({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: { ...spec, updateStrategy: { type: 'RollingUpdate' } } });
  assert.deepEqual((ru.spec as any).updateStrategy, { type: 'RollingUpdate' });
  const od = defaulted({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: { ...spec, updateStrategy: { type: 'OnDelete' }, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete' } } });
  assert.deepEqual((od.spec as any).updateStrategy, { type: 'OnDelete' });
  assert.deepEqual((od.spec as any).persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Delete', whenScaled: 'Retain' });
});

test('DaemonSet: minimal', () => {
  const labels = { app: 'agent' };
  const out = defaulted({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' }, spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [nginx()] } } } });
  assert.deepEqual(out.spec, {
    revisionHistoryLimit: 10,
    selector: { matchLabels: labels },
    template: { metadata: { creationTimestamp: null, labels }, spec: { containers: [defaultedNginx()], ...templateSpecDefaults } },
    updateStrategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 }, type: 'RollingUpdate' },
  });
});
