/**
 * Server-side printing entry point: the TablePrinter kube-apiserver 1.32 uses for a resource.
 * Resources whose stores register printerstorage.TableConvertor with
 * pkg/printers/internalversion.AddHandlers get that kind's columns; everything else — roles,
 * clusterroles, limitranges, csistoragecapacities (its store opts out), CRDs, unknown kinds —
 * gets rest.NewDefaultTableConvertor: NAME and CREATED AT (RFC3339, UTC).
 * Custom resources with additionalPrinterColumns are printed elsewhere (apiextensions).
 */
import type { TablePrinter } from './types.js';
import { col, columns, NAME, nameOf } from './columns.js';
import { DOC } from './descriptions.js';
import { rfc3339 } from './format.js';
import { podPrinter } from './pods.js';
import {
  componentStatusPrinter, configMapPrinter, endpointsPrinter, namespacePrinter, podTemplatePrinter,
  replicationControllerPrinter, resourceQuotaPrinter, secretPrinter, serviceAccountPrinter,
} from './core.js';
import { nodePrinter } from './nodes.js';
import { servicePrinter } from './services.js';
import { eventPrinter } from './events.js';
import { persistentVolumeClaimPrinter, persistentVolumePrinter } from './volumes.js';
import {
  controllerRevisionPrinter, daemonSetPrinter, deploymentPrinter, replicaSetPrinter, statefulSetPrinter,
} from './apps.js';
import { cronJobPrinter, jobPrinter } from './batch.js';
import { horizontalPodAutoscalerPrinter } from './autoscaling.js';
import {
  ingressClassPrinter, ingressPrinter, ipAddressPrinter, networkPolicyPrinter, serviceCIDRPrinter,
} from './networking.js';
import { clusterRoleBindingPrinter, roleBindingPrinter } from './rbac.js';
import {
  csiDriverPrinter, csiNodePrinter, storageClassPrinter, volumeAttachmentPrinter, volumeAttributesClassPrinter,
} from './storage.js';
import {
  apiServicePrinter, certificateSigningRequestPrinter, clusterTrustBundlePrinter, endpointSlicePrinter,
  leaseCandidatePrinter, leasePrinter, podDisruptionBudgetPrinter, priorityClassPrinter, runtimeClassPrinter,
} from './misc.js';
import {
  mutatingAdmissionPolicyBindingPrinter, mutatingAdmissionPolicyPrinter, mutatingWebhookConfigurationPrinter,
  validatingAdmissionPolicyBindingPrinter, validatingAdmissionPolicyPrinter, validatingWebhookConfigurationPrinter,
} from './admission.js';
import { flowSchemaPrinter, priorityLevelConfigurationPrinter, storageVersionPrinter } from './flowcontrol.js';
import {
  deviceClassPrinter, resourceClaimPrinter, resourceClaimTemplatePrinter, resourceSlicePrinter,
  storageVersionMigrationPrinter,
} from './resource.js';
import { dynamicPrinterFor } from './dynamic.js';

export type { PrintContext, TableCell, TableColumnDefinition, TablePrinter, TableRowCondition } from './types.js';

/** rest.NewDefaultTableConvertor: Name (format name) and Created At (type date, RFC3339 UTC). */
export const defaultPrinter: TablePrinter = {
  columns: columns(NAME, col('Created At', 'date', DOC['meta ObjectMeta.creationTimestamp'])),
  cells: (obj) => [nameOf(obj), rfc3339(obj.metadata?.creationTimestamp)],
};

/** "<group>/<resource>" → printer ('' is the core group). */
const PRINTERS: ReadonlyMap<string, TablePrinter> = new Map<string, TablePrinter>([
  ['/pods', podPrinter],
  ['/podtemplates', podTemplatePrinter],
  ['/replicationcontrollers', replicationControllerPrinter],
  ['/services', servicePrinter],
  ['/endpoints', endpointsPrinter],
  ['/nodes', nodePrinter],
  ['/events', eventPrinter],
  ['/namespaces', namespacePrinter],
  ['/secrets', secretPrinter],
  ['/serviceaccounts', serviceAccountPrinter],
  ['/persistentvolumes', persistentVolumePrinter],
  ['/persistentvolumeclaims', persistentVolumeClaimPrinter],
  ['/componentstatuses', componentStatusPrinter],
  ['/configmaps', configMapPrinter],
  ['/resourcequotas', resourceQuotaPrinter],
  ['apps/deployments', deploymentPrinter],
  ['apps/replicasets', replicaSetPrinter],
  ['apps/statefulsets', statefulSetPrinter],
  ['apps/daemonsets', daemonSetPrinter],
  ['apps/controllerrevisions', controllerRevisionPrinter],
  ['batch/jobs', jobPrinter],
  ['batch/cronjobs', cronJobPrinter],
  ['autoscaling/horizontalpodautoscalers', horizontalPodAutoscalerPrinter],
  ['networking.k8s.io/ingresses', ingressPrinter],
  ['networking.k8s.io/ingressclasses', ingressClassPrinter],
  ['networking.k8s.io/networkpolicies', networkPolicyPrinter],
  ['networking.k8s.io/servicecidrs', serviceCIDRPrinter],
  ['networking.k8s.io/ipaddresses', ipAddressPrinter],
  ['rbac.authorization.k8s.io/rolebindings', roleBindingPrinter],
  ['rbac.authorization.k8s.io/clusterrolebindings', clusterRoleBindingPrinter],
  ['storage.k8s.io/storageclasses', storageClassPrinter],
  ['storage.k8s.io/csidrivers', csiDriverPrinter],
  ['storage.k8s.io/csinodes', csiNodePrinter],
  ['storage.k8s.io/volumeattachments', volumeAttachmentPrinter],
  ['storage.k8s.io/volumeattributesclasses', volumeAttributesClassPrinter],
  ['coordination.k8s.io/leases', leasePrinter],
  ['coordination.k8s.io/leasecandidates', leaseCandidatePrinter],
  ['discovery.k8s.io/endpointslices', endpointSlicePrinter],
  ['policy/poddisruptionbudgets', podDisruptionBudgetPrinter],
  ['scheduling.k8s.io/priorityclasses', priorityClassPrinter],
  ['node.k8s.io/runtimeclasses', runtimeClassPrinter],
  ['certificates.k8s.io/certificatesigningrequests', certificateSigningRequestPrinter],
  ['certificates.k8s.io/clustertrustbundles', clusterTrustBundlePrinter],
  ['events.k8s.io/events', eventPrinter],
  ['admissionregistration.k8s.io/mutatingwebhookconfigurations', mutatingWebhookConfigurationPrinter],
  ['admissionregistration.k8s.io/validatingwebhookconfigurations', validatingWebhookConfigurationPrinter],
  ['admissionregistration.k8s.io/validatingadmissionpolicies', validatingAdmissionPolicyPrinter],
  ['admissionregistration.k8s.io/validatingadmissionpolicybindings', validatingAdmissionPolicyBindingPrinter],
  ['admissionregistration.k8s.io/mutatingadmissionpolicies', mutatingAdmissionPolicyPrinter],
  ['admissionregistration.k8s.io/mutatingadmissionpolicybindings', mutatingAdmissionPolicyBindingPrinter],
  ['flowcontrol.apiserver.k8s.io/flowschemas', flowSchemaPrinter],
  ['flowcontrol.apiserver.k8s.io/prioritylevelconfigurations', priorityLevelConfigurationPrinter],
  ['internal.apiserver.k8s.io/storageversions', storageVersionPrinter],
  ['resource.k8s.io/deviceclasses', deviceClassPrinter],
  ['resource.k8s.io/resourceclaims', resourceClaimPrinter],
  ['resource.k8s.io/resourceclaimtemplates', resourceClaimTemplatePrinter],
  ['resource.k8s.io/resourceslices', resourceSlicePrinter],
  ['storagemigration.k8s.io/storageversionmigrations', storageVersionMigrationPrinter],
  ['apiregistration.k8s.io/apiservices', apiServicePrinter],
]);

export { registerDynamicPrinter } from './dynamic.js';

/** The printer for a resource (plural, lowercase) of a group; the default printer when none. */
export function printerFor(group: string, resource: string): TablePrinter {
  const key = group + '/' + resource;
  return dynamicPrinterFor(key) ?? PRINTERS.get(key) ?? defaultPrinter;
}

/** Resources ("group/resource") with a kind-specific printer, for tests and discovery checks. */
export function printedResources(): string[] {
  return [...PRINTERS.keys()];
}
