/**
 * Managed node group inputs: the stored record's shape, CreateNodegroup defaults and validation,
 * and the UpdateNodegroupConfig payloads (scaling, labels, taints, updateConfig), with EKS's
 * messages where they are known (aws-api-surface.md §2.4; moto; public issues). Messages marked
 * [inferred] follow the style of the known ones.
 */
import { createHash } from 'node:crypto';
import {
  invalidParameter, optInt, optObject, optObjectList, optString, optStringList, optStringMap, reqString, validateTags,
} from './nodegroup-common.js';
import type { EksUpdate } from './model.js';

export type NodegroupStatus = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING' | 'CREATE_FAILED' | 'DELETE_FAILED' | 'DEGRADED';
export type TaintEffect = 'NO_SCHEDULE' | 'NO_EXECUTE' | 'PREFER_NO_SCHEDULE';
export type CapacityType = 'ON_DEMAND' | 'SPOT' | 'CAPACITY_BLOCK';

export interface EksTaint { key: string; value?: string; effect: TaintEffect }
export interface ScalingConfig { minSize: number; maxSize: number; desiredSize: number }
export interface UpdateConfig { maxUnavailable?: number; maxUnavailablePercentage?: number; updateStrategy?: string }
export interface LaunchTemplateSpec { name?: string; id?: string; version?: string }
export interface HealthIssue { code: string; message: string; resourceIds: string[] }

/** A node group as stored (times in epoch ms). The ASG is the source of truth for sizes; `scaling` is the last known copy. */
export interface NodegroupRecord {
  accountId: string;
  region: string;
  clusterName: string;
  nodegroupName: string;
  uuid: string;
  arn: string;
  status: NodegroupStatus;
  createdAt: number;
  modifiedAt: number;
  /** CREATING/UPDATING become ACTIVE at this time (0 = by the next read). */
  readyAt?: number;
  version: string;
  releaseVersion: string;
  capacityType: CapacityType;
  instanceTypes: string[];
  subnets: string[];
  amiType: string;
  nodeRole: string;
  labels: Record<string, string>;
  taints: EksTaint[];
  diskSize?: number;
  remoteAccess?: { ec2SshKey?: string; sourceSecurityGroups?: string[] };
  remoteAccessSecurityGroup?: string;
  launchTemplate?: LaunchTemplateSpec;
  updateConfig: UpdateConfig;
  nodeRepairConfig?: { enabled?: boolean };
  tags: Record<string, string>;
  clientRequestToken?: string;
  asgName: string;
  /** The launch template the instances come from (EKS makes one per node group when none is given). */
  sourceLaunchTemplateId: string;
  sourceLaunchTemplateVersion: string;
  imageId: string;
  scaling: ScalingConfig;
  health: { issues: HealthIssue[] };
  /** The Update (ConfigUpdate / VersionUpdate) while UPDATING. */
  pendingUpdate?: EksUpdate;
}

export const AMI_TYPES = [
  'AL2_x86_64', 'AL2_x86_64_GPU', 'AL2_ARM_64', 'CUSTOM', 'BOTTLEROCKET_ARM_64', 'BOTTLEROCKET_x86_64', 'BOTTLEROCKET_ARM_64_FIPS',
  'BOTTLEROCKET_x86_64_FIPS', 'BOTTLEROCKET_ARM_64_NVIDIA', 'BOTTLEROCKET_x86_64_NVIDIA', 'BOTTLEROCKET_ARM_64_NVIDIA_FIPS',
  'BOTTLEROCKET_x86_64_NVIDIA_FIPS', 'WINDOWS_CORE_2019_x86_64', 'WINDOWS_FULL_2019_x86_64', 'WINDOWS_CORE_2022_x86_64',
  'WINDOWS_FULL_2022_x86_64', 'WINDOWS_CORE_2025_x86_64', 'WINDOWS_FULL_2025_x86_64', 'AL2023_x86_64_STANDARD',
  'AL2023_ARM_64_STANDARD', 'AL2023_x86_64_NEURON', 'AL2023_x86_64_NVIDIA', 'AL2023_ARM_64_NVIDIA',
] as const;
const CAPACITY_TYPES: readonly string[] = ['ON_DEMAND', 'SPOT', 'CAPACITY_BLOCK'];
const TAINT_EFFECTS: readonly string[] = ['NO_SCHEDULE', 'NO_EXECUTE', 'PREFER_NO_SCHEDULE'];

export const DEFAULT_INSTANCE_TYPES = ['t3.medium'];
export const DEFAULT_AMI_TYPE = 'AL2023_x86_64_STANDARD';
/** Scaling when CreateNodegroup omits scalingConfig [inferred: AWS console defaults]. */
export const DEFAULT_SCALING: ScalingConfig = { minSize: 1, maxSize: 2, desiredSize: 2 };
/** AMI release date of the EKS-optimized AMIs keks reports (matches the simulator's kubelet/OS image). */
export const AMI_RELEASE_DATE = '20250414';
/** Kubernetes patch releases in the EKS AMIs of that date. */
const PATCH: Record<string, string> = {
  '1.33': '1.33.0', '1.32': '1.32.3', '1.31': '1.31.7', '1.30': '1.30.11', '1.29': '1.29.15', '1.28': '1.28.15', '1.27': '1.27.16',
  '1.26': '1.26.15', '1.25': '1.25.16', '1.24': '1.24.17', '1.23': '1.23.17',
};

/** The latest AMI release version for a Kubernetes minor version, e.g. 1.32 → 1.32.3-20250414. */
export function defaultReleaseVersion(version: string): string {
  return `${PATCH[version] ?? `${version}.0`}-${AMI_RELEASE_DATE}`;
}

function hex(seed: string, n: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, n);
}

/** The EKS-optimized AMI id of a region, AMI type and release (stable per input, like the SSM parameter). */
export function amiIdFor(region: string, amiType: string, releaseVersion: string): string {
  return `ami-0${hex(`${region}/${amiType}/${releaseVersion}`, 16)}`;
}

/** A launch template id (lt-0 + 16 hex) stable per seed. */
export function launchTemplateIdFor(seed: string): string {
  return `lt-0${hex(`lt/${seed}`, 16)}`;
}

export function securityGroupIdFor(seed: string): string {
  return `sg-0${hex(`sg/${seed}`, 16)}`;
}

/** Kubernetes taint effect of an EKS taint effect. */
export function k8sEffect(e: TaintEffect): 'NoSchedule' | 'NoExecute' | 'PreferNoSchedule' {
  return e === 'NO_SCHEDULE' ? 'NoSchedule' : e === 'NO_EXECUTE' ? 'NoExecute' : 'PreferNoSchedule';
}

// ---- validation -------------------------------------------------------------------------------

const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A qualified name as Kubernetes label keys need ([prefix/]name). */
function validLabelKey(k: string): boolean {
  const i = k.lastIndexOf('/');
  const name = i < 0 ? k : k.slice(i + 1);
  const prefix = i < 0 ? undefined : k.slice(0, i);
  return LABEL_NAME.test(name) && (prefix === undefined || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix)));
}

function validLabelValue(v: string): boolean {
  return v === '' || LABEL_NAME.test(v);
}

export function validateLabels(labels: Record<string, string>): Record<string, string> {
  for (const [k, v] of Object.entries(labels)) {
    if (!validLabelKey(k)) throw invalidParameter(`Label key ${k} is not a valid Kubernetes label key`);
    if (!validLabelValue(v)) throw invalidParameter(`Label value ${v} for key ${k} is not a valid Kubernetes label value`);
  }
  return labels;
}

export function parseTaints(list: Array<Record<string, unknown>> | undefined): EksTaint[] {
  if (!list) return [];
  if (list.length > 50) throw invalidParameter('A node group can have at most 50 taints');
  return list.map((t) => {
    const key = optString(t, 'key');
    const value = optString(t, 'value');
    const effect = optString(t, 'effect');
    if (!key || !validLabelKey(key)) throw invalidParameter(`Taint key ${key ?? ''} is not valid`);
    if (value !== undefined && !validLabelValue(value)) throw invalidParameter(`Taint value ${value} for key ${key} is not valid`);
    if (!effect || !TAINT_EFFECTS.includes(effect)) throw invalidParameter(`Taint effect ${effect ?? ''} is not valid. Valid effects: ${TAINT_EFFECTS.join(', ')}`);
    return { key, ...(value !== undefined ? { value } : {}), effect: effect as TaintEffect };
  });
}

/** updateConfig: one of maxUnavailable (1..maxSize, ≤ 100) or maxUnavailablePercentage (1..100). */
export function parseUpdateConfig(raw: Record<string, unknown> | undefined, maxSize: number, current?: UpdateConfig): UpdateConfig {
  if (!raw) return current ?? { maxUnavailable: 1 };
  const n = optInt(raw, 'maxUnavailable');
  const p = optInt(raw, 'maxUnavailablePercentage');
  const strategy = optString(raw, 'updateStrategy');
  if (strategy !== undefined && strategy !== 'DEFAULT' && strategy !== 'MINIMAL') throw invalidParameter(`updateStrategy ${strategy} is not valid`);
  if (n !== undefined && p !== undefined) throw invalidParameter('Only one of maxUnavailable or maxUnavailablePercentage can be specified'); // [inferred]
  if (n !== undefined && (n < 1 || n > Math.min(100, Math.max(1, maxSize)))) throw invalidParameter('max-unavailable must be within the range 1 and max size of the node group');
  if (p !== undefined && (p < 1 || p > 100)) throw invalidParameter('max-unavailable-percentage must be within the range 1 and 100'); // [inferred]
  const base = n === undefined && p === undefined ? { ...(current ?? { maxUnavailable: 1 }) } : {};
  return { ...base, ...(n !== undefined ? { maxUnavailable: n } : {}), ...(p !== undefined ? { maxUnavailablePercentage: p } : {}), ...(strategy ? { updateStrategy: strategy } : {}) };
}

/** Create: scalingConfig is all or none; min ≤ desired ≤ max (messages from real AWS). */
export function parseCreateScaling(raw: Record<string, unknown> | undefined): ScalingConfig {
  if (!raw) return { ...DEFAULT_SCALING };
  const minSize = optInt(raw, 'minSize');
  const maxSize = optInt(raw, 'maxSize');
  const desiredSize = optInt(raw, 'desiredSize');
  if (minSize === undefined || maxSize === undefined || desiredSize === undefined) {
    throw invalidParameter('scalingConfig must specify minSize, maxSize and desiredSize'); // [inferred]
  }
  checkBounds({ minSize, maxSize, desiredSize });
  if (minSize > desiredSize) throw invalidParameter("minSize can't be greater than desiredSize");
  if (desiredSize > maxSize) throw invalidParameter("desiredSize can't be greater than maxSize");
  return { minSize, maxSize, desiredSize };
}

function checkBounds(s: Partial<ScalingConfig>): void {
  if (s.minSize !== undefined && s.minSize < 0) throw invalidParameter('minSize must be greater than or equal to 0');
  if (s.maxSize !== undefined && s.maxSize < 1) throw invalidParameter('maxSize must be greater than or equal to 1');
  if (s.desiredSize !== undefined && s.desiredSize < 0) throw invalidParameter('desiredSize must be greater than or equal to 0');
}

/** Update: any subset, merged with the current sizes, then checked (real AWS: "Minimum capacity 8 can't be greater than desired size 4"). */
export function mergeUpdateScaling(raw: Record<string, unknown>, current: ScalingConfig): { merged: ScalingConfig; given: Partial<ScalingConfig> } {
  const given: Partial<ScalingConfig> = {};
  for (const k of ['minSize', 'maxSize', 'desiredSize'] as const) {
    const v = optInt(raw, k);
    if (v !== undefined) given[k] = v;
  }
  checkBounds(given);
  const merged = { ...current, ...given };
  if (merged.minSize > merged.desiredSize) throw invalidParameter(`Minimum capacity ${merged.minSize} can't be greater than desired size ${merged.desiredSize}`);
  if (merged.desiredSize > merged.maxSize) throw invalidParameter(`Desired capacity ${merged.desiredSize} can't be greater than max size ${merged.maxSize}`); // [inferred]
  if (merged.minSize > merged.maxSize) throw invalidParameter(`Minimum capacity ${merged.minSize} can't be greater than max size ${merged.maxSize}`); // [inferred]
  return { merged, given };
}

export interface CreateNodegroupInput {
  nodegroupName: string;
  subnets: string[];
  nodeRole: string;
  scaling: ScalingConfig;
  instanceTypes: string[];
  amiType: string;
  capacityType: CapacityType;
  diskSize?: number;
  labels: Record<string, string>;
  taints: EksTaint[];
  tags: Record<string, string>;
  remoteAccess?: { ec2SshKey?: string; sourceSecurityGroups?: string[] };
  launchTemplate?: LaunchTemplateSpec;
  updateConfig: UpdateConfig;
  nodeRepairConfig?: { enabled?: boolean };
  version?: string;
  releaseVersion?: string;
  clientRequestToken?: string;
}

const NODEGROUP_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]*$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;

/** Parses and validates a CreateNodegroup body (everything that does not need the cluster). */
export function parseCreateNodegroup(body: Record<string, unknown>, knownInstanceType?: (name: string) => boolean): CreateNodegroupInput {
  const nodegroupName = reqString(body, 'nodegroupName');
  if (nodegroupName.length > 63 || !NODEGROUP_NAME.test(nodegroupName)) {
    throw invalidParameter(`Nodegroup name ${nodegroupName} is not valid. It must be 1-63 characters, start with an alphanumeric character and contain only alphanumeric characters, hyphens and underscores.`); // [inferred]
  }
  const subnets = optStringList(body, 'subnets');
  if (!subnets || subnets.length === 0) throw invalidParameter('Subnets are required'); // [inferred]
  const nodeRole = reqString(body, 'nodeRole');
  if (!ROLE_ARN.test(nodeRole)) throw invalidParameter(`Invalid Role Arn: '${nodeRole}'`);
  const launchTemplate = optObject(body, 'launchTemplate') as LaunchTemplateSpec | undefined;
  const diskSize = optInt(body, 'diskSize');
  const remoteAccessRaw = optObject(body, 'remoteAccess');
  if (launchTemplate) {
    if (!launchTemplate.id && !launchTemplate.name) throw invalidParameter('Either launch template ID or name must be specified'); // [inferred]
    if (launchTemplate.id && launchTemplate.name) throw invalidParameter('Either launch template ID or name can be specified, not both'); // [inferred]
    if (diskSize !== undefined) throw invalidParameter('Disk size must be specified within the launch template.');
    if (remoteAccessRaw) throw invalidParameter('Remote access configuration cannot be specified with a launch template.');
  }
  if (diskSize !== undefined && diskSize < 1) throw invalidParameter('diskSize must be greater than 0'); // [inferred]
  const instanceTypes = optStringList(body, 'instanceTypes') ?? [...DEFAULT_INSTANCE_TYPES];
  if (instanceTypes.length === 0) throw invalidParameter('instanceTypes must contain at least one instance type'); // [inferred]
  for (const t of instanceTypes) if (knownInstanceType && !knownInstanceType(t)) throw invalidParameter(`Instance type ${t} is not supported`); // [inferred]
  const amiType = optString(body, 'amiType') ?? DEFAULT_AMI_TYPE;
  if (!(AMI_TYPES as readonly string[]).includes(amiType)) throw invalidParameter(`Invalid amiType ${amiType}. Valid values: ${AMI_TYPES.join(', ')}`); // [inferred]
  const capacityType = optString(body, 'capacityType') ?? 'ON_DEMAND';
  if (!CAPACITY_TYPES.includes(capacityType)) throw invalidParameter(`Invalid capacityType ${capacityType}`); // [inferred]
  const scaling = parseCreateScaling(optObject(body, 'scalingConfig'));
  const updateConfig = parseUpdateConfig(optObject(body, 'updateConfig'), scaling.maxSize);
  const remoteAccess = remoteAccessRaw
    ? { ...(optString(remoteAccessRaw, 'ec2SshKey') ? { ec2SshKey: optString(remoteAccessRaw, 'ec2SshKey') } : {}), ...(optStringList(remoteAccessRaw, 'sourceSecurityGroups') ? { sourceSecurityGroups: optStringList(remoteAccessRaw, 'sourceSecurityGroups') } : {}) }
    : undefined;
  const repair = optObject(body, 'nodeRepairConfig');
  return {
    nodegroupName, subnets, nodeRole, scaling, instanceTypes, amiType, capacityType: capacityType as CapacityType,
    diskSize: launchTemplate ? undefined : (diskSize ?? (amiType.startsWith('WINDOWS') ? 50 : 20)),
    labels: validateLabels(optStringMap(body, 'labels') ?? {}),
    taints: parseTaints(optObjectList(body, 'taints')),
    tags: validateTags(optStringMap(body, 'tags')),
    remoteAccess, launchTemplate, updateConfig,
    nodeRepairConfig: repair ? { enabled: repair.enabled === true } : undefined,
    version: optString(body, 'version'),
    releaseVersion: optString(body, 'releaseVersion'),
    clientRequestToken: optString(body, 'clientRequestToken'),
  };
}

/** `1.32.3-20250414`-style release versions, which must belong to the Kubernetes minor version. */
export function checkReleaseVersion(release: string, version: string): void {
  if (!/^\d+\.\d+\.\d+-\d{8}$/.test(release) || !release.startsWith(`${version}.`)) {
    throw invalidParameter(`Requested release version ${release} is not valid for kubernetes version ${version}.`); // [inferred]
  }
}

/** The taint identity EKS uses for add/remove: key + effect. */
export function taintId(t: { key: string; effect: string }): string {
  return `${t.key}:${t.effect}`;
}

/** The kubelet version nodes of a release report, e.g. 1.32.3-20250414 → v1.32.3-eks-473151a (the EKS build suffix). */
export function kubeletVersionFor(releaseVersion: string): string {
  const patch = releaseVersion.split('-')[0];
  const build = patch === '1.32.3' ? '473151a' : hex(`kubelet/${patch}`, 7);
  return `v${patch}-eks-${build}`;
}

/** What a Node of a node group carries besides what its instance says (for the node registrar). */
export interface NodegroupNodeConfig {
  clusterName: string;
  nodegroupName: string;
  labels: Record<string, string>;
  /** Kubernetes form (NoSchedule…). */
  taints: Array<{ key: string; value?: string; effect: 'NoSchedule' | 'NoExecute' | 'PreferNoSchedule' }>;
  capacityType: string;
  amiType: string;
  imageId: string;
  sourceLaunchTemplateId: string;
  sourceLaunchTemplateVersion: string;
  version: string;
  releaseVersion: string;
  kubeletVersion: string;
}

/** The node registrar's view of a node group. */
export function nodeConfigOf(r: NodegroupRecord): NodegroupNodeConfig {
  return {
    clusterName: r.clusterName, nodegroupName: r.nodegroupName, labels: { ...r.labels },
    taints: r.taints.map((t) => ({ key: t.key, ...(t.value ? { value: t.value } : {}), effect: k8sEffect(t.effect) })),
    capacityType: r.capacityType, amiType: r.amiType, imageId: r.imageId,
    sourceLaunchTemplateId: r.sourceLaunchTemplateId, sourceLaunchTemplateVersion: r.sourceLaunchTemplateVersion,
    version: r.version, releaseVersion: r.releaseVersion, kubeletVersion: kubeletVersionFor(r.releaseVersion),
  };
}
