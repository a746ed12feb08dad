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

function pod(spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec };
}
const c = (over: Record<string, unknown> = {}) => ({ name: 'app', image: 'nginx', ...over });

test('Pod containers: required, names, image, uniqueness across init and regular', () => {
  assert.equal(msg('', 'pods', 'Pod', pod({ containers: [c()] })), '');
  assert.equal(msg('', 'pods', 'Pod', pod({ containers: [] })), 'Pod "p" is invalid: spec.containers: Required value');
  assert.equal(msg('', 'pods', 'Pod', pod({ containers: [c({ image: '' })] })), 'Pod "p" is invalid: spec.containers[0].image: Required value');
  assert.match(msg('', 'pods', 'Pod', pod({ containers: [c({ name: 'App' })] })), /spec\.containers\[0\]\.name: Invalid value: "App": a lowercase RFC 1123 label must consist of/);
  assert.equal(msg('', 'pods', 'Pod', pod({ initContainers: [c()], containers: [c()] })), 'Pod "p" is invalid: spec.initContainers[0].name: Duplicate value: "app"');
});

test('Pod ports, protocol, env names, enums', () => {
  assert.equal(msg('', 'pods', 'Pod', pod({ containers: [c({ ports: [{ containerPort: 70000 }] })] })),
    'Pod "p" is invalid: spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive');
  assert.equal(msg('', 'pods', 'Pod', pod({ containers: [c({ ports: [{ containerPort: 80, protocol: 'HTTP' }] })] })),
    'Pod "p" is invalid: spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"');
  assert.equal(msg('', 'pods', 'Pod', pod({ containers: [c({ ports: [{ containerPort: 80, name: 'Http_1' }] })] })),
    'Pod "p" is invalid: spec.containers[0].ports[0].name: Invalid value: "Http_1": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  assert.equal(msg('', 'pods', 'Pod', pod({ containers: [c({ env: [{ name: 'A=B', value: 'x' }] })] })),
    'Pod "p" is invalid: spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than \'=\'');
  assert.equal(msg('', 'pods', 'Pod', pod({ containers: [c({ env: [{ name: 'my.var-1', value: 'x' }] })] })), '');
  assert.equal(msg('', 'pods', 'Pod', pod({ containers: [c()], restartPolicy: 'Sometimes' })),
    'Pod "p" is invalid: spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"');
  assert.equal(msg('', 'pods', 'Pod', pod({ containers: [c()], dnsPolicy: 'X' })),
    'Pod "p" is invalid: spec.dnsPolicy: Unsupported value: "X": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"');
  assert.match(msg('', 'pods', 'Pod', pod({ containers: [c()], tolerations: [{ key: 'k', operator: 'Maybe' }] })),
    /spec\.tolerations\[0\]\.operator: Unsupported value: "Maybe": supported values: "Equal", "Exists"/);
});

test('Pod resources: quantities and requests <= limits', () => {
  assert.equal(msg('', 'pods', 'Pod', pod({ containers: [c({ resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } })] })),
    'Pod "p" is invalid: spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1');
  assert.equal(msg('', 'pods', 'Pod', pod({ containers: [c({ resources: { requests: { cpu: '500m', memory: '1.5Gi' }, limits: { cpu: 1, memory: '2Gi' } } })] })), '');
  assert.equal(msg('', 'pods', 'Pod', pod({ containers: [c({ resources: { limits: { cpu: '1x' } } })] })),
    'Pod "p" is invalid: spec.containers[0].resources.limits[cpu]: Invalid value: "1x": quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'');
  assert.equal(msg('', 'pods', 'Pod', pod({ containers: [c({ resources: { limits: { gpu: '1' } } })] })),
    'Pod "p" is invalid: spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers');
});

test('Pod volumes: unique names, one source, mounts reference volumes', () => {
  const vol = { name: 'data', emptyDir: {} };
  assert.equal(msg('', 'pods', 'Pod', pod({ volumes: [vol], containers: [c({ volumeMounts: [{ name: 'data', mountPath: '/d' }] })] })), '');
  assert.equal(msg('', 'pods', 'Pod', pod({ volumes: [vol], containers: [c({ volumeMounts: [{ name: 'nope', mountPath: '/d' }] })] })),
    'Pod "p" is invalid: spec.containers[0].volumeMounts[0].name: Not found: "nope"');
  assert.equal(msg('', 'pods', 'Pod', pod({ volumes: [{ name: 'x' }], containers: [c()] })), 'Pod "p" is invalid: spec.volumes[0]: Required value: must specify a volume type');
  assert.equal(msg('', 'pods', 'Pod', pod({ volumes: [vol, vol], containers: [c()] })), 'Pod "p" is invalid: spec.volumes[1].name: Duplicate value: "data"');
  assert.equal(msg('', 'pods', 'Pod', pod({ volumes: [{ name: 'x', emptyDir: {}, hostPath: { path: '/' } }], containers: [c()] })),
    'Pod "p" is invalid: spec.volumes[0].emptyDir: Forbidden: may not specify more than 1 volume type');
});

test('Pod probes and updates', () => {
  assert.equal(msg('', 'pods', 'Pod', pod({ containers: [c({ livenessProbe: { periodSeconds: 1 } })] })),
    'Pod "p" is invalid: spec.containers[0].livenessProbe: Required value: must specify a handler type');
  const old = pod({ containers: [c()], restartPolicy: 'Always' });
  assert.equal(msg('', 'pods', 'Pod', pod({ containers: [c({ image: 'nginx:2' })], restartPolicy: 'Always' }), old), '');
  const m = msg('', 'pods', 'Pod', pod({ containers: [c()], restartPolicy: 'Never' }), old);
  assert.ok(m.startsWith('Pod "p" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n  core.PodSpec{'), m);
  assert.equal(msg('', 'pods', 'Pod', pod({ containers: [c(), c({ name: 'b' })] }), old), 'Pod "p" is invalid: spec.containers: Forbidden: pod updates may not add or remove containers');
});

test('pod warnings: fractional bytes, negative grace period, deprecated labels', () => {
  const w = validatorsFor('', 'pods').warnings!(pod({ terminationGracePeriodSeconds: -1, nodeSelector: { 'beta.kubernetes.io/arch': 'amd64' }, containers: [c({ resources: { limits: { memory: '1.5' } } })] }));
  assert.deepEqual(w, [
    'spec.nodeSelector[beta.kubernetes.io/arch]: deprecated since v1.14; use "kubernetes.io/arch" instead',
    'spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1',
    'spec.containers[0].resources.limits[memory]: fractional byte value "1500m" is invalid, must be an integer',
  ]);
});

function svc(spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec };
}

test('Service ports, names, types, node ports, clusterIP immutability', () => {
  assert.equal(msg('', 'services', 'Service', svc({ ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }], selector: { app: 'x' } })), '');
  assert.equal(msg('', 'services', 'Service', svc({ type: 'ClusterIP' })), 'Service "s" is invalid: spec.ports: Required value');
  assert.equal(msg('', 'services', 'Service', svc({ clusterIP: 'None' })), '');
  assert.equal(msg('', 'services', 'Service', svc({ type: 'ExternalName', externalName: 'example.com' })), '');
  assert.equal(msg('', 'services', 'Service', svc({ ports: [{ port: 80 }, { port: 81 }] })), 'Service "s" is invalid: [spec.ports[0].name: Required value, spec.ports[1].name: Required value]');
  assert.equal(msg('', 'services', 'Service', svc({ ports: [{ port: 0 }] })), 'Service "s" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive');
  assert.equal(msg('', 'services', 'Service', svc({ type: 'Foo', ports: [{ port: 80 }] })),
    'Service "s" is invalid: spec.type: Unsupported value: "Foo": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"');
  assert.equal(msg('', 'services', 'Service', svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] })),
    'Service "s" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767');
  const old = svc({ clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ port: 80 }] });
  assert.equal(msg('', 'services', 'Service', svc({ clusterIP: '10.96.0.11', clusterIPs: ['10.96.0.10'], ports: [{ port: 80 }] }), old),
    'Service "s" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set');
  assert.equal(msg('', 'services', 'Service', svc({ ports: [{ port: 81 }] }), old), '');
});

test('ConfigMap size, PVC rules, RBAC, PDB, PriorityClass, StorageClass, Ingress, HPA', () => {
  const big: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'x'.repeat(1024 * 1024 + 1) } };
  assert.equal(msg('', 'configmaps', 'ConfigMap', big), 'ConfigMap "c" is invalid: Too long: may not be more than 1048576 bytes');
  const pvc = (spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'p' }, spec, status });
  assert.equal(msg('', 'persistentvolumeclaims', 'PersistentVolumeClaim', pvc({ resources: { requests: { storage: '1Gi' } } })),
    'PersistentVolumeClaim "p" is invalid: spec.accessModes: Required value: at least 1 access mode is required');
  const okPvc = { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } };
  assert.equal(msg('', 'persistentvolumeclaims', 'PersistentVolumeClaim', pvc(okPvc)), '');
  assert.equal(msg('', 'persistentvolumeclaims', 'PersistentVolumeClaim', pvc({ ...okPvc, resources: { requests: { storage: '2Gi' } } }, { phase: 'Bound' }), pvc(okPvc, { phase: 'Bound' })), '');
  assert.match(msg('', 'persistentvolumeclaims', 'PersistentVolumeClaim', pvc({ ...okPvc, accessModes: ['ReadWriteMany'] }), pvc(okPvc, { phase: 'Bound' })),
    /^PersistentVolumeClaim "p" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests for bound claims\n/);
  const rb = (name: string): KubeObject => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name }, subjects: [{ kind: 'User', name: 'u', apiGroup: 'rbac.authorization.k8s.io' }] });
  assert.equal(msg('rbac.authorization.k8s.io', 'rolebindings', 'RoleBinding', rb('b'), rb('a')),
    'RoleBinding.rbac.authorization.k8s.io "b" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"b"}: cannot change roleRef');
  assert.equal(msg('rbac.authorization.k8s.io', 'roles', 'Role', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' }, rules: [{ apiGroups: [''], resources: ['pods'] }] }),
    'Role.rbac.authorization.k8s.io "r" is invalid: rules[0].verbs: Required value: verbs must contain at least one value');
  assert.match(msg('policy', 'poddisruptionbudgets', 'PodDisruptionBudget', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'd' }, spec: { minAvailable: 1, maxUnavailable: 1 } }),
    /spec: Invalid value: .*: minAvailable and maxUnavailable cannot be both set/);
  const pc = (value: number): KubeObject => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'hi' }, value });
  assert.equal(msg('scheduling.k8s.io', 'priorityclasses', 'PriorityClass', pc(2000000000)), 'PriorityClass.scheduling.k8s.io "hi" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000');
  assert.equal(msg('scheduling.k8s.io', 'priorityclasses', 'PriorityClass', pc(2), pc(1)), 'PriorityClass.scheduling.k8s.io "hi" is invalid: value: Forbidden: may not be changed in an update.');
  const sc = (provisioner: string): KubeObject => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'gp3' }, provisioner, reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer' });
  assert.equal(msg('storage.k8s.io', 'storageclasses', 'StorageClass', sc('')), 'StorageClass.storage.k8s.io "gp3" is invalid: provisioner: Required value');
  assert.equal(msg('storage.k8s.io', 'storageclasses', 'StorageClass', sc('ebs.csi.aws.com'), sc('kubernetes.io/aws-ebs')), 'StorageClass.storage.k8s.io "gp3" is invalid: provisioner: Forbidden: updates to provisioner are forbidden.');
  const ing: KubeObject = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i' }, spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Sometimes', backend: { service: { name: 'web' } } }] } }] } };
  assert.equal(msg('networking.k8s.io', 'ingresses', 'Ingress', ing),
    'Ingress.networking.k8s.io "i" is invalid: [spec.rules[0].http.paths[0].pathType: Unsupported value: "Sometimes": supported values: "Exact", "ImplementationSpecific", "Prefix", spec.rules[0].http.paths[0].backend: Required value: port name or number is required]');
  const hpa: KubeObject = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 3, maxReplicas: 2 } };
  assert.equal(msg('autoscaling', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', hpa), 'HorizontalPodAutoscaler.autoscaling "h" is invalid: spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`');
});
