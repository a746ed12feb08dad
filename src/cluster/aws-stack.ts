/**
 * The AWS side of one keks process, put together: IAM + STS, EC2, Auto Scaling and EKS (with
 * node groups and Fargate profiles) over the durable AWS state tables, the AWS endpoint that
 * serves them, and the links to the Kubernetes side — EKS drives the ClusterManager (control
 * planes), Auto Scaling instances register Nodes (NodeRegistrar), and every cluster signs IAM
 * identities in with EKS tokens and places Fargate pods (clusterExtras).
 *
 * Order (service.ts's contract): IAM → EC2 → Auto Scaling → EKS → node groups / Fargate →
 * attach → endpoint → restore stored clusters → the default cluster of `keks start`.
 *
 * Start-up opens every service's state and backend (what restoring the clusters needs) but not
 * their action and route tables: the endpoint imports those on its first request (openIam,
 * openEc2, … loadService), which keeps ~30 ms of module loading out of the time to the default
 * cluster's first 200 on /readyz. The first AWS request pays it once.
 */
import type { KeksConfig } from '../config/config.js';
import type { Store } from '../storage/interface.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import { storeBackedState } from '../aws/core/state.js';
import { queryParams } from '../aws/core/query-params.js';
import type { AwsServiceDeps } from '../aws/core/backends.js';
import type { AwsPrincipal, AwsRequestContext } from '../aws/core/types.js';
import { AwsEndpoint } from '../aws/server.js';
import { openIam, type IamParts } from '../aws/services/iam/iam.js';
import { openEc2, type Ec2Parts } from '../aws/services/ec2/ec2.js';
import type { InstanceSubnetAddresses } from '../aws/services/ec2/backend.js';
import { openAutoScaling } from '../aws/services/autoscaling/autoscaling.js';
import { openEks, type EksParts } from '../aws/services/eks/service.js';
import { openElbv2 } from '../aws/services/elbv2/elbv2.js';
import { nodegroupRoutes, type NodegroupPart } from '../aws/services/eks/nodegroup-routes.js';
import { fargateRoutes, scaledFargateDelays, type FargatePart } from '../aws/services/eks/fargate-profiles.js';
import { scaledNodegroupDelays } from '../aws/services/eks/nodegroup-service.js';
import type { Authenticator } from '../auth/authn/types.js';
import { eksTokenAuthenticator } from '../auth/authn/eks/authenticator.js';
import type { AdmissionPlugin } from '../admission/types.js';
import { fargateScheduler } from '../admission/fargate-scheduler.js';
import { principalArnOf, type AccessPolicyAssociation } from '../auth/authz/access-policy.js';
import type { UserInfo } from '../api/user.js';
import { knownNodeInstanceType, NodeRegistrar } from './node-registrar.js';
import type { Cluster } from './cluster.js';
import type { ClusterManager } from './manager.js';
import { clusterInterfaceSource } from './node-interfaces.js';
import { albIngressClassValidator } from '../admission/alb-ingress-class.js';
import { isNotFound } from '../client/errors.js';
import type { ResourceRef } from '../client/client.js';
import type { KubeObject } from '../api/types.js';

export interface AwsStackOptions {
  config: KeksConfig;
  store: Store;
  clock: Clock;
  logger: Logger;
  manager: ClusterManager;
  /** Realistic EKS timing: 0 = instant (default), 1 = real durations, 0.01 = 1/100 of them. */
  timeScale?: number;
}

export interface AwsStack {
  endpoint: AwsEndpoint;
  iam: IamParts;
  ec2: Ec2Parts;
  eks: EksParts;
  nodegroups: NodegroupPart;
  fargate: FargatePart;
  /** Per-cluster authenticators (EKS tokens) — given to the ClusterManager. */
  authenticators(clusterName: string, cluster: Cluster): Authenticator[];
  /** EKS access policies associated with the user's access entry in a cluster (access-policy authorizer). */
  accessPolicies(clusterName: string, user: UserInfo): AccessPolicyAssociation[];
  /** The subnet addresses of the instance (in the cluster's account and region) whose address is nodeIp. */
  podSubnet(clusterName: string, nodeIp: string): InstanceSubnetAddresses | undefined;
  /** Why a stored cluster's control plane could not be restored at start, if it could not. */
  restoreError(clusterName: string): Error | undefined;
  /** Per-cluster add-ons: the AWS Load Balancer Controller (ELBv2) and the process runtime. */
  addons(clusterName: string, cluster: Cluster): { stop(): Promise<void> } | undefined;
  /** Per-cluster admission plugins (Fargate placement) — given to the ClusterManager. */
  admission(clusterName: string): AdmissionPlugin[];
  stop(): Promise<void>;
}

const ALB_CLASS_REFS: Record<'ingressclasses' | 'ingressclassparams' | 'namespaces', ResourceRef> = {
  ingressclasses: { group: 'networking.k8s.io', version: 'v1', resource: 'ingressclasses', namespaced: false },
  ingressclassparams: { group: 'elbv2.k8s.aws', version: 'v1beta1', resource: 'ingressclassparams', namespaced: false },
  namespaces: { group: '', version: 'v1', resource: 'namespaces', namespaced: false },
};

/** A cluster-scoped object through the cluster's loopback client (undefined when absent or the cluster is not up). */
async function readClusterObject(manager: ClusterManager, cluster: string, ref: ResourceRef, name: string): Promise<KubeObject | undefined> {
  const c = manager.get(cluster);
  if (!c) return undefined;
  try {
    return await c.client.get(ref, '', name);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** The root principal of the configured account (the identity `keks start` creates its cluster as). */
export function rootPrincipal(accountId: string): AwsPrincipal {
  return { accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId, type: 'root' };
}

export async function startAwsStack(o: AwsStackOptions): Promise<AwsStack> {
  const { config, clock, logger } = o;
  const log = logger.child({ component: 'aws' });
  const onError = (what: string, err: unknown): void => log.debug({ what, err: (err as Error)?.message }, 'aws background retry');
  const scale = o.timeScale ?? 0;
  const deps: AwsServiceDeps = { clock, state: storeBackedState(o.store), defaultAccountId: config.awsAccountId, defaultRegion: config.region };
  const iam = await openIam({
    ...deps,
    rootKeys: [{ accessKeyId: config.awsAccessKeyId, secretAccessKey: config.awsSecretAccessKey, accountId: config.awsAccountId }],
    verifyWebIdentityToken: (token) => verifyServiceAccountToken(o.manager, token),
  });
  const ec2 = await openEc2(deps);
  // ELBv2 keeps its own visible default (targets `initial` for seconds) unless a time scale is set.
  const elbv2 = await openElbv2({ ...deps, ec2: ec2.backend, ...(scale > 0 ? { timing: { scale } } : {}) });
  const late: { eks?: EksParts; ng?: NodegroupPart } = {};
  const registrar = new NodeRegistrar({
    clock,
    clientFor: (cluster) => late.eks?.clusters.controlPlane(cluster)?.client,
    nodegroupFor: (instance) => late.ng?.nodegroupForInstance(instance),
    onError,
  });
  const asg = await openAutoScaling({ ...deps, ec2: ec2.backend, lifecycle: registrar });
  const restoreErrors = new Map<string, Error>();
  const eks = await openEks({
    ...deps, controlPlanes: o.manager, ec2: ec2.backend, iam: iam.backend, timing: { scale },
    onError: (err, what) => {
      const m = /^restore control plane (.+)$/.exec(what);
      if (m) restoreErrors.set(m[1], err as Error);
      onError(what, err);
    },
  });
  late.eks = eks;
  const ng = await nodegroupRoutes({
    ...deps, clusters: eks.clusters, updates: eks.updates, asg: asg.backend, ec2: ec2.backend,
    knownInstanceType: knownNodeInstanceType, nodeAccess: eks.clusters, delays: scaledNodegroupDelays(scale), onError,
  });
  late.ng = ng;
  const fg = await fargateRoutes({ ...deps, clusters: eks.clusters, ec2: ec2.backend, nodeAccess: eks.clusters, delays: scaledFargateDelays(scale), onError });
  eks.attach({
    routes: [...ng.routes, ...fg.routes],
    dependents: { nodegroupNames: (a, r, c) => ng.nodegroupNames(a, r, c), deleteFargateProfiles: (a, r, c) => fg.deleteFargateProfiles(a, r, c) },
    taggables: [ng.taggable, fg.taggable],
  });
  const endpoint = new AwsEndpoint({
    services: async () => {
      const [{ iam: iamService, sts }, ec2Service, asgService, eksService, elbv2Service] = await Promise.all([
        iam.loadServices(), ec2.loadService(), asg.loadService(), eks.loadService(), elbv2.loadService(),
      ]);
      return [iamService, sts, ec2Service, asgService, eksService, elbv2Service];
    },
    credentials: iam.backend, host: config.host, port: config.awsPort, clock, logger: log,
    defaultAccountId: config.awsAccountId, defaultRegion: config.region,
  });
  await endpoint.start();

  ec2.addNetworkInterfaceSource(clusterInterfaceSource(o.manager, (name) => eks.clusters.byName(name)));

  const stack: AwsStack = {
    endpoint, iam, ec2, eks, nodegroups: ng, fargate: fg,
    restoreError: (name) => restoreErrors.get(name),
    podSubnet(clusterName, nodeIp) {
      const rec = eks.clusters.byName(clusterName);
      return rec ? ec2.backend.instanceSubnetAddresses(rec.region, rec.accountId, nodeIp) : undefined;
    },
    authenticators(clusterName: string, cluster: Cluster): Authenticator[] {
      const configmaps = cluster.registry.storeOf('', 'configmaps');
      return [eksTokenAuthenticator({
        cluster: {
          clusterName,
          authenticationMode: () => eks.identity.authenticationMode(clusterName) ?? 'CONFIG_MAP',
          creator: () => {
            const c = eks.identity.creator(clusterName);
            return c && { arn: c.arn, adminPermissions: c.bootstrapClusterCreatorAdminPermissions };
          },
          accessEntry: (arn) => eks.identity.accessEntry(clusterName, arn),
        },
        credentials: iam.backend,
        awsAuth: async () => {
          try {
            const cm = await configmaps.get('kube-system', 'aws-auth') as { metadata: { resourceVersion?: string }; data?: Record<string, string> };
            return { resourceVersion: cm.metadata.resourceVersion, data: cm.data };
          } catch {
            return undefined;
          }
        },
        clock,
        logger: logger.child({ cluster: clusterName }),
        emulatorHosts: () => [`${config.host}:${endpoint.port}`],
        privateDnsName: (instanceId) => {
          const rec = eks.clusters.byName(clusterName);
          return rec ? ec2.backend.instance(rec.region, instanceId)?.privateDnsName : undefined;
        },
      })];
    },
    accessPolicies(clusterName: string, user: UserInfo): AccessPolicyAssociation[] {
      const arn = principalArnOf(user);
      if (!arn || eks.identity.authenticationMode(clusterName) === 'CONFIG_MAP') return [];
      return eks.identity.accessEntry(clusterName, arn)?.policies ?? [];
    },
    addons(clusterName: string, cluster: Cluster) {
      const rec = eks.clusters.byName(clusterName);
      if (!rec) return undefined;
      const subnets = rec.resourcesVpcConfig.subnetIds.flatMap((id) => {
        const sn = ec2.backend.subnet(rec.region, id);
        return sn ? [{ subnetId: id, zoneName: sn.availabilityZone }] : [];
      });
      const addonLogger = logger.child({ cluster: clusterName, component: 'aws-load-balancer-controller' });
      // Loaded on use, like a Helm-installed controller that starts after the cluster: the
      // add-on modules stay out of the import in front of the first /readyz.
      const started = import('../addons/load-balancer/index.js').then((m) => m.startClusterNetworking({
        client: cluster.client, clock, elbv2: elbv2.backend, clusterName, region: rec.region, accountId: rec.accountId,
        vpcId: rec.resourcesVpcConfig.vpcId, subnets, dataDir: config.dataDir,
        logger: addonLogger,
        serveUnownedLoadBalancers: clusterName === config.clusterName,
      }));
      started.catch((e: unknown) => addonLogger.error({ err: (e as Error).message }, 'add-ons did not start'));
      return { async stop() { await (await started.catch(() => undefined))?.stop(); } };
    },
    admission(clusterName: string): AdmissionPlugin[] {
      return [
        fargateScheduler({ profilesFor: () => fg.profilesForCluster(clusterName) }),
        // The built-in AWS Load Balancer Controller's Ingress webhook (IngressClassParams namespaceSelector).
        albIngressClassValidator({ get: (resource, name) => readClusterObject(o.manager, clusterName, ALB_CLASS_REFS[resource], name) }),
      ];
    },
    async stop() {
      eks.close();
      elbv2.close();
      await endpoint.stop();
    },
  };
  return stack;
}

/**
 * IRSA's AssumeRoleWithWebIdentity: the token is a service-account JWT one of our clusters signed
 * (its issuer is the cluster's identity.oidc.issuer), for the STS audience, not expired.
 */
async function verifyServiceAccountToken(manager: ClusterManager, token: string): Promise<{ issuer: string; subject: string; audience: string }> {
  let iss: unknown;
  try {
    iss = (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss?: unknown }).iss;
  } catch {
    throw new Error('the token is not a JWT');
  }
  const cluster = manager.list().find((c) => c.serviceAccountTokens.issuer === iss);
  if (!cluster) throw new Error(`no cluster here issues tokens for ${String(iss)}`);
  const v = await cluster.serviceAccountTokens.verify(token, 'sts.amazonaws.com');
  if (!v) throw new Error('the signature, audience (sts.amazonaws.com) or expiry does not check out');
  return { issuer: v.issuer, subject: v.subject, audience: 'sts.amazonaws.com' };
}

/** The request context of keks itself acting as the account root (the default cluster). */
export function rootContext(accountId: string, region: string): AwsRequestContext {
  return {
    requestId: 'keks-start', region, caller: rootPrincipal(accountId), accessKeyId: '', service: 'eks', operation: 'CreateCluster',
  };
}

/**
 * `keks start`'s cluster is an EKS cluster like any other (ListClusters shows it): created once
 * by the account root in the default VPC, with the cluster role eksctl and the workshops use
 * (eksClusterRole, AmazonEKSClusterPolicy attached), on the configured API port. A restart finds
 * it stored and restore() has already brought it back.
 */
export async function ensureDefaultCluster(stack: AwsStack, config: KeksConfig, opts: { selfManagedAddons?: boolean } = {}): Promise<void> {
  if (stack.eks.clusters.byName(config.clusterName)) return;
  const account = config.awsAccountId;
  const ctx = (service: string, operation: string): AwsRequestContext => ({ ...rootContext(account, config.region), service, operation });
  const roleName = 'eksClusterRole';
  const roleArn = `arn:aws:iam::${account}:role/${roleName}`;
  if (!stack.iam.backend.roleByArn(roleArn)) {
    const { iam } = await stack.iam.loadServices();
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    await iam.actions.CreateRole(queryParams(new Map([['RoleName', roleName], ['AssumeRolePolicyDocument', trust]]), 'query'), ctx('iam', 'CreateRole'));
    await iam.actions.AttachRolePolicy(queryParams(new Map([['RoleName', roleName], ['PolicyArn', 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy']]), 'query'), ctx('iam', 'AttachRolePolicy'));
  }
  const vpc = stack.ec2.backend.defaultVpc(config.region, account);
  const subnetIds = stack.ec2.backend.subnetsOf(config.region, vpc.vpcId).map((s) => s.subnetId);
  await stack.eks.clusters.create({
    name: config.clusterName, roleArn,
    resourcesVpcConfig: { subnetIds },
    accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP', bootstrapClusterCreatorAdminPermissions: true },
    bootstrapSelfManagedAddons: opts.selfManagedAddons ?? true,
    tags: { 'keks.dev/default-cluster': 'true' },
  }, ctx('eks', 'CreateCluster'), { port: config.port, instant: true });
}
