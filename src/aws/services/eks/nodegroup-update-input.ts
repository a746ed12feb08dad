/**
 * UpdateNodegroupConfig's request → the change it asks for and the Update params EKS reports
 * (aws-api-surface.md §2.3: MinSize/MaxSize/DesiredSize as string ints, LabelsToAdd as a JSON
 * map string, LabelsToRemove as a JSON array, TaintsToAdd/TaintsToRemove as JSON arrays,
 * MaxUnavailable…), and the DescribeNodegroup wire shape. Pure functions of their inputs.
 */
import type { AutoScalingGroupInfo } from '../../core/backends.js';
import { epochSeconds, invalidParameter, optObject, optObjectList, optStringList, optStringMap } from './nodegroup-common.js';
import {
  mergeUpdateScaling, parseTaints, parseUpdateConfig, taintId, validateLabels, type EksTaint, type NodegroupRecord, type ScalingConfig, type UpdateConfig,
} from './nodegroup-input.js';
import type { NodeConfigChange } from './nodegroup-nodes.js';

export interface ConfigUpdate {
  params: Array<{ type: string; value: string }>;
  /** What changes on the Nodes. */
  change: NodeConfigChange;
  /** New sizes (merged with the current ones) when scalingConfig was given. */
  scaling?: ScalingConfig;
  updateConfig?: UpdateConfig;
  repair?: { enabled: boolean };
  /** The node group's labels and taints after the change. */
  labels: Record<string, string>;
  taints: EksTaint[];
}

/** Validates an UpdateNodegroupConfig body against the node group and its current sizes (from the ASG). */
export function parseConfigUpdate(body: Record<string, unknown>, r: NodegroupRecord, current: ScalingConfig): ConfigUpdate {
  const params: Array<{ type: string; value: string }> = [];
  const change: NodeConfigChange = {};
  const labels = optObject(body, 'labels');
  if (labels) {
    const add = validateLabels(optStringMap(labels, 'addOrUpdateLabels') ?? {});
    const remove = optStringList(labels, 'removeLabels') ?? [];
    const both = remove.find((k) => k in add);
    if (both) throw invalidParameter(`The label key ${both} cannot be both added and removed in the same request`); // [inferred]
    if (Object.keys(add).length) { change.labelsToAdd = add; params.push({ type: 'LabelsToAdd', value: JSON.stringify(add) }); }
    if (remove.length) { change.labelsToRemove = remove; params.push({ type: 'LabelsToRemove', value: JSON.stringify(remove) }); }
  }
  const taints = optObject(body, 'taints');
  if (taints) {
    const add = parseTaints(optObjectList(taints, 'addOrUpdateTaints'));
    // removeTaints entries: key and effect identify the taint (the value is optional).
    const remove = parseTaints(optObjectList(taints, 'removeTaints'));
    const addIds = new Set(add.map(taintId));
    const both = remove.find((t) => addIds.has(taintId(t)));
    if (both) throw invalidParameter(`The taint ${both.key} cannot be both added and removed in the same request`); // [inferred]
    if (add.length) { change.taintsToAdd = add; params.push({ type: 'TaintsToAdd', value: JSON.stringify(add) }); }
    if (remove.length) { change.taintsToRemove = remove; params.push({ type: 'TaintsToRemove', value: JSON.stringify(remove) }); }
  }
  let scaling: ScalingConfig | undefined;
  const rawScaling = optObject(body, 'scalingConfig');
  if (rawScaling) {
    const { merged, given } = mergeUpdateScaling(rawScaling, current);
    scaling = merged;
    if (given.minSize !== undefined) params.push({ type: 'MinSize', value: String(given.minSize) });
    if (given.maxSize !== undefined) params.push({ type: 'MaxSize', value: String(given.maxSize) });
    if (given.desiredSize !== undefined) params.push({ type: 'DesiredSize', value: String(given.desiredSize) });
  }
  const rawUpdate = optObject(body, 'updateConfig');
  const updateConfig = rawUpdate ? parseUpdateConfig(rawUpdate, scaling?.maxSize ?? current.maxSize) : undefined;
  if (updateConfig?.maxUnavailable !== undefined) params.push({ type: 'MaxUnavailable', value: String(updateConfig.maxUnavailable) });
  if (updateConfig?.maxUnavailablePercentage !== undefined) params.push({ type: 'MaxUnavailablePercentage', value: String(updateConfig.maxUnavailablePercentage) });
  const rawRepair = optObject(body, 'nodeRepairConfig');
  const repair = rawRepair ? { enabled: rawRepair.enabled === true } : undefined;
  if (repair) params.push({ type: 'NodeRepairEnabled', value: String(repair.enabled) });
  if (params.length === 0) throw invalidParameter('No changes needed for the nodegroup configuration'); // [inferred]
  // The maxUnavailable limit also applies against a new, smaller maxSize.
  if (scaling && !updateConfig && r.updateConfig.maxUnavailable !== undefined && r.updateConfig.maxUnavailable > Math.max(1, scaling.maxSize)) {
    throw invalidParameter('max-unavailable must be within the range 1 and max size of the node group');
  }
  const nextLabels = { ...r.labels, ...(change.labelsToAdd ?? {}) };
  for (const k of change.labelsToRemove ?? []) delete nextLabels[k];
  const drop = new Set([...(change.taintsToRemove ?? []), ...(change.taintsToAdd ?? [])].map(taintId));
  const nextTaints = [...r.taints.filter((t) => !drop.has(taintId(t))), ...(change.taintsToAdd ?? [])];
  return { params, change, scaling, updateConfig, repair, labels: nextLabels, taints: nextTaints };
}

/** DescribeNodegroup's shape; scalingConfig from the ASG when it exists (the source of truth). */
export function nodegroupToWire(r: NodegroupRecord, g: AutoScalingGroupInfo | undefined): Record<string, unknown> {
  const scalingConfig: ScalingConfig = g ? { minSize: g.minSize, maxSize: g.maxSize, desiredSize: g.desiredCapacity } : r.scaling;
  return {
    nodegroupName: r.nodegroupName, nodegroupArn: r.arn, clusterName: r.clusterName, version: r.version, releaseVersion: r.releaseVersion,
    createdAt: epochSeconds(r.createdAt), modifiedAt: epochSeconds(r.modifiedAt), status: r.status, capacityType: r.capacityType,
    scalingConfig, instanceTypes: r.instanceTypes, subnets: r.subnets,
    ...(r.remoteAccess ? { remoteAccess: r.remoteAccess } : {}),
    amiType: r.amiType, nodeRole: r.nodeRole, labels: r.labels,
    ...(r.taints.length ? { taints: r.taints } : {}),
    resources: { autoScalingGroups: [{ name: r.asgName }], ...(r.remoteAccessSecurityGroup ? { remoteAccessSecurityGroup: r.remoteAccessSecurityGroup } : {}) },
    ...(r.diskSize !== undefined ? { diskSize: r.diskSize } : {}),
    health: r.health, updateConfig: r.updateConfig,
    ...(r.nodeRepairConfig ? { nodeRepairConfig: r.nodeRepairConfig } : {}),
    ...(r.launchTemplate ? { launchTemplate: r.launchTemplate } : {}),
    tags: r.tags,
  };
}
