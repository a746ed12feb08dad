/**
 * CreateCluster input → a new ClusterRecord (validation and defaults, no side effects beyond
 * reading EC2/IAM). Rules as in the EKS API reference and real error texts
 * (aws-api-surface.md §2.2): name pattern ^[0-9A-Za-z][A-Za-z0-9\-_]* and 1–100 characters;
 * roleArn must be an IAM role ARN ("Invalid Role Arn: '<arn>'") of an existing role; subnets must
 * exist, share one VPC and span at least two AZs; the service CIDR defaults to 172.20.0.0/16
 * when the VPC lies in 10.0.0.0/8, else 10.100.0.0/16.
 */
import { randomBytes } from 'node:crypto';
import type { AwsPrincipal } from '../../core/types.js';
import type { Ec2Backend, IamBackend } from '../../core/backends.js';
import { invalidParameter } from './errors.js';
import { optBool, optObject, optString, optStringList, optTags, oneOf, reqString, type Body } from './params.js';
import type { ClusterLogging, ClusterRecord } from './cluster-record.js';
import { DEFAULT_VERSION, PLATFORM_VERSIONS, isSupportedVersion } from './versions.js';
import type { AuthenticationMode } from './model.js';

export const CLUSTER_NAME_RE = /^[0-9A-Za-z][A-Za-z0-9\-_]*$/;
export const ROLE_ARN_RE = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\-/]+$/;
export const LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;
export const AUTH_MODES: readonly AuthenticationMode[] = ['CONFIG_MAP', 'API', 'API_AND_CONFIG_MAP'];

export function validateClusterName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0) throw invalidParameter('name is required');
  if (name.length > 100 || !CLUSTER_NAME_RE.test(name)) {
    throw invalidParameter(`1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9A-Za-z][A-Za-z0-9\\-_]* and length between 1 and 100`, { clusterName: name });
  }
  return name;
}

export function defaultLogging(): ClusterLogging {
  return { clusterLogging: [{ types: [...LOG_TYPES], enabled: false }] };
}

/** Parses a `logging` member ({clusterLogging:[{types,enabled}]}) into the normalised two-entry form EKS returns. */
export function parseLogging(o: Body, base: ClusterLogging, clusterName: string): ClusterLogging {
  const entries = o.clusterLogging;
  if (!Array.isArray(entries)) throw invalidParameter('logging.clusterLogging must be a list', { clusterName });
  const enabled = new Set(base.clusterLogging.filter((e) => e.enabled).flatMap((e) => e.types));
  for (const e of entries as Body[]) {
    const types = optStringList(e, 'types', { clusterName }) ?? [];
    for (const t of types) if (!(LOG_TYPES as readonly string[]).includes(t)) throw invalidParameter(`${t} is not a valid log type. Valid types: [${LOG_TYPES.join(', ')}]`, { clusterName });
    const on = optBool(e, 'enabled', { clusterName }) ?? false;
    for (const t of types) if (on) enabled.add(t); else enabled.delete(t);
  }
  const on = LOG_TYPES.filter((t) => enabled.has(t));
  const off = LOG_TYPES.filter((t) => !enabled.has(t));
  const out: ClusterLogging = { clusterLogging: [] };
  if (on.length) out.clusterLogging.push({ types: on, enabled: true });
  if (off.length) out.clusterLogging.push({ types: off, enabled: false });
  return out;
}

/** Is an IPv4 CIDR inside 10.0.0.0/8? */
const inTenSlash8 = (cidr: string): boolean => cidr.startsWith('10.');

const CIDR_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

export function validCidr(c: string): boolean {
  const m = CIDR_RE.exec(c);
  return !!m && m.slice(1, 5).every((x) => Number(x) <= 255) && Number(m[5]) <= 32;
}

export interface NewClusterContext {
  accountId: string;
  region: string;
  creator: AwsPrincipal;
  now: number;
  ec2: Ec2Backend;
  iam: IamBackend;
}

/** Validates a CreateCluster body and returns the record (without clusterSecurityGroupId, which the caller creates). */
export function buildClusterRecord(body: Body, c: NewClusterContext): ClusterRecord {
  const name = validateClusterName(body.name);
  const f = { clusterName: name };
  const roleArn = reqString(body, 'roleArn', f);
  if (!ROLE_ARN_RE.test(roleArn)) throw invalidParameter(`Invalid Role Arn: '${roleArn}'`, f);
  if (!c.iam.roleByArn(roleArn)) throw invalidParameter(`Role with arn: ${roleArn}, does not exist.`, f);

  const version = optString(body, 'version', f) ?? DEFAULT_VERSION;
  if (!isSupportedVersion(version)) throw invalidParameter(`unsupported Kubernetes version ${version}`, f);

  const vpcIn = optObject(body, 'resourcesVpcConfig', f);
  if (!vpcIn) throw invalidParameter('resourcesVpcConfig is required', f);
  const subnetIds = optStringList(vpcIn, 'subnetIds', f) ?? [];
  const subnets = subnetIds.map((id) => {
    const s = c.ec2.subnet(c.region, id);
    if (!s) throw invalidParameter(`The subnet ID '${id}' does not exist (Service: AmazonEC2; Status Code: 400; Error Code: InvalidSubnetID.NotFound)`, f);
    return s;
  });
  if (new Set(subnets.map((s) => s.vpcId)).size > 1) throw invalidParameter('Subnets specified must be in the same VPC', f);
  if (new Set(subnets.map((s) => s.availabilityZone)).size < 2) throw invalidParameter('Subnets specified must be in at least two different AZs', f);
  const vpcId = subnets[0].vpcId;
  const vpc = c.ec2.vpc(c.region, vpcId);
  const publicAccessCidrs = optStringList(vpcIn, 'publicAccessCidrs', f) ?? ['0.0.0.0/0'];
  for (const cidr of publicAccessCidrs) if (!validCidr(cidr)) throw invalidParameter(`The following CIDRs are invalid in publicAccessCidrs: [${cidr}]`, f);
  const endpointPublicAccess = optBool(vpcIn, 'endpointPublicAccess', f) ?? true;
  const endpointPrivateAccess = optBool(vpcIn, 'endpointPrivateAccess', f) ?? false;
  if (!endpointPublicAccess && !endpointPrivateAccess) throw invalidParameter('Cluster must have at least one of endpointPublicAccess or endpointPrivateAccess enabled', f);

  const knc = optObject(body, 'kubernetesNetworkConfig', f) ?? {};
  const ipFamily = oneOf(optString(knc, 'ipFamily', f), ['ipv4', 'ipv6'] as const, 'kubernetesNetworkConfig.ipFamily', f) ?? 'ipv4';
  let serviceIpv4Cidr = optString(knc, 'serviceIpv4Cidr', f);
  if (serviceIpv4Cidr !== undefined && (!validCidr(serviceIpv4Cidr) || Number(serviceIpv4Cidr.split('/')[1]) > 24 || Number(serviceIpv4Cidr.split('/')[1]) < 12)) {
    throw invalidParameter(`The specified serviceIpv4Cidr ${serviceIpv4Cidr} is invalid. The CIDR block must be within 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 with a prefix between /12 and /24`, f);
  }
  serviceIpv4Cidr ??= vpc && inTenSlash8(vpc.cidrBlock) ? '172.20.0.0/16' : '10.100.0.0/16';
  const elb = optObject(knc, 'elasticLoadBalancing', f);

  const access = optObject(body, 'accessConfig', f) ?? {};
  const authenticationMode = oneOf(optString(access, 'authenticationMode', f), AUTH_MODES, 'accessConfig.authenticationMode', f) ?? 'CONFIG_MAP';
  const bootstrap = optBool(access, 'bootstrapClusterCreatorAdminPermissions', f) ?? true;
  if (!bootstrap && authenticationMode === 'CONFIG_MAP') throw invalidParameter('bootstrapClusterCreatorAdminPermissions must be true if cluster authentication mode is set to CONFIG_MAP', f);

  const loggingIn = optObject(body, 'logging', f);
  const upgrade = optObject(body, 'upgradePolicy', f);
  const supportType = oneOf(upgrade ? optString(upgrade, 'supportType', f) : undefined, ['STANDARD', 'EXTENDED'] as const, 'upgradePolicy.supportType', f) ?? 'STANDARD';
  const encryption = body.encryptionConfig;

  return {
    name, accountId: c.accountId, region: c.region,
    arn: `arn:aws:eks:${c.region}:${c.accountId}:cluster/${name}`,
    createdAt: c.now, version, platformVersion: PLATFORM_VERSIONS[version], roleArn,
    status: 'CREATING',
    oidcId: randomBytes(16).toString('hex').toUpperCase(),
    resourcesVpcConfig: {
      subnetIds: [...subnetIds], securityGroupIds: optStringList(vpcIn, 'securityGroupIds', f) ?? [],
      clusterSecurityGroupId: '', vpcId, endpointPublicAccess, endpointPrivateAccess, publicAccessCidrs,
    },
    kubernetesNetworkConfig: { serviceIpv4Cidr, ipFamily, elasticLoadBalancing: { enabled: elb ? optBool(elb, 'enabled', f) ?? false : false } },
    logging: loggingIn ? parseLogging(loggingIn, defaultLogging(), name) : defaultLogging(),
    accessConfig: { authenticationMode, bootstrapClusterCreatorAdminPermissions: bootstrap },
    tags: optTags(body, 'tags', f) ?? {},
    ...(optString(body, 'clientRequestToken', f) ? { clientRequestToken: optString(body, 'clientRequestToken', f) } : {}),
    upgradePolicy: { supportType },
    ...(Array.isArray(encryption) ? { encryptionConfig: encryption } : {}),
    bootstrapSelfManagedAddons: optBool(body, 'bootstrapSelfManagedAddons', f) ?? true,
    deletionProtection: optBool(body, 'deletionProtection', f) ?? false,
    creator: c.creator,
  };
}
