/**
 * The EKS add-ons keks offers (DescribeAddonVersions): a small static table in the shape of
 * awscli examples/eks/describe-addon-versions.rst, one to a few versions per add-on, each
 * compatible with a range of Kubernetes minors, and exactly one `defaultVersion: true` per
 * (add-on, cluster minor) — the newest compatible version.
 */
import { SUPPORTED_VERSIONS } from './versions.js';

export interface AddonVersionSpec {
  addonVersion: string;
  /** Kubernetes minors ("1.30") this version runs on. */
  clusterVersions: string[];
  requiresIamPermissions: boolean;
}

export interface AddonSpec {
  addonName: string;
  type: string;
  owner: string;
  publisher: string;
  defaultNamespace: string;
  /** Newest first. */
  versions: AddonVersionSpec[];
}

const ALL = SUPPORTED_VERSIONS;
const from = (min: number, max = 99): string[] => ALL.filter((v) => Number(v.split('.')[1]) >= min && Number(v.split('.')[1]) <= max);

export const ADDONS: readonly AddonSpec[] = [
  { addonName: 'vpc-cni', type: 'networking', owner: 'aws', publisher: 'eks', defaultNamespace: 'kube-system', versions: [
    { addonVersion: 'v1.19.5-eksbuild.1', clusterVersions: from(28), requiresIamPermissions: true },
    { addonVersion: 'v1.19.2-eksbuild.1', clusterVersions: from(28), requiresIamPermissions: true },
    { addonVersion: 'v1.18.6-eksbuild.1', clusterVersions: from(28, 31), requiresIamPermissions: true },
  ] },
  { addonName: 'coredns', type: 'networking', owner: 'aws', publisher: 'eks', defaultNamespace: 'kube-system', versions: [
    { addonVersion: 'v1.12.1-eksbuild.2', clusterVersions: from(33), requiresIamPermissions: false },
    { addonVersion: 'v1.11.4-eksbuild.2', clusterVersions: from(29, 32), requiresIamPermissions: false },
    { addonVersion: 'v1.11.3-eksbuild.1', clusterVersions: from(29, 32), requiresIamPermissions: false },
    { addonVersion: 'v1.10.1-eksbuild.18', clusterVersions: from(28, 28), requiresIamPermissions: false },
  ] },
  { addonName: 'kube-proxy', type: 'networking', owner: 'aws', publisher: 'eks', defaultNamespace: 'kube-system', versions: [
    { addonVersion: 'v1.33.0-eksbuild.2', clusterVersions: from(33, 33), requiresIamPermissions: false },
    { addonVersion: 'v1.32.0-eksbuild.2', clusterVersions: from(32, 32), requiresIamPermissions: false },
    { addonVersion: 'v1.31.3-eksbuild.2', clusterVersions: from(31, 31), requiresIamPermissions: false },
    { addonVersion: 'v1.30.6-eksbuild.3', clusterVersions: from(30, 30), requiresIamPermissions: false },
    { addonVersion: 'v1.29.10-eksbuild.3', clusterVersions: from(29, 29), requiresIamPermissions: false },
    { addonVersion: 'v1.28.15-eksbuild.4', clusterVersions: from(28, 28), requiresIamPermissions: false },
  ] },
  { addonName: 'aws-ebs-csi-driver', type: 'storage', owner: 'aws', publisher: 'eks', defaultNamespace: 'kube-system', versions: [
    { addonVersion: 'v1.41.0-eksbuild.1', clusterVersions: from(28), requiresIamPermissions: true },
    { addonVersion: 'v1.37.0-eksbuild.1', clusterVersions: from(28), requiresIamPermissions: true },
  ] },
  { addonName: 'eks-pod-identity-agent', type: 'security', owner: 'aws', publisher: 'eks', defaultNamespace: 'kube-system', versions: [
    { addonVersion: 'v1.3.5-eksbuild.2', clusterVersions: from(28), requiresIamPermissions: false },
    { addonVersion: 'v1.3.4-eksbuild.1', clusterVersions: from(28), requiresIamPermissions: false },
  ] },
  { addonName: 'metrics-server', type: 'observability', owner: 'community', publisher: 'eks', defaultNamespace: 'kube-system', versions: [
    { addonVersion: 'v0.7.2-eksbuild.3', clusterVersions: from(28), requiresIamPermissions: false },
    { addonVersion: 'v0.7.2-eksbuild.1', clusterVersions: from(28), requiresIamPermissions: false },
  ] },
];

export function addonSpec(name: string): AddonSpec | undefined {
  return ADDONS.find((a) => a.addonName === name);
}

/** The default version of an add-on on a cluster minor: the newest compatible one. */
export function defaultAddonVersion(spec: AddonSpec, clusterVersion: string): string | undefined {
  return spec.versions.find((v) => v.clusterVersions.includes(clusterVersion))?.addonVersion;
}

export function isCompatible(spec: AddonSpec, addonVersion: string, clusterVersion: string): boolean {
  return spec.versions.some((v) => v.addonVersion === addonVersion && v.clusterVersions.includes(clusterVersion));
}

export interface AddonVersionFilter {
  kubernetesVersion?: string;
  addonName?: string;
  types?: string[];
  publishers?: string[];
  owners?: string[];
}

/** DescribeAddonVersions' `addons` (AddonInfo shapes), filtered as the API filters them. */
export function describeAddonVersions(f: AddonVersionFilter): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const a of ADDONS) {
    if (f.addonName && a.addonName !== f.addonName) continue;
    if (f.types?.length && !f.types.includes(a.type)) continue;
    if (f.publishers?.length && !f.publishers.includes(a.publisher)) continue;
    if (f.owners?.length && !f.owners.includes(a.owner)) continue;
    const minors = f.kubernetesVersion ? [f.kubernetesVersion] : ALL;
    const versions = a.versions
      .filter((v) => v.clusterVersions.some((cv) => minors.includes(cv)))
      .map((v) => ({
        addonVersion: v.addonVersion,
        architecture: ['amd64', 'arm64'],
        computeTypes: ['ec2'],
        compatibilities: v.clusterVersions.filter((cv) => minors.includes(cv)).map((cv) => ({
          clusterVersion: cv, platformVersions: ['*'], defaultVersion: defaultAddonVersion(a, cv) === v.addonVersion,
        })),
        requiresConfiguration: false,
        requiresIamPermissions: v.requiresIamPermissions,
      }));
    if (versions.length === 0) continue;
    out.push({ addonName: a.addonName, type: a.type, addonVersions: versions, publisher: a.publisher, owner: a.owner, defaultNamespace: a.defaultNamespace });
  }
  return out;
}
