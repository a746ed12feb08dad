/**
 * One Kubernetes cluster: its PKI, store-backed registry, API server (HTTPS listener with the
 * cluster's own CA) and in-process controllers, started and stopped in order.
 */
import { createServer as createHttpsServer, type Server } from 'node:https';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import type { Clock } from '../util/clock.js';
import { allowLargeResponses } from '../util/tls-socket.js';
import type { Logger } from '../util/log.js';
import type { Store } from '../storage/interface.js';
import { loadOrCreateClusterPki, loadOrCreateServiceAccountKey, type ClusterPki } from '../pki/index.js';
import { DEFAULT_ISSUER, ServiceAccountTokens } from '../auth/authn/serviceaccount/tokens.js';
import { serviceAccountAuthenticator, type ServiceAccountLookup } from '../auth/authn/serviceaccount/authenticator.js';
import { Registry } from '../registry/registry.js';
import { servedGroups, servedResources } from '../registry/served.js';
import { DEFAULT_SERVICE_CIDR, installServiceAllocation } from '../registry/services/install.js';
import { AdmissionChain } from '../admission/chain.js';
import type { AdmissionPlugin } from '../admission/types.js';
import { namespaceLifecycle } from '../admission/namespace-lifecycle.js';
import { defaultTolerationSeconds } from '../admission/default-toleration-seconds.js';
import { limitRanger } from '../admission/limit-ranger.js';
import { resourceQuotaAdmission } from '../admission/resource-quota.js';
import { priorityAdmission, registryPriorityClasses } from '../admission/priority.js';
import { x509Authenticator } from '../auth/authn/x509.js';
import type { Authenticator } from '../auth/authn/types.js';
import { cidrContains, parseCidr, type Ipv4Cidr } from '../util/cidr.js';
import { rejectUnknownBearer, staticTokenAuthenticator } from '../auth/authn/token.js';
import { mastersAuthorizer, publicInfoAuthorizer } from '../auth/authz/bootstrap.js';
import { accessPolicyAuthorizer, type AccessPolicyAuthorizerOptions } from '../auth/authz/access-policy.js';
import { nodeAuthorizer } from '../auth/authz/node.js';
import type { Authorizer } from '../auth/authz/types.js';
import { RbacRuntime } from '../apiserver/authz/rbac-runtime.js';
import { ApiMetrics } from '../observability/metrics.js';
import { ApiServer } from '../apiserver/server.js';
import { OpenApiService } from '../apiserver/openapi/index.js';
import { CrdController } from '../apiserver/crd/controller.js';
import { ApiClient } from '../client/client.js';
import type { RunnableController } from './controllers.js';
import type { ClusterShape, SimulatedNodeInterfaces } from '../simulator/simulator.js';
import type { SubnetAddressLookup } from '../simulator/vpc-cni.js';
import { LOOPBACK_ADMIN, type UserInfo } from '../api/user.js';
import { apiVersionOf } from '../api/types.js';
import { loopbackTransport } from './loopback.js';
import { bootstrapCluster } from './bootstrap.js';
import { ensureKubernetesService } from './kubernetes-service.js';

export interface ClusterOptions {
  /** Names of the controllers to run (see cluster/controllers.ts); default: all. Tests narrow it. */
  controllers?: string[];
  name: string;
  /** Where this cluster keeps its PKI. */
  dir: string;
  store: Store;
  clock: Clock;
  logger: Logger;
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /** Extra static bearer tokens (e.g. a benchmark's admin token). */
  tokens?: Map<string, UserInfo>;
  /** Real subnets of nodes that are EC2 instances (node groups), for their pods' addresses. */
  podSubnets?: SubnetAddressLookup;
  /** Simulated nodes (region, zones, count, instance type) the node simulator creates. */
  shape?: ClusterShape;
  /**
   * Extra authenticators, tried after client certificates and static tokens and before unknown
   * bearer tokens are refused (the EKS `k8s-aws-v1.` token authenticator). Built once the
   * cluster exists, since some read the cluster's own objects (aws-auth).
   */
  authenticators?: (cluster: Cluster) => Authenticator[];
  /** Extra admission plugins, run after NamespaceLifecycle (EKS Fargate placement). */
  admission?: AdmissionPlugin[];
  /** Service-account token issuer (EKS: the cluster's OIDC issuer URL); default https://kubernetes.default.svc. */
  serviceAccountIssuer?: string;
  /** Service ClusterIP range (EKS kubernetesNetworkConfig.serviceIpv4Cidr; default 10.100.0.0/16). */
  serviceCidr?: string;
  /**
   * EKS access policies of a user (its access entry's associations, keyed on the principal ARN in
   * user.extra.arn): when given, they are authorized before RBAC, as EKS's webhook authorizer is.
   */
  accessPolicies?: AccessPolicyAuthorizerOptions['policiesFor'];
}

export class Cluster {
  readonly name: string;
  readonly registry: Registry;
  readonly apiServer: ApiServer;
  readonly client: ApiClient;
  readonly pki: ClusterPki;
  private readonly server: Server;
  private readonly controllers: RunnableController[] = [];
  private stopping = false;
  private readonly crdController: CrdController;
  private readonly o: ClusterOptions;
  private publicAccessCidrs: Ipv4Cidr[] | undefined;
  /** RBAC: the index of Roles/Bindings fed from the registry, its authorizer, aggregation and escalation checks. */
  readonly rbac: RbacRuntime;

  /** Issues and verifies this cluster's service-account tokens. */
  readonly serviceAccountTokens: ServiceAccountTokens;
  /** PriorityClasses as the Priority admission plugin reads them (watch-fed). */
  private readonly priorityClasses: ReturnType<typeof registryPriorityClasses>;

  private constructor(o: ClusterOptions, pki: ClusterPki, saKeyPem: string) {
    this.o = o;
    this.name = o.name;
    this.pki = pki;
    this.serviceAccountTokens = new ServiceAccountTokens({ keyPem: saKeyPem, issuer: o.serviceAccountIssuer ?? DEFAULT_ISSUER, clock: o.clock });
    this.registry = new Registry({ store: o.store, clock: o.clock, resources: servedResources(), groups: servedGroups() });
    this.priorityClasses = registryPriorityClasses(this.registry);
    installServiceAllocation(this.registry.storeOf('', 'services'), { serviceCidr: this.serviceCidr });
    const loopbackToken = randomBytes(32).toString('base64url');
    const tokens = new Map(o.tokens ?? []);
    tokens.set(loopbackToken, LOOPBACK_ADMIN);
    const registry = this.registry;
    const metrics = new ApiMetrics({
      async objects() {
        const out: Array<{ resource: string; count: number }> = [];
        for (const s of registry.storesList()) out.push({ resource: s.group ? `${s.resource}.${s.group}` : s.resource, count: await s.count() });
        return out;
      },
      sizeBytes: () => o.store.sizeBytes(),
    });
    const servedGVs = [...new Set(this.registry.all().map((r) => apiVersionOf(r.spec.group, r.spec.version)))];
    const openapi = new OpenApiService({ servedGroupVersions: servedGVs, clock: o.clock });
    this.crdController = new CrdController({
      registry: this.registry, openapi, clock: o.clock,
      onError: (name, err) => o.logger.debug({ crd: name, err: (err as Error).message }, 'crd sync retry'),
    });
    // The authorizer chain: system:masters → Node → EKS access policies → RBAC → public info/discovery.
    const authorizers: Authorizer[] = [];
    this.rbac = new RbacRuntime({
      registry: this.registry, authorizers: () => authorizers,
      onError: (err) => o.logger.debug({ err: (err as Error).message }, 'rbac retry'),
    });
    authorizers.push(mastersAuthorizer, nodeAuthorizer);
    if (o.accessPolicies) authorizers.push(accessPolicyAuthorizer({ policiesFor: o.accessPolicies }));
    authorizers.push(this.rbac.authorizer, publicInfoAuthorizer);
    this.apiServer = new ApiServer({
      registry: this.registry,
      admission: new AdmissionChain([
        // RBAC escalation checks first: upstream runs them in the RBAC storage, before admission.
        this.rbac.escalation,
        // kube-apiserver's recommended order: …, LimitRanger, …, DefaultTolerationSeconds, …, ResourceQuota last.
        namespaceLifecycle(this.registry), ...(o.admission ?? []), limitRanger(this.registry), defaultTolerationSeconds(),
        priorityAdmission(this.priorityClasses), resourceQuotaAdmission(this.registry, o.clock),
      ]),
      clock: o.clock,
      logger: o.logger,
      metrics,
      authenticators: [
        x509Authenticator(), staticTokenAuthenticator(tokens),
        serviceAccountAuthenticator({ tokens: this.serviceAccountTokens, lookup: this.objectUids() }),
        ...(o.authenticators?.(this) ?? []), rejectUnknownBearer,
      ],
      serviceAccountTokens: this.serviceAccountTokens,
      authorizers,
      openapi,
      serverAddress: () => `${this.host}:${this.port}`,
    });
    this.server = createHttpsServer({
      cert: pki.serving.certPem, key: pki.serving.keyPem, ca: pki.ca.certPem,
      requestCert: true, rejectUnauthorized: false, keepAliveTimeout: 65_000,
    }, this.apiServer.handler);
    this.server.headersTimeout = 66_000;
    this.server.on('secureConnection', allowLargeResponses);
    this.server.on('clientError', (_err, socket) => socket.destroy());
    // EKS endpoint access (UpdateClusterConfig publicAccessCidrs): connections from elsewhere are
    // dropped, as the real public endpoint's security rules silently drop them.
    this.server.on('connection', (socket: Socket) => {
      if (this.publicAccessCidrs && !this.publicAccessCidrs.some((c) => cidrContains(c, socket.remoteAddress ?? ''))) socket.destroy();
    });
    this.client = new ApiClient(loopbackTransport(this.apiServer.handler, loopbackToken), 'keks-controller-manager');
  }

  /**
   * The controller manager's part. Loaded after the API server is ready: kube-apiserver's
   * readiness does not wait for kube-controller-manager, and importing every controller module
   * (~60 ms) would otherwise sit in front of the first 200 on /readyz.
   */
  private async startControllers(): Promise<void> {
    const { CONTROLLERS } = await import('./controllers.js');
    if (this.stopping) return;
    const o = this.o;
    for (const c of CONTROLLERS) {
      if (o.controllers && !o.controllers.includes(c.name)) continue;
      const ctl = c.create({ client: this.client, clock: o.clock, logger: o.logger, shape: o.shape, podSubnets: o.podSubnets });
      this.controllers.push(ctl);
      ctl.start();
    }
  }

  /** The simulated nodes' ENIs (VPC CNI), from the node simulator when it runs. */
  networkInterfaces(): SimulatedNodeInterfaces[] {
    for (const c of this.controllers) {
      const sim = c as Partial<{ networkInterfaces(): SimulatedNodeInterfaces[] }>;
      if (typeof sim.networkInterfaces === 'function') return sim.networkInterfaces();
    }
    return [];
  }

  static async start(o: ClusterOptions): Promise<Cluster> {
    const pki = await loadOrCreateClusterPki({ dir: join(o.dir, 'pki'), clusterName: o.name, clock: o.clock });
    const c = new Cluster(o, pki, loadOrCreateServiceAccountKey(join(o.dir, 'pki')));
    await new Promise<void>((resolve, reject) => {
      c.server.once('error', reject);
      c.server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => { c.server.off('error', reject); resolve(); });
    });
    await c.rbac.start();
    await bootstrapCluster(c.registry);
    await c.crdController.start();
    c.apiServer.ready = true;
    // After readiness, as kube-apiserver's kubernetes-service controller does (Run polls /readyz
    // before its first UpdateKubernetesService): a restart on another port rewrites
    // default/kubernetes (≈ 50 ms with the first update's protobuf schema load), which no longer
    // sits in front of the first 200. Still before the controllers and start() returning.
    await ensureKubernetesService(c.registry, { serviceCidr: c.serviceCidr, host: c.host, port: c.port });
    await c.startControllers();
    return c;
  }

  /** The Service ClusterIP range (EKS serviceIpv4Cidr). */
  get serviceCidr(): string {
    return this.o.serviceCidr ?? DEFAULT_SERVICE_CIDR;
  }

  get host(): string {
    return this.o.host ?? '127.0.0.1';
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get endpoint(): string {
    return `https://${this.host}:${this.port}`;
  }

  /** uids of service accounts and the objects tokens are bound to (token authentication). */
  private objectUids(): ServiceAccountLookup {
    const resources = { ServiceAccount: 'serviceaccounts', Pod: 'pods', Secret: 'secrets' } as const;
    return {
      uid: async (kind, ns, name) => {
        try {
          return ((await this.registry.storeOf('', resources[kind]).get(ns, name)) as { metadata: { uid?: string } }).metadata.uid;
        } catch {
          return undefined;
        }
      },
    };
  }

  /** PEM of the cluster CA (EKS DescribeCluster's certificateAuthority.data, base64-encoded). */
  get caPem(): string {
    return this.pki.ca.certPem;
  }

  /** Only connections from these CIDRs reach the API server; undefined = all (0.0.0.0/0). */
  setPublicAccessCidrs(cidrs: string[] | undefined): void {
    const parsed = cidrs?.map((c) => parseCidr(c)).filter((c): c is Ipv4Cidr => c !== undefined);
    this.publicAccessCidrs = parsed && !parsed.some((c) => c.bits === 0) ? parsed : undefined;
  }

  /** Stop accepting connections, let in-flight requests finish (bounded), stop controllers and watches. */
  async stop(): Promise<void> {
    this.stopping = true;
    const closed = new Promise<void>((r) => this.server.close(() => r()));
    await this.apiServer.drain(5000);
    for (const ctl of this.controllers) await ctl.stop();
    await this.crdController.stop();
    this.rbac.stop();
    this.priorityClasses.stop();
    this.registry.stop();
    this.server.closeAllConnections();
    await closed;
  }
}
