/**
 * IAM ARN canonicalisation as aws-iam-authenticator's pkg/arn/arn.go Canonicalize: root, users
 * and roles stay as they are; an STS assumed-role session ARN
 * `arn:aws:sts::A:assumed-role/R/S` becomes the role ARN `arn:aws:iam::A:role/R`. STS session ARNs
 * carry no role path, so the path is lost (the well-known aws-auth `rolearn` gotcha).
 * Federated users are not issued by keks and are refused.
 */

export const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc'];

export interface CanonicalArn {
  type: 'root' | 'user' | 'role';
  arn: string;
}

/** Returns undefined for anything that is not an identity ARN the authenticator accepts. */
export function canonicalizeArn(arn: string): CanonicalArn | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition, service, , account] = parts;
  const resource = parts.slice(5).join(':');
  if (!PARTITIONS.includes(partition) || !account) return undefined;
  const segs = resource.split('/');
  if (service === 'sts') {
    if (segs[0] !== 'assumed-role' || segs.length < 3) return undefined;
    const role = segs.slice(1, -1).join('/');
    return { type: 'role', arn: `arn:${partition}:iam::${account}:role/${role}` };
  }
  if (service === 'iam') {
    if (segs[0] === 'role') return { type: 'role', arn };
    if (segs[0] === 'user') return { type: 'user', arn };
    if (segs[0] === 'root') return { type: 'root', arn };
  }
  return undefined;
}

/** The role name of a role ARN (last path segment): arn:aws:iam::A:role/p/R → R. */
export function roleNameOf(roleArn: string): string {
  const resource = roleArn.split(':').slice(5).join(':');
  const segs = resource.split('/');
  return segs[segs.length - 1];
}
