/**
 * The EKS access policies (ListAccessPolicies; the real list of 19, awscli
 * examples/eks/list-access-policies.rst). ARNs have no region and the account `aws`. Sign-in maps
 * the four general policies to the upstream ClusterRoles they mirror (EKS docs "access policy
 * permissions": ClusterAdmin ≈ cluster-admin, Admin ≈ admin, Edit ≈ edit, View ≈ view).
 */

export const ACCESS_POLICY_NAMES = [
  'AmazonEKSAdminPolicy',
  'AmazonEKSAdminViewPolicy',
  'AmazonEKSAutoNodePolicy',
  'AmazonEKSBlockStorageClusterPolicy',
  'AmazonEKSBlockStoragePolicy',
  'AmazonEKSClusterAdminPolicy',
  'AmazonEKSComputeClusterPolicy',
  'AmazonEKSComputePolicy',
  'AmazonEKSEditPolicy',
  'AmazonEKSHybridPolicy',
  'AmazonEKSLoadBalancingClusterPolicy',
  'AmazonEKSLoadBalancingPolicy',
  'AmazonEKSNetworkingClusterPolicy',
  'AmazonEKSNetworkingPolicy',
  'AmazonEKSViewPolicy',
  'AmazonEMRJobPolicy',
  'AmazonSagemakerHyperpodClusterPolicy',
  'AmazonSagemakerHyperpodControllerPolicy',
  'AmazonSagemakerHyperpodSystemNamespacePolicy',
] as const;

export const ACCESS_POLICY_ARN_PREFIX = 'arn:aws:eks::aws:cluster-access-policy/';

export const accessPolicyArn = (name: string): string => ACCESS_POLICY_ARN_PREFIX + name;

export const CLUSTER_ADMIN_POLICY_ARN = accessPolicyArn('AmazonEKSClusterAdminPolicy');

export function isAccessPolicyArn(arn: string): boolean {
  return arn.startsWith(ACCESS_POLICY_ARN_PREFIX) && (ACCESS_POLICY_NAMES as readonly string[]).includes(arn.slice(ACCESS_POLICY_ARN_PREFIX.length));
}

/** The upstream ClusterRole an access policy grants (undefined: a policy keks grants nothing for). */
export const POLICY_CLUSTER_ROLE: Readonly<Record<string, string>> = {
  AmazonEKSClusterAdminPolicy: 'cluster-admin',
  AmazonEKSAdminPolicy: 'admin',
  AmazonEKSEditPolicy: 'edit',
  AmazonEKSViewPolicy: 'view',
  AmazonEKSAdminViewPolicy: 'view',
};

export function listAccessPolicies(): Array<{ name: string; arn: string }> {
  return ACCESS_POLICY_NAMES.map((name) => ({ name, arn: accessPolicyArn(name) }));
}
