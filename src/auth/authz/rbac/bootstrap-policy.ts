/**
 * The bootstrap RBAC policy of kube-apiserver 1.32
 * (k8s.io/kubernetes/plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go), transcribed
 * from its golden files testdata/cluster-roles.yaml and cluster-role-bindings.yaml: the
 * ClusterRoles and ClusterRoleBindings the RBAC post-start hook creates when missing, each
 * labelled kubernetes.io/bootstrapping=rbac-defaults and annotated
 * rbac.authorization.kubernetes.io/autoupdate=true. admin, edit and view hold no rules of their
 * own: aggregation fills them from the system:aggregate-to-* roles (aggregation.ts).
 */
import type { BindingObject, PolicyRule, RoleObject, Subject } from './types.js';

import { CONTROLLER_ROLES } from './bootstrap-controller-roles.js';
import { EVENTS_WRITE, READ, RW, WRITE, r, u } from './rule-builders.js';

const RBAC = 'rbac.authorization.k8s.io';

const DEFAULT_LABELS = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const AUTOUPDATE = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };

interface RoleSpec { name: string; rules: PolicyRule[]; labels?: Record<string, string>; aggregateFrom?: string }

function clusterRole(s: RoleSpec): RoleObject & { apiVersion: string; kind: string } {
  const role: RoleObject & { apiVersion: string; kind: string } = {
    apiVersion: `${RBAC}/v1`, kind: 'ClusterRole',
    metadata: { name: s.name, labels: { ...DEFAULT_LABELS, ...s.labels }, annotations: { ...AUTOUPDATE } },
    rules: s.rules,
  };
  if (s.aggregateFrom) role.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { [`${RBAC}/aggregate-to-${s.aggregateFrom}`]: 'true' } }] };
  return role;
}

const aggregateTo = (which: string): Record<string, string> => ({ [`${RBAC}/aggregate-to-${which}`]: 'true' });

const SPECS: RoleSpec[] = [
  { name: 'admin', rules: [], aggregateFrom: 'admin' },
  { name: 'cluster-admin', rules: [r(['*'], ['*'], ['*']), u(['*'], ['*'])] },
  { name: 'edit', rules: [], aggregateFrom: 'edit', labels: aggregateTo('admin') },
  { name: 'system:aggregate-to-admin', labels: aggregateTo('admin'), rules: [
    r(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
    r(RW, [RBAC], ['rolebindings', 'roles']),
  ] },
  { name: 'system:aggregate-to-edit', labels: aggregateTo('edit'), rules: [
    r(READ, [''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy']),
    r(['impersonate'], [''], ['serviceaccounts']),
    r(WRITE, [''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy']),
    r(['create'], [''], ['pods/eviction']),
    r(WRITE, [''], ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy']),
    r(['create'], [''], ['serviceaccounts/token']),
    r(WRITE, ['apps'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale']),
    r(WRITE, ['autoscaling'], ['horizontalpodautoscalers']),
    r(WRITE, ['batch'], ['cronjobs', 'jobs']),
    r(WRITE, ['extensions'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'ingresses', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicationcontrollers/scale']),
    r(WRITE, ['policy'], ['poddisruptionbudgets']),
    r(WRITE, ['networking.k8s.io'], ['ingresses', 'networkpolicies']),
    r(RW, ['coordination.k8s.io'], ['leases']),
  ] },
  { name: 'system:aggregate-to-view', labels: aggregateTo('view'), rules: [
    r(READ, [''], ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status']),
    r(READ, [''], ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status']),
    r(READ, [''], ['namespaces']),
    r(READ, ['discovery.k8s.io'], ['endpointslices']),
    r(READ, ['apps'], ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status']),
    r(READ, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
    r(READ, ['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']),
    r(READ, ['extensions'], ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses', 'ingresses/status', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale']),
    r(READ, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
    r(READ, ['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies']),
  ] },
  { name: 'system:auth-delegator', rules: [
    r(['create'], ['authentication.k8s.io'], ['tokenreviews']),
    r(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
  ] },
  { name: 'system:basic-user', rules: [
    r(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
    r(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
  ] },
  { name: 'system:certificates.k8s.io:certificatesigningrequests:nodeclient', rules: [r(['create'], ['certificates.k8s.io'], ['certificatesigningrequests/nodeclient'])] },
  { name: 'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', rules: [r(['create'], ['certificates.k8s.io'], ['certificatesigningrequests/selfnodeclient'])] },
  { name: 'system:certificates.k8s.io:kube-apiserver-client-approver', rules: [r(['approve'], ['certificates.k8s.io'], ['signers'], ['kubernetes.io/kube-apiserver-client'])] },
  { name: 'system:certificates.k8s.io:kube-apiserver-client-kubelet-approver', rules: [r(['approve'], ['certificates.k8s.io'], ['signers'], ['kubernetes.io/kube-apiserver-client-kubelet'])] },
  { name: 'system:certificates.k8s.io:kubelet-serving-approver', rules: [r(['approve'], ['certificates.k8s.io'], ['signers'], ['kubernetes.io/kubelet-serving'])] },
  { name: 'system:certificates.k8s.io:legacy-unknown-approver', rules: [r(['approve'], ['certificates.k8s.io'], ['signers'], ['kubernetes.io/legacy-unknown'])] },
  { name: 'system:discovery', rules: [u(['get'], ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'])] },
  { name: 'system:heapster', rules: [
    r(READ, [''], ['events', 'namespaces', 'nodes', 'pods']),
    r(READ, ['extensions'], ['deployments']),
  ] },
  { name: 'system:kube-aggregator', rules: [r(READ, [''], ['endpoints', 'services'])] },
  { name: 'system:kube-controller-manager', rules: [
    r(EVENTS_WRITE, ['', 'events.k8s.io'], ['events']),
    r(['create'], ['coordination.k8s.io'], ['leases']),
    r(['get', 'update'], ['coordination.k8s.io'], ['leases'], ['kube-controller-manager']),
    r(['create'], [''], ['secrets', 'serviceaccounts']),
    r(['delete'], [''], ['secrets']),
    r(['get'], [''], ['configmaps', 'namespaces', 'secrets', 'serviceaccounts']),
    r(['update'], [''], ['secrets', 'serviceaccounts']),
    r(['create'], ['authentication.k8s.io'], ['tokenreviews']),
    r(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
    r(['list', 'watch'], ['*'], ['*']),
    r(['create'], [''], ['serviceaccounts/token']),
  ] },
  { name: 'system:kube-dns', rules: [r(['list', 'watch'], [''], ['endpoints', 'services'])] },
  { name: 'system:kube-scheduler', rules: [
    r(EVENTS_WRITE, ['', 'events.k8s.io'], ['events']),
    r(['create'], ['coordination.k8s.io'], ['leases']),
    r(['get', 'update'], ['coordination.k8s.io'], ['leases'], ['kube-scheduler']),
    r(READ, [''], ['nodes']),
    r(['delete', 'get', 'list', 'watch'], [''], ['pods']),
    r(['create'], [''], ['bindings', 'pods/binding']),
    r(['patch', 'update'], [''], ['pods/status']),
    r(READ, [''], ['replicationcontrollers', 'services']),
    r(READ, ['apps', 'extensions'], ['replicasets']),
    r(READ, ['apps'], ['statefulsets']),
    r(READ, ['policy'], ['poddisruptionbudgets']),
    r(READ, [''], ['persistentvolumeclaims', 'persistentvolumes']),
    r(['create'], ['authentication.k8s.io'], ['tokenreviews']),
    r(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
    r(READ, ['storage.k8s.io'], ['csinodes']),
    r(READ, [''], ['namespaces']),
    r(READ, ['storage.k8s.io'], ['csidrivers']),
    r(READ, ['storage.k8s.io'], ['csistoragecapacities']),
  ] },
  { name: 'system:kubelet-api-admin', rules: [
    r(READ, [''], ['nodes']),
    r(['proxy'], [''], ['nodes']),
    r(['*'], [''], ['nodes/log', 'nodes/metrics', 'nodes/proxy', 'nodes/stats']),
  ] },
  { name: 'system:monitoring', rules: [u(['get'], ['/healthz', '/healthz/*', '/livez', '/livez/*', '/metrics', '/metrics/slis', '/readyz', '/readyz/*'])] },
  { name: 'system:node', rules: [
    r(['create'], ['authentication.k8s.io'], ['tokenreviews']),
    r(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews', 'subjectaccessreviews']),
    r(READ, [''], ['services']),
    r(['create', 'get', 'list', 'watch'], [''], ['nodes']),
    r(['patch', 'update'], [''], ['nodes/status']),
    r(['patch', 'update'], [''], ['nodes']),
    r(EVENTS_WRITE, [''], ['events']),
    r(READ, [''], ['pods']),
    r(['create', 'delete'], [''], ['pods']),
    r(['patch', 'update'], [''], ['pods/status']),
    r(['create'], [''], ['pods/eviction']),
    r(READ, [''], ['configmaps', 'secrets']),
    r(['get'], [''], ['persistentvolumeclaims', 'persistentvolumes']),
    r(['get'], [''], ['endpoints']),
    r(['create', 'get', 'list', 'watch'], ['certificates.k8s.io'], ['certificatesigningrequests']),
    r(['create', 'delete', 'get', 'patch', 'update'], ['coordination.k8s.io'], ['leases']),
    r(['get'], ['storage.k8s.io'], ['volumeattachments']),
    r(['create'], [''], ['serviceaccounts/token']),
    r(['get', 'patch', 'update'], [''], ['persistentvolumeclaims/status']),
    r(READ, ['storage.k8s.io'], ['csidrivers']),
    r(['create', 'delete', 'get', 'patch', 'update'], ['storage.k8s.io'], ['csinodes']),
    r(READ, ['node.k8s.io'], ['runtimeclasses']),
  ] },
  { name: 'system:node-bootstrapper', rules: [r(['create', 'get', 'list', 'watch'], ['certificates.k8s.io'], ['certificatesigningrequests'])] },
  { name: 'system:node-problem-detector', rules: [
    r(['get'], [''], ['nodes']),
    r(['patch'], [''], ['nodes/status']),
    r(EVENTS_WRITE, ['', 'events.k8s.io'], ['events']),
  ] },
  { name: 'system:node-proxier', rules: [
    r(['list', 'watch'], [''], ['endpoints', 'services']),
    r(READ, [''], ['nodes']),
    r(EVENTS_WRITE, ['', 'events.k8s.io'], ['events']),
    r(['list', 'watch'], ['discovery.k8s.io'], ['endpointslices']),
  ] },
  { name: 'system:persistent-volume-provisioner', rules: [
    r(['create', 'delete', 'get', 'list', 'watch'], [''], ['persistentvolumes']),
    r(['get', 'list', 'update', 'watch'], [''], ['persistentvolumeclaims']),
    r(READ, ['storage.k8s.io'], ['storageclasses']),
    r(['watch'], [''], ['events']),
    r(EVENTS_WRITE, ['', 'events.k8s.io'], ['events']),
  ] },
  { name: 'system:public-info-viewer', rules: [u(['get'], ['/healthz', '/livez', '/readyz', '/version', '/version/'])] },
  { name: 'system:service-account-issuer-discovery', rules: [u(['get'], ['/.well-known/openid-configuration', '/openid/v1/jwks'])] },
  { name: 'system:volume-scheduler', rules: [
    r(['get', 'list', 'patch', 'update', 'watch'], [''], ['persistentvolumes']),
    r(READ, ['storage.k8s.io'], ['storageclasses']),
    r(['get', 'list', 'patch', 'update', 'watch'], [''], ['persistentvolumeclaims']),
  ] },
  { name: 'view', rules: [], aggregateFrom: 'view', labels: aggregateTo('edit') },
];

const group = (name: string): Subject => ({ apiGroup: RBAC, kind: 'Group', name });
const user = (name: string): Subject => ({ apiGroup: RBAC, kind: 'User', name });

/** ClusterRoleBindings (policy.go ClusterRoleBindings()): binding name = role name. */
const BINDINGS: Array<[string, Subject[]]> = [
  ['cluster-admin', [group('system:masters')]],
  ['system:basic-user', [group('system:authenticated')]],
  ['system:discovery', [group('system:authenticated')]],
  ['system:kube-controller-manager', [user('system:kube-controller-manager')]],
  ['system:kube-dns', [{ kind: 'ServiceAccount', name: 'kube-dns', namespace: 'kube-system' }]],
  ['system:kube-scheduler', [user('system:kube-scheduler')]],
  ['system:monitoring', [group('system:monitoring')]],
  ['system:node', []],
  ['system:node-proxier', [user('system:kube-proxy')]],
  ['system:public-info-viewer', [group('system:authenticated'), group('system:unauthenticated')]],
  ['system:service-account-issuer-discovery', [group('system:serviceaccounts')]],
  ['system:volume-scheduler', [user('system:kube-scheduler')]],
];

export type BootstrapClusterRole = ReturnType<typeof clusterRole>;
export type BootstrapBinding = BindingObject & { apiVersion: string; kind: string };

/** Fresh copies (callers may mutate them). */
export function bootstrapClusterRoles(): BootstrapClusterRole[] {
  return structuredClone([...SPECS.map(clusterRole), ...controllerRoleObjects()]);
}

export function bootstrapClusterRoleBindings(): BootstrapBinding[] {
  return structuredClone([...BINDINGS.map(([name, subjects]): BootstrapBinding => ({
    apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding',
    metadata: { name, labels: { ...DEFAULT_LABELS }, annotations: { ...AUTOUPDATE } },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name },
    // An empty subjects list is left out (system:node binds nobody since 1.8).
    ...(subjects.length ? { subjects } : {}),
  })), ...controllerBindingObjects()]);
}

const CONTROLLER_PREFIX = 'system:controller:';

function controllerRoleObjects(): BootstrapClusterRole[] {
  return CONTROLLER_ROLES.map(({ name, rules }) => clusterRole({ name: CONTROLLER_PREFIX + name, rules }));
}

/** controller_policy.go: each controller's role bound to its kube-system service account. */
function controllerBindingObjects(): BootstrapBinding[] {
  return CONTROLLER_ROLES.map(({ name }): BootstrapBinding => ({
    apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding',
    metadata: { name: CONTROLLER_PREFIX + name, labels: { ...DEFAULT_LABELS }, annotations: { ...AUTOUPDATE } },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: CONTROLLER_PREFIX + name },
    subjects: [{ kind: 'ServiceAccount', name, namespace: 'kube-system' }],
  }));
}
