/**
 * The kube-controller-manager controllers' ClusterRoles of 1.32
 * (bootstrappolicy/controller_policy.go, golden file testdata/controller-roles.yaml), without the
 * feature-gated ones: `system:controller:<name>`, each bound to the kube-system service account
 * `<name>` (bootstrap-policy.ts builds the objects). keks's own controllers run with the loopback
 * system:masters identity; these roles exist so clusters look and answer like upstream's.
 */
import { EVENTS, READ, r } from './rule-builders.js';
import type { PolicyRule } from './types.js';

const CRUD_W = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

export const CONTROLLER_ROLES: Array<{ name: string; rules: PolicyRule[] }> = [
  { name: 'attachdetach-controller', rules: [
    r(['list', 'watch'], [''], ['persistentvolumeclaims', 'persistentvolumes']),
    r(READ, [''], ['nodes']),
    r(['patch', 'update'], [''], ['nodes/status']),
    r(['list', 'watch'], [''], ['pods']),
    EVENTS,
    r(['create', 'delete', 'get', 'list', 'watch'], ['storage.k8s.io'], ['volumeattachments']),
    r(READ, ['storage.k8s.io'], ['csidrivers']),
    r(READ, ['storage.k8s.io'], ['csinodes']),
  ] },
  { name: 'certificate-controller', rules: [
    r(['delete', 'get', 'list', 'watch'], ['certificates.k8s.io'], ['certificatesigningrequests']),
    r(['update'], ['certificates.k8s.io'], ['certificatesigningrequests/approval', 'certificatesigningrequests/status']),
    r(['approve'], ['certificates.k8s.io'], ['signers'], ['kubernetes.io/kube-apiserver-client-kubelet']),
    r(['sign'], ['certificates.k8s.io'], ['signers'], ['kubernetes.io/kube-apiserver-client', 'kubernetes.io/kube-apiserver-client-kubelet', 'kubernetes.io/kubelet-serving', 'kubernetes.io/legacy-unknown']),
    r(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
    EVENTS,
  ] },
  { name: 'clusterrole-aggregation-controller', rules: [
    r(['escalate', 'get', 'list', 'patch', 'update', 'watch'], ['rbac.authorization.k8s.io'], ['clusterroles']),
  ] },
  { name: 'cronjob-controller', rules: [
    r(['get', 'list', 'update', 'watch'], ['batch'], ['cronjobs']),
    r(CRUD_W, ['batch'], ['jobs']),
    r(['update'], ['batch'], ['cronjobs/status']),
    r(['update'], ['batch'], ['cronjobs/finalizers']),
    r(['delete', 'list', 'watch'], [''], ['pods']),
    EVENTS,
  ] },
  { name: 'daemon-set-controller', rules: [
    r(READ, ['apps', 'extensions'], ['daemonsets']),
    r(['update'], ['apps', 'extensions'], ['daemonsets/status']),
    r(['update'], ['apps', 'extensions'], ['daemonsets/finalizers']),
    r(['list', 'watch'], [''], ['nodes']),
    r(['create', 'delete', 'list', 'patch', 'watch'], [''], ['pods']),
    r(['create'], [''], ['pods/binding']),
    r(CRUD_W, ['apps'], ['controllerrevisions']),
    EVENTS,
  ] },
  { name: 'deployment-controller', rules: [
    r(['get', 'list', 'update', 'watch'], ['apps', 'extensions'], ['deployments']),
    r(['update'], ['apps', 'extensions'], ['deployments/status']),
    r(['update'], ['apps', 'extensions'], ['deployments/finalizers']),
    r(CRUD_W, ['apps', 'extensions'], ['replicasets']),
    r(['get', 'list', 'update', 'watch'], [''], ['pods']),
    EVENTS,
  ] },
  { name: 'disruption-controller', rules: [
    r(READ, ['apps', 'extensions'], ['deployments']),
    r(READ, ['apps', 'extensions'], ['replicasets']),
    r(READ, [''], ['replicationcontrollers']),
    r(READ, ['policy'], ['poddisruptionbudgets']),
    r(READ, ['apps'], ['statefulsets']),
    r(['update'], ['policy'], ['poddisruptionbudgets/status']),
    r(['patch', 'update'], [''], ['pods/status']),
    r(['get'], ['*'], ['*/scale']),
    EVENTS,
  ] },
  { name: 'endpoint-controller', rules: [
    r(READ, [''], ['pods', 'services']),
    r(['create', 'delete', 'get', 'list', 'update', 'watch'], [''], ['endpoints']),
    r(['create'], [''], ['endpoints/restricted']),
    EVENTS,
  ] },
  { name: 'endpointslice-controller', rules: [
    r(READ, [''], ['nodes', 'pods', 'services']),
    r(['update'], [''], ['services/finalizers']),
    r(['create', 'delete', 'get', 'list', 'update', 'watch'], ['discovery.k8s.io'], ['endpointslices']),
    EVENTS,
  ] },
  { name: 'endpointslicemirroring-controller', rules: [
    r(READ, [''], ['endpoints', 'services']),
    r(['update'], [''], ['services/finalizers']),
    r(['update'], [''], ['endpoints/finalizers']),
    r(['create', 'delete', 'get', 'list', 'update', 'watch'], ['discovery.k8s.io'], ['endpointslices']),
    EVENTS,
  ] },
  { name: 'ephemeral-volume-controller', rules: [
    r(READ, [''], ['pods']),
    r(['update'], [''], ['pods/finalizers']),
    r(['create', 'get', 'list', 'watch'], [''], ['persistentvolumeclaims']),
    EVENTS,
  ] },
  { name: 'expand-controller', rules: [
    r(['get', 'list', 'patch', 'update', 'watch'], [''], ['persistentvolumes']),
    r(['patch', 'update'], [''], ['persistentvolumeclaims/status']),
    r(READ, [''], ['persistentvolumeclaims']),
    EVENTS,
  ] },
  { name: 'generic-garbage-collector', rules: [
    r(['delete', 'get', 'list', 'patch', 'update', 'watch'], ['*'], ['*']),
    EVENTS,
  ] },
  { name: 'horizontal-pod-autoscaler', rules: [
    r(READ, ['autoscaling'], ['horizontalpodautoscalers']),
    r(['update'], ['autoscaling'], ['horizontalpodautoscalers/status']),
    r(['get', 'update'], ['*'], ['*/scale']),
    r(['list', 'watch'], [''], ['pods']),
    r(['list', 'watch'], ['metrics.k8s.io'], ['pods']),
    r(READ, ['custom.metrics.k8s.io'], ['*']),
    r(READ, ['external.metrics.k8s.io'], ['*']),
    EVENTS,
  ] },
  { name: 'job-controller', rules: [
    r(['get', 'list', 'patch', 'update', 'watch'], ['batch'], ['jobs']),
    r(['update'], ['batch'], ['jobs/status']),
    r(['update'], ['batch'], ['jobs/finalizers']),
    r(['create', 'delete', 'list', 'patch', 'watch'], [''], ['pods']),
    EVENTS,
  ] },
  { name: 'legacy-service-account-token-cleaner', rules: [
    r(['get'], [''], ['configmaps'], ['kube-apiserver-legacy-service-account-token-tracking']),
    r(['delete', 'patch'], [''], ['secrets']),
  ] },
  { name: 'namespace-controller', rules: [
    r(['delete', 'get', 'list', 'watch'], [''], ['namespaces']),
    r(['update'], [''], ['namespaces/finalize', 'namespaces/status']),
    r(['delete', 'deletecollection', 'get', 'list', 'watch'], ['*'], ['*']),
  ] },
  { name: 'node-controller', rules: [
    r(['delete', 'get', 'list', 'patch', 'update', 'watch'], [''], ['nodes']),
    r(['patch', 'update'], [''], ['nodes/status']),
    r(['patch', 'update'], [''], ['pods/status']),
    r(['delete', 'get', 'list', 'watch'], [''], ['pods']),
    EVENTS,
  ] },
  { name: 'persistent-volume-binder', rules: [
    r(['create', 'delete', 'get', 'list', 'update', 'watch'], [''], ['persistentvolumes']),
    r(['update'], [''], ['persistentvolumes/status']),
    r(['get', 'list', 'update', 'watch'], [''], ['persistentvolumeclaims']),
    r(['update'], [''], ['persistentvolumeclaims/status']),
    r(['create', 'delete', 'get', 'list', 'watch'], [''], ['pods']),
    r(READ, ['storage.k8s.io'], ['storageclasses']),
    r(['list', 'watch'], [''], ['nodes']),
    EVENTS,
    r(['watch'], [''], ['events']),
  ] },
  { name: 'pod-garbage-collector', rules: [
    r(['delete', 'list', 'watch'], [''], ['pods']),
    r(READ, [''], ['nodes']),
    r(['patch'], [''], ['pods/status']),
  ] },
  { name: 'pv-protection-controller', rules: [
    r(['get', 'list', 'update', 'watch'], [''], ['persistentvolumes']),
    EVENTS,
  ] },
  { name: 'pvc-protection-controller', rules: [
    r(['get', 'list', 'update', 'watch'], [''], ['persistentvolumeclaims']),
    r(['update'], [''], ['persistentvolumeclaims/status']),
    r(READ, [''], ['pods']),
    EVENTS,
  ] },
  { name: 'replicaset-controller', rules: [
    r(['get', 'list', 'update', 'watch'], ['apps', 'extensions'], ['replicasets']),
    r(['update'], ['apps', 'extensions'], ['replicasets/status']),
    r(['update'], ['apps', 'extensions'], ['replicasets/finalizers']),
    r(['create', 'delete', 'list', 'patch', 'watch'], [''], ['pods']),
    EVENTS,
  ] },
  { name: 'replication-controller', rules: [
    r(['get', 'list', 'update', 'watch'], [''], ['replicationcontrollers']),
    r(['update'], [''], ['replicationcontrollers/status']),
    r(['update'], [''], ['replicationcontrollers/finalizers']),
    r(['create', 'delete', 'list', 'patch', 'watch'], [''], ['pods']),
    EVENTS,
  ] },
  { name: 'resourcequota-controller', rules: [
    r(['list', 'watch'], ['*'], ['*']),
    r(['update'], [''], ['resourcequotas/status']),
    EVENTS,
  ] },
  { name: 'root-ca-cert-publisher', rules: [
    r(['create', 'update'], [''], ['configmaps']),
    EVENTS,
  ] },
  { name: 'route-controller', rules: [
    r(['list', 'watch'], [''], ['nodes']),
    r(['patch'], [''], ['nodes/status']),
    EVENTS,
  ] },
  { name: 'service-account-controller', rules: [
    r(['create'], [''], ['serviceaccounts']),
    EVENTS,
  ] },
  { name: 'service-controller', rules: [
    r(READ, [''], ['services']),
    r(['patch', 'update'], [''], ['services/status']),
    r(['list', 'watch'], [''], ['nodes']),
    EVENTS,
  ] },
  { name: 'statefulset-controller', rules: [
    r(['list', 'watch'], [''], ['pods']),
    r(READ, ['apps'], ['statefulsets']),
    r(['update'], ['apps'], ['statefulsets/status']),
    r(['update'], ['apps'], ['statefulsets/finalizers']),
    r(['create', 'delete', 'get', 'patch', 'update'], [''], ['pods']),
    r(CRUD_W, ['apps'], ['controllerrevisions']),
    r(['create', 'get', 'list', 'watch'], [''], ['persistentvolumeclaims']),
    r(['delete', 'update'], [''], ['persistentvolumeclaims']),
    r(['update'], [''], ['pods/finalizers']),
    EVENTS,
  ] },
  { name: 'ttl-after-finished-controller', rules: [
    r(['delete', 'get', 'list', 'watch'], ['batch'], ['jobs']),
    EVENTS,
  ] },
  { name: 'ttl-controller', rules: [
    r(['list', 'patch', 'update', 'watch'], [''], ['nodes']),
    EVENTS,
  ] },
  { name: 'validatingadmissionpolicy-status-controller', rules: [
    r(READ, ['admissionregistration.k8s.io'], ['validatingadmissionpolicies']),
    r(['get', 'patch', 'update'], ['admissionregistration.k8s.io'], ['validatingadmissionpolicies/status']),
    EVENTS,
  ] },
];
