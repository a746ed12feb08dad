// Hand tables for what the OpenAPI spec does not carry: which group-versions a default
// kube-apiserver 1.32 serves, the discovery order of groups, short names and categories, and
// the feature-gated paths a default server leaves out. Values copied from upstream 1.32:
//   group order:  cmd/kube-apiserver/app/aggregator.go apiVersionPriorities and
//                 pkg/controlplane/apiserver/aggregator.go DefaultGenericAPIServicePriorities
//                 (higher group priority first, ties by group name; apiregistration.k8s.io, the
//                 aggregator's own group, is listed first by kube-aggregator)
//   short names / categories: each resource's REST storage (ShortNames()/Categories()) under
//                 pkg/registry/** and staging/src/k8s.io/{apiextensions-apiserver,kube-aggregator}

/** Kubernetes version the generated documents describe (OpenAPI info.version, as completeOpenAPI sets it). */
export const KUBE_VERSION = 'v1.32.4';

/**
 * Group-versions a default 1.32 server serves, with [groupPriority, versionPriority].
 * Beta APIs introduced after 1.24 are off by default (KEP-3136), alpha always: so
 * admissionregistration v1beta1/v1alpha1, authentication v1beta1, certificates v1alpha1,
 * coordination v1alpha2, networking v1beta1, resource.k8s.io/*, storage v1alpha1/v1beta1,
 * storagemigration and internal.apiserver are not listed.
 */
export const SERVED_GROUP_VERSIONS = {
  'v1': [18000, 1],
  'apiregistration.k8s.io/v1': [18100, 15],
  'apps/v1': [17800, 15],
  'events.k8s.io/v1': [17750, 15],
  'authentication.k8s.io/v1': [17700, 15],
  'authorization.k8s.io/v1': [17600, 15],
  'autoscaling/v2': [17500, 30],
  'autoscaling/v1': [17500, 15],
  'batch/v1': [17400, 15],
  'certificates.k8s.io/v1': [17300, 15],
  'networking.k8s.io/v1': [17200, 15],
  'policy/v1': [17100, 15],
  'rbac.authorization.k8s.io/v1': [17000, 15],
  'storage.k8s.io/v1': [16800, 15],
  'admissionregistration.k8s.io/v1': [16700, 15],
  'apiextensions.k8s.io/v1': [16700, 15],
  'scheduling.k8s.io/v1': [16600, 15],
  'coordination.k8s.io/v1': [16500, 15],
  'node.k8s.io/v1': [16300, 15],
  'discovery.k8s.io/v1': [16200, 15],
  'flowcontrol.apiserver.k8s.io/v1': [16100, 21],
};

/**
 * Groups left out of the catalog even though a default kube-apiserver serves them. Empty: keks
 * lists every default group (apiregistration.k8s.io included: APIService objects are plain
 * storage for keks). Add a group here to drop it from discovery and from /openapi.
 */
export const OMITTED_GROUPS = [];

/**
 * Paths a default 1.32 server does not register because their feature gate is alpha/off.
 * pods/resize: pkg/registry/core/rest/storage_core.go registers it only with
 * InPlacePodVerticalScaling (alpha in 1.32).
 */
export const GATED_PATH_SUFFIXES = ['/pods/{name}/resize'];

/** Short names by "group/resource" (core group: "/resource"). */
export const SHORT_NAMES = {
  '/componentstatuses': ['cs'],
  '/configmaps': ['cm'],
  '/endpoints': ['ep'],
  '/events': ['ev'],
  '/limitranges': ['limits'],
  '/namespaces': ['ns'],
  '/nodes': ['no'],
  '/persistentvolumeclaims': ['pvc'],
  '/persistentvolumes': ['pv'],
  '/pods': ['po'],
  '/replicationcontrollers': ['rc'],
  '/resourcequotas': ['quota'],
  '/serviceaccounts': ['sa'],
  '/services': ['svc'],
  'apiextensions.k8s.io/customresourcedefinitions': ['crd', 'crds'],
  'apps/daemonsets': ['ds'],
  'apps/deployments': ['deploy'],
  'apps/replicasets': ['rs'],
  'apps/statefulsets': ['sts'],
  'autoscaling/horizontalpodautoscalers': ['hpa'],
  'batch/cronjobs': ['cj'],
  'certificates.k8s.io/certificatesigningrequests': ['csr'],
  'events.k8s.io/events': ['ev'],
  'networking.k8s.io/ingresses': ['ing'],
  'networking.k8s.io/networkpolicies': ['netpol'],
  'policy/poddisruptionbudgets': ['pdb'],
  'scheduling.k8s.io/priorityclasses': ['pc'],
  'storage.k8s.io/storageclasses': ['sc'],
};

/** Categories by "group/resource". "all" drives `kubectl get all`. */
export const CATEGORIES = {
  '/pods': ['all'],
  '/replicationcontrollers': ['all'],
  '/services': ['all'],
  'apps/daemonsets': ['all'],
  'apps/deployments': ['all'],
  'apps/replicasets': ['all'],
  'apps/statefulsets': ['all'],
  'autoscaling/horizontalpodautoscalers': ['all'],
  'batch/cronjobs': ['all'],
  'batch/jobs': ['all'],
  'admissionregistration.k8s.io/mutatingwebhookconfigurations': ['api-extensions'],
  'admissionregistration.k8s.io/validatingadmissionpolicies': ['api-extensions'],
  'admissionregistration.k8s.io/validatingadmissionpolicybindings': ['api-extensions'],
  'admissionregistration.k8s.io/validatingwebhookconfigurations': ['api-extensions'],
  'apiextensions.k8s.io/customresourcedefinitions': ['api-extensions'],
  'apiregistration.k8s.io/apiservices': ['api-extensions'],
};
